// The connections a recovery leaves behind: while an interrupted apply's rules ran, new
// connections got its marks, and conntrack keeps a connection's mark for its whole life (the
// mark is restored onto every later packet). Put back to the old rules, those connections would
// still leave through the interrupted configuration's ISP (and NAT address) until they end.
// Pure: lib/engine/recovery.ts lists the flows and deletes these.
import type { GatewayConfig } from "@/lib/model";
import { withCanaryHosts } from "./canary/slots";
import { inSubnet, ipToInt, isIpv4, parseCidr } from "./ipv4";
import type { Flow } from "./parse/conntrack";
import { expectedMarks, type MovedHost } from "./plan";
import { MARK_MASK } from "./types";

/**
 * The flows whose mark a recovery undid: from a LAN address, carrying a mark that the
 * interrupted configuration gives that address and the restored one does not (restored null:
 * nothing of Switchyard's ran before, so no mark is the restored one's). Flows with any other
 * mark (foreign, or one both configurations give) are left alone.
 */
export function undoneFlows(interrupted: GatewayConfig, restored: GatewayConfig | null, flows: Flow[]): MovedHost[] {
  const now = withCanaryHosts(interrupted);
  const back = restored ? withCanaryHosts(restored) : null;
  const lans = interrupted.settings.lanSubnets.map((s) => parseCidr(s)!);
  const own = new Set(lans.map((c) => c.address));
  const fromLan = (a: string) => isIpv4(a) && !own.has(a) && lans.some((c) => inSubnet(a, c.address, c.prefix));
  const bySource = new Map<string, MovedHost>();
  for (const f of flows) {
    if (!fromLan(f.src)) continue;
    const mark = f.mark & MARK_MASK;
    const toMarks = back ? expectedMarks(back, f.src) : [];
    if (!expectedMarks(now, f.src).includes(mark) || toMarks.includes(mark)) continue;
    const h = bySource.get(f.src) ?? {
      address: f.src,
      name: (back ?? now).hosts.find((x) => x.address === f.src)?.name ?? null,
      fromMarks: [],
      toMarks,
      flows: 0,
    };
    if (!h.fromMarks.includes(mark)) h.fromMarks.push(mark);
    h.flows++;
    bySource.set(f.src, h);
  }
  return [...bySource.values()].map((h) => ({ ...h, fromMarks: h.fromMarks.sort((a, b) => a - b) })).sort((a, b) => ipToInt(a.address) - ipToInt(b.address));
}
