// The precheck: interfaces, addresses and sysctls checked before the first kernel change; what
// the gateway's main default route and down links mean, as notes. Read-only.
import { run, type ExecResult, type Target } from "@/lib/net/exec";
import type { GatewayConfig } from "@/lib/model";
import type { ObservedState } from "@/lib/net/observe";
import type { Plan } from "@/lib/net/plan";
import { allLanSubnets } from "@/lib/net/lans";
import { activeIspsOf as activeIsps, defaultIspOf as defaultIsp, primaryIsp } from "@/lib/net/render/targets";
import type { KernelState } from "@/lib/net/types";
import { parseSysctl } from "@/lib/net/parse/sysctl";
import { parseIpAddrJson } from "@/lib/net/parse/ip-addr";
import { sysctlKeys, sysctlProblems } from "./sysctls";
import { hasIpv6 } from "@/lib/net/render/ipv6";

/** iproute2's rt_protos: who installed a route (`ip -N` prints the number). */
const RT_PROTOS: Record<string, string> = { "2": "kernel", "3": "boot", "4": "static", "16": "dhcp", "186": "bgp", "188": "ospf", "42": "babel" };

/** Main's default route is its owner's (DHCP client, ifupdown): say who owns it, and when the gateway's own traffic leaves by another ISP than the default. */
export function mainDefaultNote(before: ObservedState, config?: GatewayConfig): string {
  const d = before.foreign.routes.find((r) => r.table === 254 && r.dst === "default");
  if (!d) return "main has no default route: the gateway's own traffic has no way out (LAN traffic does not use it)";
  const owner = RT_PROTOS[d.protocol ?? "3"] ?? d.protocol ?? "boot";
  const via = `main's default route via ${d.gateway ?? "-"} dev ${d.dev || d.nexthops?.map((n) => n.dev).join(",")} (proto ${owner}) stays with its owner`;
  const def = config ? defaultIsp(config) : null;
  if (def && d.dev && d.dev !== def.wanInterface) {
    const isp = config!.isps.find((i) => i.wanInterface === d.dev);
    return `${via}; note: the gateway's own traffic leaves via ${d.dev}${isp ? ` (${isp.name})` : ""}, not the default ISP ${def.name}`;
  }
  return via;
}

export type PrecheckReads = Promise<[ExecResult, ExecResult]>;

/** The precheck's two read-only processes (addresses, sysctls): started beside the first observe, they cost no time of their own. */
export function precheckReads(target: Target, config?: GatewayConfig): PrecheckReads {
  const wans = config ? activeIsps(config).map((i) => i.wanInterface) : [];
  return Promise.all([run(target, "ip", ["-json", "addr", "show"]), run(target, "sysctl", sysctlKeys(wans), { allowFailure: true })]);
}

export async function precheck(
  reads: PrecheckReads,
  desired: KernelState,
  plan: Plan,
  before: ObservedState,
  requiredAddresses: Map<string, string>,
  config?: GatewayConfig,
): Promise<{ detail: string; sysctls: Map<string, string> }> {
  const problems: string[] = [];
  const notes: string[] = [];
  const wans = config ? activeIsps(config).map((i) => i.wanInterface) : [];
  const [addrs, sysctl] = await reads;
  const links = parseIpAddrJson(addrs.stdout);
  const byName = new Map(links.map((l) => [l.name, l]));
  const devices = new Set([...desired.routes.map((r) => r.dev)]);
  for (const dev of devices) if (!byName.has(dev)) problems.push(`interface ${dev} does not exist on the gateway`);
  for (const [address, dev] of requiredAddresses) {
    const link = byName.get(dev);
    if (!link || link.addresses.some((a) => a.local === address)) continue;
    // on another interface (a guest network's bridge, a VLAN): moving it would cut that network off
    const elsewhere = links.find((l) => l.addresses.some((a) => a.local === address));
    const lan = config ? allLanSubnets(config).some((x) => x.startsWith(`${address}/`)) : false;
    if (elsewhere && lan)
      problems.push(
        `address ${address} is on ${elsewhere.name}, not on ${dev}: that subnet is a LAN of its own; add ${elsewhere.name} as a LAN (Settings -> LANs, or switchyard lan add NAME --interface ${elsewhere.name} --subnets ${address}/…) instead of moving its address`,
      );
    else if (elsewhere) problems.push(`address ${address} is on ${elsewhere.name}, not on ${dev}`);
    else problems.push(`address ${address} is not configured on ${dev} (ip addr add ${address}/… dev ${dev})`);
  }
  const values = parseSysctl(sysctl.stdout);
  const sys = sysctlProblems(values, wans, config ? hasIpv6(config) : false);
  problems.push(...sys.problems);
  notes.push(...sys.warnings, mainDefaultNote(before, config));
  for (const dev of plan.downLinks) {
    const isp = config?.isps.find((i) => i.wanInterface === dev);
    const hosts = config && isp ? config.hosts.filter((h) => primaryIsp(config, h)?.name === isp.name).map((h) => h.name) : [];
    notes.push(
      `${isp?.name ?? dev} is down (link ${dev}): its routes wait for the link; ${hosts.length ? `no path for ${hosts.join(", ")}` : "no host uses it"}`,
    );
  }
  // No `iptables-restore --test` / `nft -c` here: a restore the kernel refuses changes
  // nothing of its table (nft: of anything), the rollback undoes the routing step, and the
  // test did not catch what the kernel refuses anyway (tests/kernel/apply-crash.test.ts).
  if (problems.length) throw new Error(problems.join("; "));
  return { detail: ["interfaces, addresses, sysctls and rules check out", ...notes].join("; "), sysctls: values };
}
