// Adopting a hand-made gateway's IPv6 (docs/ipv6.md, docs/adopt.md). Pure. Read only: the
// old IPv6 objects stay as they are (no take over); Switchyard's `ip -6` rules run ahead of
// them once applied, and main's source-specific defaults then serve the gateway alone.
// Per ISP found for IPv4 (by its WAN interface):
// - an IPv6 default route through that WAN with a next hop, in any table: its source prefix
//   (`default from <prefix> via ...`, as OpenWrt's netifd and odhcp6c install it), else the
//   prefix of an `ip -6 rule from <prefix> lookup <its table>`; that prefix and next hop are
//   the ISP's IPv6;
// - the LAN's /64s: the LAN interface's global IPv6 addresses (/64) inside one ISP's prefix.
// What cannot be tied to an ISP is said, not guessed.
import type { IspConfig } from "@/lib/model";
import { familyOf, parsePrefix, prefixContains } from "@/lib/net/address";
import type { Route, Rule } from "@/lib/net/types";
import { routeText, ruleText } from "./objects";
import type { IfAddress, NotUnderstood } from "./types";

export interface Ipv6Inference {
  /** ISP name -> its IPv6 and the objects it was read from */
  isps: Map<string, { prefix: string; gateway: string; from: string[] }>;
  /** the gateway's LAN addresses, "2001:db8:a:10::1/64" */
  lanSubnets6: string[];
  lanFrom: string[];
  notes: NotUnderstood[];
}

const MAIN = 254;
const isDefault = (r: Route) => r.dst === "default" || r.dst === "::/0";
const isGlobal = (a: string) => familyOf(a) === "ipv6" && !/^f[cde]/i.test(a) && !/^ff/i.test(a) && a !== "::1";

export function inferIpv6(routes: Route[], rules: Rule[], addresses6: IfAddress[], isps: IspConfig[], lanIf: string): Ipv6Inference {
  const out: Ipv6Inference = { isps: new Map(), lanSubnets6: [], lanFrom: [], notes: [] };
  for (const isp of isps) {
    const defaults = routes.filter((r) => isDefault(r) && r.dev === isp.wanInterface && r.gateway);
    if (defaults.length === 0) continue;
    let found: { prefix: string; gateway: string; from: string[] } | null = null;
    for (const r of defaults) {
      const rule = r.table !== MAIN ? rules.find((x) => x.table === r.table && x.src && !x.not && x.fwmark === undefined && !x.action) : undefined;
      const from = r.from ?? rule?.src;
      const p = from ? parsePrefix(from.includes("/") ? from : `${from}/128`) : null;
      if (!p || !isGlobal(p.address)) continue;
      if (p.prefix < 48 || p.prefix > 64) {
        out.notes.push({ object: routeText(r), why: `${p.network} is not a /48 to /64: set ${isp.name}'s IPv6 prefix by hand` });
        continue;
      }
      found = { prefix: p.network, gateway: r.gateway!, from: [routeText(r), ...(rule && !r.from ? [ruleText(rule)] : [])] };
      break;
    }
    if (!found) {
      out.notes.push({
        object: routeText(defaults[0]),
        why: `an IPv6 default route through ${isp.name}'s ${isp.wanInterface}, but no prefix is tied to it (no source-specific route, no "from" rule): set ${isp.name}'s IPv6 prefix by hand`,
      });
      continue;
    }
    if ([...out.isps.values()].some((x) => x.prefix === found!.prefix)) continue;
    out.isps.set(isp.name, found);
  }
  for (const a of addresses6) {
    if (a.dev !== lanIf || a.prefix !== 64 || !isGlobal(a.address)) continue;
    const owners = [...out.isps].filter(([, v]) => prefixContains(v.prefix, a.address));
    if (owners.length !== 1) continue;
    // one /64 per ISP per LAN: the first address the LAN holds in it
    if (out.lanSubnets6.some((s) => prefixContains(owners[0][1].prefix, s.split("/")[0]))) continue;
    out.lanSubnets6.push(`${a.address}/64`);
    out.lanFrom.push(`ip -6 addr: ${a.address}/64 dev ${a.dev} (in ${owners[0][0]}'s ${owners[0][1].prefix})`);
  }
  // in the ISPs' order, whatever order `ip addr` lists them in
  const rank = (s: string) => [...out.isps.values()].findIndex((v) => prefixContains(v.prefix, s.split("/")[0]));
  const order = out.lanSubnets6.map((s, i) => ({ s, f: out.lanFrom[i] })).sort((x, y) => rank(x.s) - rank(y.s));
  out.lanSubnets6 = order.map((x) => x.s);
  out.lanFrom = order.map((x) => x.f);
  return out;
}
