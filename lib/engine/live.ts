// The live view of the gateway: what GET /api/kernel answers (lib/engine/live-types.ts).
//
// One snapshot = 5 read-only processes side by side (ip rule, ip route, iptables-save -c from
// observeKernel; one `ip -json -batch -` for links and neighbours; conntrack -L; and
// conntrack -L -f ipv6 where Switchyard routes IPv6) plus the
// SQLite reads (staged config: 4 queries, last good revision: 1), then pure assembly (assembleLive).
//
// Polling, not SSE. Cost measured against the classic-office lab (2 ISPs, 2 hosts, in network
// namespaces; production build on a 2-core VM, sequential GETs with a session cookie, 200-300
// requests per run, several runs, another e2e run sometimes busy on the same machine):
//   readMs (server side: the 5 processes + 5 queries + assembly): median 24-29 ms, p95 31-51 ms
//   whole GET /api/kernel as the client sees it:                   median 29-35 ms, p95 40-60 ms
//   CPU (server + the processes it starts):                         ~41-47 ms per request
//   response: ~4.1 kB of JSON
// At one request every 2 s that is ~2% of one core per open page, and nothing while nobody
// looks (the page stops polling when its tab is hidden). Most of it is process start-up
// (`ip netns exec` + the tool, five times). A server-sent event stream would save only the
// request overhead (~5 ms) while holding a connection and a timer per viewer; the kernel has
// no change notification for counters, so the server would have to poll the kernel anyway.
import type { GatewayConfig } from "@/lib/model";
import { loadConfig } from "@/lib/data/config";
import { run } from "@/lib/net/exec";
import { cidrContains, isIpv4, parseCidr } from "@/lib/net/ipv4";
import { allLanSubnets } from "@/lib/net/lans";
import { observeKernel, type ObservedState } from "@/lib/net/observe";
import { isOpen, parseConntrack, type Flow } from "@/lib/net/parse/conntrack";
import { addressOrder, macsOf, sources6 } from "@/lib/net/flows6";
import { hasIpv6 } from "@/lib/net/render/ipv6";
import { conntrackListArgs } from "@/lib/net/family";
import { LINK_NEIGH_BATCH, parseLinkNeighBatch } from "@/lib/net/parse/ip-batch";
import type { IpLink } from "@/lib/net/parse/ip-link";
import type { Neighbour } from "@/lib/net/parse/ip-neigh";
import { parseAccountingRule } from "@/lib/net/parse/ipt-spec";
import { CHAINS } from "@/lib/net/render";
import { MARK_MASK } from "@/lib/net/types";
import { resolveFirewall } from "@/lib/net/firewall";
import type { HostLive, IspLive, LiveSnapshot } from "./live-types";
import { applyLockHolder } from "./lock";
import { lastGoodRevision, newestRevisionId } from "@/lib/data/revisions";
import { validateStoredConfig } from "@/lib/data/stored";
import { noteDrift } from "@/lib/notify/drift";
import { gatewayStatus } from "./status";
import { resolveTarget, type ManagedTarget } from "./target";

/** `conntrack -L` text -> the open flows (source, mark). */
export const openFlows = (text: string): Flow[] => parseConntrack(text).filter(isOpen);

export interface LiveInputs {
  target: string;
  observed: ObservedState;
  links: IpLink[];
  neighbours: Neighbour[];
  flows: Flow[];
  /** the staged configuration: names the ISPs and hosts */
  config: GatewayConfig;
  /** the last good revision; its config is null when it no longer validates (no drift is computed then) */
  /** config: what the kernel should run; userConfig: what the user applied (differs during a failover) */
  lastGood: { id: number; config: GatewayConfig | null; userConfig?: GatewayConfig | null } | null;
  readMs: number;
}

/** Parsed kernel output + config -> the snapshot. Pure. */
export function assembleLive(i: LiveInputs): LiveSnapshot {
  const { observed, config } = i;
  const operstate = new Map(i.links.map((l) => [l.name, l.operstate]));

  // SWYD-ACCT: "-o wan" counts what leaves through the ISP, "-i wan" what comes back
  const tx = new Map<string, { packets: number; bytes: number }>();
  const rx = new Map<string, { packets: number; bytes: number }>();
  // both families: nftables' inet chain counts IPv4 and IPv6 at once, iptables has one chain per family (ip6tables)
  const accts = observed.chains.filter((c) => c.name === CHAINS.acct);
  for (const r of accts.flatMap((c) => c.rules)) {
    const m = parseAccountingRule(r.spec);
    if (!m) continue;
    const into = m.direction === "out" ? tx : rx;
    const c = into.get(m.dev) ?? { packets: 0, bytes: 0 };
    into.set(m.dev, { packets: c.packets + (r.packets ?? 0), bytes: c.bytes + (r.bytes ?? 0) });
  }

  // flows: the low byte of the connection mark says which ISP
  const ispByMark = new Map<number, string>();
  for (const isp of config.isps) if (!ispByMark.has(isp.mark & MARK_MASK)) ispByMark.set(isp.mark & MARK_MASK, isp.name);
  const markLabel = (mark: number) => {
    const m = mark & MARK_MASK;
    return m === 0 ? "unmarked" : (ispByMark.get(m) ?? `mark 0x${m.toString(16)}`);
  };
  const flowsByIsp = new Map<string, number>();
  const flowsByHost = new Map<string, Record<string, number>>();
  // IPv6 sources (docs/ipv6.md): a host is known by its MAC (the neighbour table), so its flows
  // from any of its IPv6 addresses count on its row; an unknown LAN source has a row of its own
  const source6 = sources6(config);
  const macs = macsOf(i.neighbours);
  const lanSources6 = new Set<string>();
  for (const f of i.flows) {
    const label = markLabel(f.mark);
    flowsByIsp.set(label, (flowsByIsp.get(label) ?? 0) + 1);
    let key = f.src;
    if (!isIpv4(f.src)) {
      const s = source6(f.src, macs.get(f.src));
      if (s?.host) key = s.host.address;
      else if (s) lanSources6.add(f.src);
    }
    const h = flowsByHost.get(key) ?? (Object.create(null) as Record<string, number>); // keyed by ISP names
    h[label] = (h[label] ?? 0) + 1;
    flowsByHost.set(key, h);
  }

  const isps: IspLive[] = config.isps.map((isp) => {
    const neighbour = i.neighbours.find((n) => n.dst === isp.gatewayAddress && n.dev === isp.wanInterface);
    const t = tx.get(isp.wanInterface);
    const r = rx.get(isp.wanInterface);
    return {
      name: isp.name,
      wanInterface: isp.wanInterface,
      link: operstate.get(isp.wanInterface) ?? "MISSING",
      gatewayNeighbour: neighbour ? neighbour.state.join(",") || "NONE" : null,
      txBytes: t?.bytes ?? 0,
      rxBytes: r?.bytes ?? 0,
      txPackets: t?.packets ?? 0,
      rxPackets: r?.packets ?? 0,
      flows: flowsByIsp.get(isp.name) ?? 0,
      routingTable: isp.routingTable,
      mark: isp.mark,
      enabled: isp.enabled,
    };
  });

  // the configured hosts, then any other LAN address with open flows (the gateway's own excluded)
  const known = new Set(config.hosts.map((h) => h.address));
  const own = new Set(allLanSubnets(config).map((s) => parseCidr(s)?.address));
  const others = [...flowsByHost.keys()]
    .filter((a) => (isIpv4(a) ? !known.has(a) && !own.has(a) && allLanSubnets(config).some((s) => cidrContains(s, a)) : lanSources6.has(a)))
    .sort(addressOrder);
  const hosts: HostLive[] = [
    ...config.hosts.map((h) => ({ address: h.address, name: h.name, flowsByIsp: flowsByHost.get(h.address) ?? {} })),
    ...others.map((address) => ({ address, flowsByIsp: flowsByHost.get(address) ?? {} })),
  ];

  const status = gatewayStatus(observed, i.lastGood?.config ?? null, config, i.lastGood?.userConfig ?? i.lastGood?.config ?? null);

  return {
    target: i.target,
    observedAt: observed.observedAt,
    ok: true,
    isps,
    hosts,
    owned: { rules: observed.rules, routes: observed.routes, chains: observed.chains, sets: observed.sets ?? [] },
    firewall: resolveFirewall(i.lastGood?.config ?? config, observed),
    foreign: observed.foreign,
    builtins: observed.builtins,
    drift: status.drift ?? [],
    overrides: status.overrides,
    downIsps: status.downIsps,
    vanished: status.vanished,
    lastGoodRevision: i.lastGood?.id ?? null,
    readMs: i.readMs,
  };
}

/** What the API answers when the gateway (or the database) could not be read. */
export function failedSnapshot(target: string, error: string, readMs: number, lastGoodRevision: number | null = null): LiveSnapshot {
  const empty = { rules: [], routes: [], chains: [] };
  return {
    target,
    observedAt: new Date().toISOString(),
    ok: false,
    error,
    isps: [],
    hosts: [],
    owned: empty,
    foreign: { ...empty },
    builtins: [],
    drift: [],
    lastGoodRevision,
    readMs,
  };
}

const READ_TIMEOUT_MS = 5_000;

const ms = (since: number) => Math.round((performance.now() - since) * 10) / 10;

/** Read the gateway now. Never throws: a failure comes back as { ok: false, error }. */
export async function liveSnapshot(managed?: ManagedTarget): Promise<LiveSnapshot> {
  const started = performance.now();
  let label = managed?.label ?? "(unknown target)";
  try {
    const m = managed ?? resolveTarget();
    label = m.label;
    const [lockBefore, newestBefore] = await Promise.all([applyLockHolder(), newestRevisionId()]);
    const [observed, batch, conntrack, config, rev] = await Promise.all([
      observeKernel(m.target),
      run(m.target, "ip", ["-json", "-batch", "-"], { input: LINK_NEIGH_BATCH, timeoutMs: READ_TIMEOUT_MS }),
      // conntrack may be missing or the module not loaded: no flows then, not an error
      run(m.target, "conntrack", conntrackListArgs(4), { allowFailure: true, timeoutMs: READ_TIMEOUT_MS }),
      loadConfig(),
      lastGoodRevision(),
    ]);
    const { links, neighbours } = parseLinkNeighBatch(batch.stdout);
    // IPv6 flows only where Switchyard routes IPv6 (one more process, after the config is read)
    const conntrack6 = hasIpv6(config) ? await run(m.target, "conntrack", conntrackListArgs(6), { allowFailure: true, timeoutMs: READ_TIMEOUT_MS }) : null;
    let lastGood: LiveInputs["lastGood"] = null;
    if (rev) {
      const v = validateStoredConfig(rev.config);
      const u = rev.base ? validateStoredConfig(rev.base) : v;
      lastGood = { id: rev.id, config: v.ok ? v.config : null, userConfig: u.ok ? u.config : null };
    }
    const snap = assembleLive({
      target: label,
      observed,
      links,
      neighbours,
      config,
      lastGood,
      readMs: 0,
      flows: [...(conntrack.exitCode === 0 ? openFlows(conntrack.stdout) : []), ...(conntrack6?.exitCode === 0 ? openFlows(conntrack6.stdout) : [])],
    });
    // an apply that ran while we read leaves the kernel ahead of (or behind) the revision we read
    const [lockAfter, newestAfter] = await Promise.all([applyLockHolder(), newestRevisionId()]);
    const lock = lockAfter ?? lockBefore;
    const applying = lock
      ? { holder: lock.holder, since: lock.since.toISOString() }
      : newestAfter !== newestBefore
        ? { holder: "another apply", since: new Date().toISOString() }
        : null;
    // a read during an apply sees a kernel in between: no drift is judged from it
    if (!applying && snap.lastGoodRevision !== null) await noteDrift(snap.drift, snap.lastGoodRevision);
    return { ...snap, applying, readMs: ms(started) };
  } catch (e) {
    return failedSnapshot(label, e instanceof Error ? e.message : String(e), ms(started));
  }
}
