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

/** Everything a user would compare: all rules, all IPv4 routes, all iptables rules and the nftables ruleset (without counters and timestamps). */
export async function kernelSnapshot(prefix: string): Promise<string> {
  const t = netns(gatewayNamespace(prefix));
  const [rules, routes, ipt, nft] = await Promise.all([
    run(t, "ip", ["-N", "rule", "show"]),
    run(t, "ip", ["-N", "-4", "route", "show", "table", "all"]),
    run(t, "iptables-save", []),
    run(t, "nft", ["-s", "list", "ruleset"]), // -s: without counters
  ]);
  return [
    rules.stdout,
    routes.stdout,
    ipt.stdout
      .split("\n")
      .filter((l) => !l.startsWith("#"))
      .join("\n"),
    sortedNftListing(nft.stdout),
  ].join("\n----\n");
}

/**
 * `nft list ruleset` with its tables, and the chains and sets in each, in name order: nft
 * lists them in the order they were made, which says nothing about what the packets meet
 * (base chains run by hook and priority, the others when jumped to).
 */
export function sortedNftListing(text: string): string {
  const tables = text.split(/^(?=table )/m).filter((t) => t.trim());
  return tables
    .map((t) => {
      const lines = t.trimEnd().split("\n");
      const head = lines[0];
      const body = lines.slice(1, -1).join("\n");
      const blocks = body
        .split(/^(?=\t(?:chain|set|map|flowtable) )/m)
        .map((b) => b.trim())
        .filter(Boolean)
        .sort();
      return [head, ...blocks, "}"].join("\n");
    })
    .sort()
    .join("\n");
}
