// The connections a recovery leaves behind: while an interrupted apply's rules ran, new
// connections got its marks, and conntrack keeps a connection's mark for its whole life (the
// mark is restored onto every later packet). Put back to the old rules, those connections would
// still leave through the interrupted configuration's ISP (and NAT address) until they end.
// Pure: lib/engine/recovery.ts lists the flows and deletes these.
import type { GatewayConfig } from "@/lib/model";
import { withCanaryHosts } from "./canary/slots";
import { addressOrder, sources6 } from "./flows6";
import { inSubnet, isIpv4, parseCidr } from "./ipv4";
import type { Flow } from "./parse/conntrack";
import { expectedMarks, type MovedHost } from "./plan";
import { allowedMarks } from "./render/targets";
import { MARK_MASK } from "./types";

/** Who a flow's source is under a configuration: the marks it may carry and its host's name; null: not a LAN source (or the gateway's own). */
function sourcesOf(config: GatewayConfig): (f: Flow) => { marks: number[]; name: string | null } | null {
  const lans = config.settings.lanSubnets.map((s) => parseCidr(s)!);
  const own = new Set(lans.map((c) => c.address));
  // IPv6: the host by its MAC, the LAN by the /64 that holds the address (lib/net/flows6.ts)
  const source6 = sources6(config);
  return (f) => {
    if (isIpv4(f.src)) {
      if (own.has(f.src) || !lans.some((c) => inSubnet(f.src, c.address, c.prefix))) return null;
      return { marks: expectedMarks(config, f.src), name: config.hosts.find((x) => x.address === f.src)?.name ?? null };
    }
    const s = source6(f.src, f.mac);
    return s && { marks: allowedMarks(config, s.host, s.host ? null : s.lan).map((m) => m & MARK_MASK), name: s.host?.name ?? null };
  };
}

/**
 * The flows whose mark a recovery undid: from a LAN address, carrying a mark that the
 * interrupted configuration gives that address and the restored one does not (restored null:
 * nothing of Switchyard's ran before, so no mark is the restored one's). Flows with any other
 * mark (foreign, or one both configurations give) are left alone. IPv6 flows (listed with their
 * source's MAC) are judged by the host with that MAC, as an apply's conntrack step judges them.
 */
export function undoneFlows(interrupted: GatewayConfig, restored: GatewayConfig | null, flows: Flow[]): MovedHost[] {
  const now = sourcesOf(withCanaryHosts(interrupted));
  const back = restored ? sourcesOf(withCanaryHosts(restored)) : null;
  const bySource = new Map<string, MovedHost>();
  for (const f of flows) {
    const was = now(f);
    if (!was) continue;
    const is = back?.(f) ?? null;
    const mark = f.mark & MARK_MASK;
    const toMarks = is?.marks ?? [];
    if (!was.marks.includes(mark) || toMarks.includes(mark)) continue;
    const h = bySource.get(f.src) ?? { address: f.src, name: (is ?? was).name, fromMarks: [], toMarks, flows: 0 };
    if (!h.fromMarks.includes(mark)) h.fromMarks.push(mark);
    h.flows++;
    bySource.set(f.src, h);
  }
  return [...bySource.values()].map((h) => ({ ...h, fromMarks: h.fromMarks.sort((a, b) => a - b) })).sort((a, b) => addressOrder(a.address, b.address));
}
