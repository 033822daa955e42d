// An ISP's IPv6 learned from the box (DHCPv6-PD, docs/dynamic.md "DHCPv6-PD"). Switchyard does not
// run the DHCPv6 client: the box's client (dhcpcd, odhcp6c/netifd, systemd-networkd) asks for the
// prefix and puts a /64 of it on the LAN. Switchyard reads what it left, like a DHCP ISP's IPv4
// (lib/net/dynamic.ts), and resolveDynamic6 fills the ISP's ipv6 and the LAN /64s in, so render
// and verify see a static-looking IPv6 configuration. Pure, but for observe6.
// - the gateway: the WAN's IPv6 default route (learned from router advertisements, in main or
//   any table, any protocol but Switchyard's own; a source-specific one if that is all there is);
// - the prefix: a source-specific default route through the WAN (`default from <prefix> via ...
//   dev <wan>`, as odhcp6c/netifd install it) first: it is kernel state, client-agnostic, read
//   in the same route listing and never stale (the client removes it with the lease); else
//   dhcpcd's own account of its lease (`dhcpcd -U -6 <wan>`, which answers only while dhcpcd
//   runs): dhcpcd installs no source-specific route, only an unreachable route for the prefix;
// - the LAN /64s: each LAN interface's global /64 address inside the prefix (the client assigns
//   it). A prefix on no LAN is not used: nothing could be routed from it.
// A pd ISP with nothing usable learned runs without IPv6 (the ISP itself stays up for IPv4).
import type { GatewayConfig, IspConfig } from "@/lib/model";
import { run, type Target } from "./exec";
import { lansOf, MAIN_LAN } from "./lans";
import { parsePrefix, prefixContains } from "./address";
import type { IfaceAddresses } from "./parse/ip-addr";
import { parseIpRouteJson } from "./parse/ip-route";
import { ROUTE_PROTO, type Route } from "./types";
import { ipv6Gateway, ipv6Prefix, lanSubnet6 } from "@/lib/validation/fields-ipv6";

export interface Observed6 {
  links: IfaceAddresses[];
  /** every IPv6 route of every table (`ip -N -6 -json route show table all`) */
  routes6: Route[];
  /** per WAN: what `dhcpcd -U -6 <wan>` printed, null when it answered nothing (not running, not installed) */
  dhcpcd: Record<string, string | null>;
}

export interface Learned6 {
  prefix: string;
  gateway: string;
  prefixFrom: "route" | "dhcpcd";
  /** the gateway's address/64 in the prefix on each LAN that carries it */
  lans: { lan: string; subnet: string }[];
}

export type Unlearned6Kind = "no-gateway" | "no-prefix" | "no-lan-address" | "unusable";
export interface Unlearned6 {
  kind: Unlearned6Kind;
  message: string;
}

export interface Resolution6 {
  config: GatewayConfig;
  learned6: Record<string, Learned6 | null>;
  problems6: { isp: string; kind: Unlearned6Kind; message: string }[];
}

export const isPdIsp = (isp: IspConfig) => isp.ipv6?.mode === "pd";
export const hasPdIsps = (config: GatewayConfig) => config.isps.some(isPdIsp);

const ownProto = String(ROUTE_PROTO);
const unlearned = (kind: Unlearned6Kind, message: string): Unlearned6 => ({ kind, message });

/**
 * `dhcpcd -U -6` output -> the first delegated prefix still valid ("2001:db8:a00::/56"), or null.
 * After a renumbering the ISP's reply lists the old prefix withdrawn (vltime 0) before the new one.
 */
export function parseDhcpcdPd(text: string): string | null {
  const vars = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^(dhcp6_ia_pd\d+_prefix\d+(?:_length|_vltime)?)=(\S+)$/.exec(line.trim());
    if (m && !vars.has(m[1])) vars.set(m[1], m[2]);
  }
  for (const [key, address] of vars) {
    if (key.endsWith("_length") || key.endsWith("_vltime")) continue;
    const length = vars.get(`${key}_length`);
    if (vars.get(`${key}_vltime`) === "0") continue;
    if (length && /^\d+$/.test(length)) return `${address}/${length}`;
  }
  return null;
}

/** The WAN's non-Switchyard IPv6 default routes, main first, then by metric. */
function defaults6(routes: Route[], dev: string): Route[] {
  return routes
    .filter((r) => r.dev === dev && r.dst === "default" && r.gateway && r.protocol !== ownProto)
    .sort((a, b) => Number(b.table === 254) - Number(a.table === 254) || (a.metric ?? 0) - (b.metric ?? 0));
}

/** What one pd ISP's WAN and the LANs show now, or why nothing usable was found. */
export function learnIsp6(config: GatewayConfig, isp: IspConfig, observed: Observed6): Learned6 | Unlearned6 {
  const dev = isp.wanInterface;
  const defaults = defaults6(observed.routes6, dev);
  const sourced = defaults.find((r) => r.from && r.from !== "::/0");
  const plain = defaults.find((r) => !r.from || r.from === "::/0") ?? sourced;
  if (!plain) return unlearned("no-gateway", `${dev} has no IPv6 default route yet (no router advertisement from the ISP)`);
  let raw = sourced?.from ?? null;
  let prefixFrom: Learned6["prefixFrom"] = "route";
  if (!raw) {
    raw = parseDhcpcdPd(observed.dhcpcd[dev] ?? "");
    prefixFrom = "dhcpcd";
  }
  if (!raw) return unlearned("no-prefix", `${dev} has no delegated IPv6 prefix yet (no source-specific default route, and dhcpcd reports no DHCPv6-PD lease)`);
  // values from the kernel reach command lines: they pass the same rules as typed ones
  const prefix = ipv6Prefix.safeParse(raw);
  const gateway = ipv6Gateway.safeParse(plain.gateway);
  if (!prefix.success) return unlearned("unusable", `${dev}: the delegated prefix ${raw} cannot be used: ${prefix.error.issues[0]?.message}`);
  if (!gateway.success) return unlearned("unusable", `${dev}: the IPv6 gateway ${plain.gateway} cannot be used: ${gateway.error.issues[0]?.message}`);
  const lans = lansOf(config).flatMap((lan) => {
    const link = observed.links.find((l) => l.name === lan.interface);
    const a = link?.addresses.find((x) => x.family === 6 && x.scope === "global" && x.prefix === 64 && prefixContains(prefix.data, x.local));
    const subnet = a && lanSubnet6.safeParse(`${a.local}/64`);
    return subnet?.success ? [{ lan: lan.name, subnet: subnet.data }] : [];
  });
  if (!lans.length) return unlearned("no-lan-address", `the delegated prefix ${prefix.data} is on no LAN yet (no LAN interface has a /64 address in it)`);
  return { prefix: prefix.data, gateway: gateway.data, prefixFrom, lans };
}

/**
 * Each pd ISP gets what was learned (its ipv6 prefix and gateway, its /64 on each LAN), or
 * runs without IPv6. Static ISPs and configurations without pd ISPs are returned unchanged.
 */
export function resolveDynamic6(config: GatewayConfig, observed: Observed6): Resolution6 {
  const learned6: Resolution6["learned6"] = {};
  const problems6: Resolution6["problems6"] = [];
  if (!hasPdIsps(config)) return { config, learned6, problems6 };
  const added = new Map<string, string[]>(); // LAN name -> learned /64s
  const isps = config.isps.map((isp) => {
    if (!isPdIsp(isp)) return isp;
    const l = learnIsp6(config, isp, observed);
    if ("kind" in l) {
      learned6[isp.name] = null;
      problems6.push({ isp: isp.name, kind: l.kind, message: `${l.message}: runs without IPv6` });
      const { ipv6: _off, ...rest } = isp;
      return rest;
    }
    learned6[isp.name] = l;
    for (const x of l.lans) added.set(x.lan, [...(added.get(x.lan) ?? []), x.subnet]);
    return { ...isp, ipv6: { ...isp.ipv6!, prefix: l.prefix, gateway: l.gateway } };
  });
  // a stored /64 inside a learned prefix (typed before, or a derived config) is not added twice
  const merge = (lan: string, list: string[] | undefined) => {
    const extra = (added.get(lan) ?? []).filter((s) => !(list ?? []).some((x) => parsePrefix(x)?.network === parsePrefix(s)?.network));
    return extra.length ? [...(list ?? []), ...extra] : list;
  };
  const s = config.settings;
  const main = merge(MAIN_LAN, s.lanSubnets6);
  const settings = {
    ...s,
    ...(main ? { lanSubnets6: main } : {}),
    ...(s.lans ? { lans: s.lans.map((lan) => ({ ...lan, ...(merge(lan.name, lan.subnets6) ? { subnets6: merge(lan.name, lan.subnets6) } : {}) })) } : {}),
  };
  return { config: { ...config, isps, settings }, learned6, problems6 };
}

/** What the kernel (and dhcpcd, for WANs without a source-specific route) shows for the pd ISPs. */
export async function observe6(config: GatewayConfig, target: Target, links: IfaceAddresses[]): Promise<Observed6> {
  const out = await run(target, "ip", ["-N", "-6", "-json", "route", "show", "table", "all"]);
  const routes6 = parseIpRouteJson(out.stdout, undefined, 254, 6);
  const dhcpcd: Observed6["dhcpcd"] = {};
  for (const isp of config.isps.filter(isPdIsp)) {
    const dev = isp.wanInterface;
    if (defaults6(routes6, dev).some((r) => r.from && r.from !== "::/0")) continue;
    // dhcpcd answers only while it runs; not installed or not running: no answer, not an error
    const r = await run(target, "dhcpcd", ["-U", "-6", dev], { allowFailure: true, timeoutMs: 5000 }).catch(() => null);
    dhcpcd[dev] = r && r.exitCode === 0 ? r.stdout : null;
  }
  return { links, routes6, dhcpcd };
}

/** One line per pd ISP: what runs now. */
export function describeLearned6(name: string, l: Learned6 | null | undefined): string {
  if (!l) return `${name}: no IPv6 learned`;
  const from = l.prefixFrom === "route" ? "its source-specific default route" : "dhcpcd's lease";
  return `${name}: IPv6 ${l.prefix} via ${l.gateway} (prefix from ${from}; LAN ${l.lans.map((x) => `${x.lan} ${x.subnet}`).join(", ")})`;
}
