// Shared by the kernel tests: a lab per test file, and an exact snapshot of the gateway.
import { run, netns } from "@/lib/net/exec";
import { labDown, labUp, gatewayNamespace, probeEgress } from "@/lib/lab/lab";
import { labTarget } from "@/lib/engine/target";
import type { GatewayConfig } from "@/lib/model";

export async function startLab(config: GatewayConfig, prefix: string) {
  await labDown(prefix);
  await labUp(config, { prefix });
  const managed = labTarget(prefix);
  const probe = (address: string) => probeEgress(prefix, address);
  return { managed, probe, gw: netns(gatewayNamespace(prefix)) };
}

/** Everything a user would compare: all rules, all IPv4 routes, all iptables rules (without counters and timestamps). */
export async function kernelSnapshot(prefix: string): Promise<string> {
  const t = netns(gatewayNamespace(prefix));
  const [rules, routes, ipt] = await Promise.all([
    run(t, "ip", ["-N", "rule", "show"]),
    run(t, "ip", ["-N", "-4", "route", "show", "table", "all"]),
    run(t, "iptables-save", []),
  ]);
  return [rules.stdout, routes.stdout, ipt.stdout.split("\n").filter((l) => !l.startsWith("#")).join("\n")].join("\n----\n");
}
