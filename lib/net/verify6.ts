// verify, IPv6 (docs/ipv6.md): the paths IPv6 takes, asked of the kernel with one batched
// `ip -6 route get ... from <LAN /64 address> iif <LAN> [mark M]`. For each LAN /64 (which
// belongs to one ISP):
// - unmarked (a host not placed, the gateway's own traffic): it leaves by the ISP its prefix
//   belongs to;
// - marked for each active ISP: by that ISP when it has IPv6 and translates (the source is
//   mapped to its prefix on the way out), else by the prefix's own ISP (its IPv6 follows its
//   address); marked for an ISP without IPv6 set to "unreachable", and the unreachable mark: refused.
// Hosts are matched by MAC, so their addresses are not known here: these lookups stand for
// every address of the /64, whatever a host picks. Nothing here is a pass without an answer.
import type { GatewayConfig, IspConfig } from "@/lib/model";
import type { Target } from "./exec";
import { parsePrefix } from "./address";
import { activeIspsOf, UNREACHABLE_MARK } from "./render/targets";
import { hasIpv6, lanSubnets6, refusesIpv6, translations6 } from "./render/ipv6";
import { routeLookups } from "./verify";
import { MARK_MASK } from "./types";

export interface Ipv6PathVerdict {
  /** the LAN /64 ("2001:db8:a:1::/64") and whose prefix it is */
  subnet: string;
  owner: string;
  lan: string;
  /** the ISP whose mark the lookup carried; absent: unmarked */
  markedFor?: string;
  /** the ISP it must leave by; null: refused (unreachable) */
  expected: { isp: string; table: number; dev: string } | null;
  predicted?: { table?: number; dev?: string; gateway?: string; error?: string };
  ok: boolean;
  reason?: string;
}

/** An address inside a /64 no host is likely to hold (the lookup only needs the prefix). */
export function sampleAddress(network: string): string {
  const p = parsePrefix(network)!;
  const base = p.network.slice(0, p.network.lastIndexOf("/"));
  return parsePrefix(`${base.endsWith("::") ? base : `${base}:`}5ca1:ab1e/${p.prefix}`)?.address ?? p.address;
}

interface Ask {
  verdict: Omit<Ipv6PathVerdict, "ok" | "predicted">;
  address: string;
  iif: string;
  mark: number;
}

/** What each lookup must answer, from the configuration alone. Pure. */
export function ipv6Asks(config: GatewayConfig): Ask[] {
  if (!hasIpv6(config)) return [];
  const translated = translations6(config);
  const path = (isp: IspConfig) => ({ isp: isp.name, table: isp.routingTable, dev: isp.wanInterface });
  const asks: Ask[] = [];
  const down = new Set(config.health?.down ?? []);
  for (const s of lanSubnets6(config)) {
    if (!s.isp) continue;
    const base = { subnet: s.network, owner: s.isp.name, lan: s.lan.name };
    const address = sampleAddress(s.network);
    const iif = s.lan.interface;
    // a prefix whose ISP is down is refused (lib/net/routing/render.ts), not sent into its dead table
    const own = down.has(s.isp.name) ? null : path(s.isp);
    asks.push({ verdict: { ...base, expected: own }, address, iif, mark: 0 });
    for (const isp of activeIspsOf(config)) {
      if (isp.name === s.isp.name) continue;
      const moves = translated.some((t) => t.isp.name === isp.name && t.from === s.network);
      // an ISP without IPv6 that refuses its hosts' IPv6: the marked lookup must fail
      const expected = refusesIpv6(isp) ? null : moves ? path(isp) : own;
      asks.push({ verdict: { ...base, markedFor: isp.name, expected }, address, iif, mark: isp.mark & MARK_MASK });
    }
    asks.push({ verdict: { ...base, markedFor: "(unreachable)", expected: null }, address, iif, mark: UNREACHABLE_MARK });
  }
  return asks;
}

export async function verifyIpv6Paths(target: Target, config: GatewayConfig): Promise<Ipv6PathVerdict[]> {
  const asks = ipv6Asks(config);
  const got = await routeLookups(target, asks, 6);
  return asks.map((a, i) => judge(a.verdict, got[i]));
}

export function judge(v: Ask["verdict"], p: Ipv6PathVerdict["predicted"]): Ipv6PathVerdict {
  const who = `${v.subnet} (${v.owner}'s prefix on ${v.lan})${v.markedFor ? ` marked for ${v.markedFor}` : ", unmarked"}`;
  if (!v.expected) {
    const ok = Boolean(p?.error);
    return { ...v, predicted: p, ok, ...(ok ? {} : { reason: `${who}: must be refused, yet a lookup finds table ${p?.table} dev ${p?.dev}` }) };
  }
  if (!p || p.error) return { ...v, predicted: p, ok: false, reason: `${who}: route lookup failed: ${p?.error ?? "no answer"}` };
  const ok = p.table === v.expected.table && p.dev === v.expected.dev;
  return {
    ...v,
    predicted: p,
    ok,
    ...(ok ? {} : { reason: `${who}: leaves by table ${p.table} dev ${p.dev}, expected ${v.expected.isp} (table ${v.expected.table} dev ${v.expected.dev})` }),
  };
}
