// The dataplane benchmark's lab (scripts/bench-dataplane.ts): one lab per case, its gateway
// with or without Switchyard, iperf3's server in its internet namespace, offloads, and one
// iperf3 run from the test host with the evidence that it took the path it should.
import { applyAndVerify } from "@/lib/engine/run";
import { labTarget } from "@/lib/engine/target";
import { labDown, labTopology, labUp } from "@/lib/lab/lab";
import { SERVER_ADDRESS } from "@/lib/lab/topology";
import { hostAddress6, SERVER_ADDRESS6 } from "@/lib/lab/topology6";
import { lanSubnets6 } from "@/lib/net/render/ipv6";
import { netns, run, startStream, type StreamHandle } from "@/lib/net/exec";
import type { FirewallBackend, GatewayConfig } from "@/lib/model";
import { observeKernel } from "@/lib/net/observe";
import { CHAINS } from "@/lib/net/render";
import { NFT_SETS } from "@/lib/net/firewall/nftables/render";
import { benchConfig } from "./bench-config";

/** "conntrack" (IPv6 only): no rules but connection tracking on, as any stateful firewall has it */
export type CaseId = "none" | "conntrack" | FirewallBackend;
export interface DataplaneCase {
  id: CaseId;
  /** its own lab: namespaces <prefix>-* */
  prefix: string;
  /** a Switchyard case: the backend, as the config says it; absent: no Switchyard */
  firewall?: FirewallBackend;
}

export interface CaseState extends DataplaneCase {
  label: string;
  available: boolean;
  reason?: string;
  server?: StreamHandle;
  /** addresses the server saw connections from, latest last */
  accepted: string[];
  /** the test host's own entry: how far down the host list, and the packets it matched */
  hostEntry?: { position: string; packets: number };
  /** set when cleanup stops the server: its "interrupt" farewell is expected */
  stopping?: boolean;
}

/**
 * The N-host configuration, its test host (the last: its rule is the last of the iptables host list) and the lab built for it.
 * `family` 6: the dual-stack bench config and IPv6 traffic. With Switchyard the test host sends from its address in the
 * *other* ISP's /64, so every packet takes the host's MAC match and the prefix translation (the costly path); with no
 * rules it sends from its own ISP's /64. Either way the server sees its address in the test ISP's /64 (same host part).
 */
export function dataplaneBench(hosts: number, family: 4 | 6 = 4) {
  const ipv6 = family === 6;
  const config = benchConfig(hosts, undefined, ipv6);
  const testHost = config.hosts[config.hosts.length - 1];
  const testIsp = config.isps.find((i) => i.name === testHost.isp)!;
  // only the test host gets a namespace: the others exist in the gateway's rules
  const labConfig: GatewayConfig = { ...config, hosts: [testHost] };
  const subnets6 = ipv6 ? lanSubnets6(config) : [];
  const own6 = subnets6.find((s) => s.isp?.name === testIsp.name)?.network;
  const other6 = subnets6.find((s) => s.isp && s.isp.name !== testIsp.name)?.network;
  /** the source the test host binds to, per case (IPv6 only; IPv4 lets the host pick) */
  const source = (rules: boolean) => (ipv6 ? hostAddress6(rules ? other6! : own6!, testHost.address) : undefined);
  /** what the server must see in every case: the test host's ISP's address (SNAT in Switchyard's, MASQUERADE in none; IPv6: its /64 of the test ISP) */
  const expectedSource = ipv6 ? hostAddress6(own6!, testHost.address) : testIsp.linkAddress;
  const server = ipv6 ? SERVER_ADDRESS6 : SERVER_ADDRESS;
  return { hosts, family, config, testHost, testIsp, labConfig, expectedSource, source, server };
}
export type DataplaneBench = ReturnType<typeof dataplaneBench>;

export async function setUpCase(b: DataplaneBench, c: DataplaneCase, log: (m: string) => void): Promise<CaseState> {
  const state: CaseState = { ...c, label: c.id, available: true, accepted: [] };
  await labDown(c.prefix);
  await labUp(b.labConfig, { prefix: c.prefix, server: false });
  const gw = labTarget(c.prefix);
  if (!c.firewall) {
    // plain routing + NAT: what the gateway needs to forward and reach the server at all
    await run(gw.target, "ip", ["route", "replace", "default", "via", b.testIsp.gatewayAddress, "dev", b.testIsp.wanInterface]);
    for (const isp of b.config.isps) await run(gw.target, "iptables", ["-t", "nat", "-A", "POSTROUTING", "-o", isp.wanInterface, "-j", "MASQUERADE"]);
    // IPv6 needs no NAT: the host sends from the test ISP's own /64
    if (b.family === 6) await run(gw.target, "ip", ["-6", "route", "replace", "default", "via", b.testIsp.ipv6!.gateway, "dev", b.testIsp.wanInterface]);
    state.label = `no rules (default route via ${b.testIsp.name}, MASQUERADE per WAN${b.family === 6 ? "; IPv6 from its own /64" : ""})`;
    // plain IPv6 routing tracks no connections (IPv4's MASQUERADE does): this case prices that part alone
    if (c.id === "conntrack") {
      await run(gw.target, "ip6tables", ["-t", "mangle", "-A", "PREROUTING", "-m", "conntrack", "--ctstate", "NEW"]);
      state.label = `no rules but IPv6 connection tracking (one ip6tables conntrack match), as above`;
    }
  } else {
    const report = await applyAndVerify(benchConfig(b.hosts, c.firewall, b.family === 6), gw, { rollbackOnVerifyFailure: false }).catch((e: Error) => ({
      ok: false as const,
      error: e.message,
    }));
    state.label = `Switchyard, ${b.hosts} hosts, ${c.firewall}${b.family === 6 ? " (IPv6 translated)" : ""}`;
    if (!report.ok) {
      state.available = false;
      state.reason = ("failedStep" in report && report.failedStep ? `${report.failedStep}: ` : "") + (report.error ?? "apply failed");
      log(`${c.firewall} backend not available: ${state.reason}`);
      return state;
    }
  }
  state.server = await startServer(b, state, log);
  return state;
}

/** iperf3's server in the case's internet namespace, for the whole benchmark; stopped in cleanup. */
async function startServer(b: DataplaneBench, state: CaseState, log: (m: string) => void): Promise<StreamHandle> {
  let listening: () => void = () => {};
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const handle = startStream(netns(labTopology(b.labConfig, state.prefix).inet), "iperf3", ["-s", "-B", b.server, "--forceflush"], {
    onLine: (line) => {
      if (/^Server listening on/.test(line)) listening();
      const m = /^Accepted connection from (\S+), port/.exec(line);
      if (m) state.accepted.push(m[1]);
    },
    onStderrLine: (line) => state.stopping || log(`  iperf3 server ${state.prefix}: ${line}`),
  });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`iperf3 server in ${state.prefix} did not start`)), 5000).unref());
  await Promise.race([ready, timeout, handle.exited.then((code) => Promise.reject(new Error(`iperf3 server in ${state.prefix} exited ${code}`)))]);
  return handle;
}

/** GSO/TSO/GRO on or off: every gateway interface and the test host's (the sender's) eth0. */
export async function setOffloads(b: DataplaneBench, prefix: string, on: boolean) {
  const t = labTopology(b.labConfig, prefix);
  const devices: [string, string][] = [];
  for (const l of t.links) {
    if (l.kind === "bridge") devices.push([l.ns, l.name]);
    else for (const end of [l.a, l.b]) if (end.ns === t.gw || end.ns === t.hosts[0].ns) devices.push([end.ns, end.name]);
  }
  const v = on ? "on" : "off";
  for (const [ns, dev] of devices) await run(netns(ns), "ethtool", ["-K", dev, "tso", v, "gso", v, "gro", v]);
}

export interface Sample {
  mbps: number;
  retransmits: number;
  /** bytes per packet the gateway received from the test host during the run (a GSO packet counts once) */
  gatewayPacketBytes: number;
  seenAs: string;
}

/**
 * What the gateway's LAN port received from the test host: the packets its netfilter hooks see
 * (the gateway aggregates nothing itself, GRO being off or idle on a veth). Not the WAN's
 * transmit counters: a gateway whose WAN has TSO off sends MTU-sized packets, but it cuts them
 * after netfilter, which still saw the sender's 64 KiB super-packets.
 */
async function lanPortCounters(b: DataplaneBench, state: CaseState) {
  const t = labTopology(b.labConfig, state.prefix);
  const port = t.links.find((l) => l.kind === "veth" && l.a.ns === t.gw && l.a.master);
  if (port?.kind !== "veth") throw new Error("the lab has no LAN host port");
  const r = await run(netns(t.gw), "ip", ["-s", "-j", "link", "show", "dev", port.a.name]);
  return (JSON.parse(r.stdout) as { stats64: { rx: { bytes: number; packets: number } } }[])[0].stats64.rx;
}

export async function iperf(b: DataplaneBench, state: CaseState, seconds: number): Promise<Sample> {
  const hostNs = netns(labTopology(b.labConfig, state.prefix).hosts[0].ns);
  const before = await lanPortCounters(b, state);
  // -O 1: the first second (slow start) is left out of the figure
  const source = b.source(Boolean(state.firewall));
  const bind = source ? ["-B", source] : [];
  const r = await run(hostNs, "iperf3", ["-c", b.server, ...bind, "-t", String(seconds), "-O", "1", "-J", "--connect-timeout", "3000"], {
    timeoutMs: (seconds + 20) * 1000,
    allowFailure: true,
  });
  const after = await lanPortCounters(b, state);
  let out: { error?: string; end?: { sum_received?: { bits_per_second: number }; sum_sent?: { retransmits?: number } } };
  try {
    out = JSON.parse(r.stdout);
  } catch {
    throw new Error(`iperf3 in ${state.prefix}: exit ${r.exitCode}, ${r.stderr.trim() || "no JSON output"}`);
  }
  if (out.error || !out.end?.sum_received) throw new Error(`iperf3 in ${state.prefix}: ${out.error ?? "no result"}`);
  const seenAs = state.accepted[state.accepted.length - 1] ?? "(none)";
  if (seenAs !== b.expectedSource)
    throw new Error(`${state.id}: the server saw ${seenAs}, not ${b.expectedSource}: the traffic did not take ${b.testIsp.name}'s NAT`);
  const packets = after.packets - before.packets;
  return {
    mbps: out.end.sum_received.bits_per_second / 1e6,
    retransmits: out.end.sum_sent?.retransmits ?? 0,
    gatewayPacketBytes: packets > 0 ? Math.round((after.bytes - before.bytes) / packets) : 0,
    seenAs,
  };
}

/** Where the test host's own entry is and what it matched: proof that Switchyard's host list, not a default, sent it. */
export async function hostEntry(b: DataplaneBench, state: CaseState): Promise<CaseState["hostEntry"]> {
  const observed = await observeKernel(labTarget(state.prefix).target);
  // IPv6: the host is matched by its MAC
  const v6 = b.family === 6;
  const mac = b.testHost.mac?.toLowerCase() ?? "";
  if (state.firewall === "nftables") {
    const name = v6 ? NFT_SETS.hosts6 : NFT_SETS.hosts;
    const map = observed.sets?.find((s) => s.name === name);
    const e = map?.elements.find((x) => (v6 ? x.key.toLowerCase() === mac : x.key === b.testHost.address));
    return e && { position: `one of ${map!.elements.length} elements of the ${name} map (a hash lookup)`, packets: e.packets ?? 0 };
  }
  const rules = observed.chains.find((c) => c.table === "mangle" && c.name === CHAINS.mark && (c.family === 6) === v6)?.rules ?? [];
  const i = rules.findIndex((r) => (v6 ? r.spec.toLowerCase().includes(`--mac-source ${mac} `) : r.spec.includes(`-s ${b.testHost.address}/32 `)));
  return i < 0 ? undefined : { position: `rule ${i + 1} of ${rules.length} in ${CHAINS.mark}`, packets: rules[i].packets ?? 0 };
}
