// The lab: a real gateway in network namespaces, derived from a GatewayConfig.
// labUp converges (creates what is missing, removes what the config no longer has) and
// installs only the bare network: no policy routing, no iptables, no routes in the gateway.
// That is the product's job, and a re-run leaves whatever the product put there alone.
// Processes per labUp: ~2 per namespace (one `ip -batch`, one or two `sysctl`), run in
// parallel, plus a handful of `ip -batch` calls for the cross-namespace steps.
import type { GatewayConfig } from "../model";
import { netns, run } from "../net/exec";
import { canaryNamespace } from "../net/canary/port";
import { configureLines, ipBatch, listNamespaces, observe, planLinks, type ObservedNs } from "./converge";
import { ensureServer, serverStatus, stopServer } from "./server";
import { ensureDhcp, stopDhcp } from "./dhcp";
import { checkPrefix, gatewayNamespace, labTopology, SERVER_ADDRESS, type LabOptions, type LabTopology } from "./topology";

export { gatewayNamespace, hostNamespace, inetNamespace, ispNamespace, labTopology, type LabOptions } from "./topology";
export { probeEgress, sendTraffic, type ProbeResult } from "./server";
export { setDhcpPool } from "./dhcp";

/** Promise.all with at most `limit` running at once (hundreds of hosts, one process each). */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
const PARALLEL = 16;

async function setSysctls(t: LabTopology, ns: string) {
  const kv = (optional: boolean) => t.sysctls.filter((s) => s.ns === ns && !!s.optional === optional).map((s) => `${s.key}=${s.value}`);
  const required = kv(false);
  const optional = kv(true);
  // -q: no echo of every key; -e: keys this kernel lacks (no br_netfilter, no IPv6) are fine
  if (required.length) await run(netns(ns), "sysctl", ["-q", "-w", ...required]);
  if (optional.length) await run(netns(ns), "sysctl", ["-q", "-e", "-w", ...optional]);
}

export interface LabUpResult {
  created: string[];
  removed: string[];
  serverPid: number | null;
  durationMs: number;
}

export async function labUp(config: GatewayConfig, opts: { prefix: string; server?: boolean } & LabOptions): Promise<LabUpResult> {
  const started = performance.now();
  const t = labTopology(config, opts.prefix, opts);
  const wanted = new Set(t.namespaces.map((n) => n.name));
  // the canary's namespace (lib/net/canary/port.ts) is the apply's, not the lab's: it stays
  const existing = (await listNamespaces(t.prefix)).filter((n) => n !== canaryNamespace(netns(gatewayNamespace(t.prefix))));
  const removed = existing.filter((n) => !wanted.has(n));
  const created = t.namespaces.map((n) => n.name).filter((n) => !existing.includes(n));
  const kept = existing.filter((n) => wanted.has(n));

  // 1. read what survives, drop links that are stale or wrongly paired
  const obs = new Map<string, ObservedNs>();
  const observed = await mapLimit(kept, PARALLEL, (ns) => observe(ns, Boolean(t.server.address6)));
  kept.forEach((ns, i) => obs.set(ns, observed[i]));
  const plan = planLinks(t, obs);
  // -force: a veth of a namespace being deleted may vanish under us; that's fine
  await mapLimit([...plan.deletes], PARALLEL, ([ns, lines]) => ipBatch(ns, lines, true));

  // 2. namespaces: the server must not outlive the inet namespace it listens in
  if (removed.includes(t.inet) || created.includes(t.inet)) await stopServer(t.prefix);
  // a DHCP process must not outlive its namespace either (it would run on, unreachable)
  if (removed.length || created.length) await stopDhcp(t.prefix, [...removed, ...created]);
  await ipBatch(null, [...removed.map((n) => `netns del ${n}`), ...created.map((n) => `netns add ${n}`)]);

  // 3. links (from the gateway's and inet's side), sysctls before anything is up, then
  //    addresses, link state and routes in every namespace at once
  await Promise.all([...plan.creates].map(([ns, lines]) => ipBatch(ns, lines)));
  await mapLimit([...wanted], PARALLEL, (ns) => setSysctls(t, ns));
  await mapLimit([...wanted], PARALLEL, (ns) => ipBatch(ns, configureLines(t, ns, obs.get(ns))));

  await ensureDhcp(t);
  const serverPid = opts.server === false ? null : await ensureServer(t.prefix, t.server.address6 ? "::" : SERVER_ADDRESS);
  return { created, removed, serverPid, durationMs: Math.round(performance.now() - started) };
}

/** Stop the server and delete every namespace named "<prefix>-...". Idempotent. */
export async function labDown(prefix: string): Promise<{ removed: string[]; durationMs: number }> {
  checkPrefix(prefix);
  const started = performance.now();
  await stopServer(prefix);
  await stopDhcp(prefix);
  const removed = await listNamespaces(prefix);
  await ipBatch(
    null,
    removed.map((n) => `netns del ${n}`),
    true,
  );
  const left = await listNamespaces(prefix);
  if (left.length) throw new Error(`lab: could not delete ${left.join(", ")}`);
  return { removed, durationMs: Math.round(performance.now() - started) };
}

export interface LabStatus {
  prefix: string;
  namespaces: string[];
  server: { pid: number | null; running: boolean };
  /** with a config: what labUp would create / remove */
  missing?: string[];
  extra?: string[];
}

export async function labStatus(prefix: string, config?: GatewayConfig): Promise<LabStatus> {
  checkPrefix(prefix);
  const namespaces = await listNamespaces(prefix);
  const status: LabStatus = { prefix, namespaces, server: serverStatus(prefix) };
  if (config) {
    const wanted = labTopology(config, prefix).namespaces.map((n) => n.name);
    status.missing = wanted.filter((n) => !namespaces.includes(n));
    status.extra = namespaces.filter((n) => !wanted.includes(n));
  }
  return status;
}
