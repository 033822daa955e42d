// Dynamic ISPs (DHCP, PPP): their address, prefix and gateway are read from the kernel, not
// configured. resolveDynamic is pure: (the user's config, what the kernel shows) -> the config
// the renderer sees, with the learned values filled in. The renderer does not know about it,
// the way it does not know about failover (lib/health/effective.ts).
// - the address: the WAN's IPv4 address (not one inside the ISP's routed blocks, not a NAT
//   address); a PPP address with a peer first;
// - the gateway: the DHCP client's default route on that device, in main or any table (any
//   protocol but Switchyard's own); else the PPP peer; else, when the address did not change,
//   the gateway learned before (a link that bounced lost its routes, the lease did not change);
// - SNAT without a configured default NAT address SNATs to the current address;
// - a dynamic ISP with nothing learned is disabled in what runs: its hosts go to the next ISP
//   (render sends a disabled ISP's hosts to the default, and its WAN is guarded), nothing leaks.
import type { GatewayConfig, IspConfig } from "@/lib/model";
import { inSubnet, isNetworkOrBroadcast, parseCidr } from "./ipv4";
import { run, type Target } from "./exec";
import { ipArgs } from "./family";
import { ipv4Addresses, parseIpAddrJson, type IfaceAddresses } from "./parse/ip-addr";
import { parseIpRouteJson } from "./parse/ip-route";
import { ROUTE_PROTO, type Route } from "./types";
import { ipv4 } from "@/lib/validation/fields";
import { isDynamicIsp } from "@/lib/validation/entities";
import { hasPdIsps, observe6, resolveDynamic6, type Observed6, type Resolution6 } from "./dynamic6";

export interface ObservedLinks {
  links: IfaceAddresses[];
  routes: Route[];
  /** IPv6 routes and dhcpcd's answers, read only when an ISP learns its IPv6 by DHCPv6-PD (lib/net/dynamic6.ts) */
  routes6?: Route[];
  dhcpcd?: Observed6["dhcpcd"];
}

export interface Learned {
  linkAddress: string;
  linkPrefix: number;
  gatewayAddress: string;
  /** where the gateway came from, for the UI */
  gatewayFrom: "route" | "peer" | "kept";
}

/**
 * Why nothing usable was learned. "no-interface" and "no-address" are told apart on every
 * screen: a WAN whose lease is gone is a DHCP matter, a missing interface a cabling or PPP one.
 */
export type UnlearnedKind = "no-interface" | "no-address" | "no-gateway" | "unusable";
export interface Unlearned {
  kind: UnlearnedKind;
  message: string;
}

export interface DynamicResolution {
  config: GatewayConfig;
  /** per dynamic ISP: what was learned, null when nothing usable */
  learned: Record<string, Learned | null>;
  problems: { isp: string; kind: UnlearnedKind; message: string }[];
  /** per pd ISP (IPv6 by DHCPv6-PD): what was learned, null when nothing usable (it then runs without IPv6) */
  learned6?: Resolution6["learned6"];
  problems6?: Resolution6["problems6"];
}

const ownProto = String(ROUTE_PROTO);

function inBlocks(isp: IspConfig, address: string): boolean {
  return (isp.routedBlocks ?? []).some((b) => {
    const c = parseCidr(b);
    return !!c && inSubnet(address, c.address, c.prefix);
  });
}

const unlearned = (kind: UnlearnedKind, message: string): Unlearned => ({ kind, message });

/** What one dynamic ISP's WAN shows now, or why nothing usable was found. */
export function learnIsp(config: GatewayConfig, isp: IspConfig, observed: ObservedLinks, previous?: Learned | null): Learned | Unlearned {
  const dev = isp.wanInterface;
  const link = observed.links.find((l) => l.name === dev);
  if (!link) return unlearned("no-interface", `${dev}: no such interface on the gateway${isp.addressMode === "ppp" ? " (PPP is not connected)" : ""}`);
  const nat = new Set(config.natAddresses.filter((n) => n.isp === isp.name).map((n) => n.address));
  const candidates = ipv4Addresses(link).filter((a) => !inBlocks(isp, a.local) && !nat.has(a.local));
  const addr = candidates.find((a) => a.peer) ?? candidates.find((a) => a.prefix < 32) ?? candidates[0];
  if (!addr) return unlearned("no-address", `${dev} has no IPv4 address yet${isp.addressMode === "dhcp" ? " (no DHCP lease)" : ""}`);
  const defaults = observed.routes
    .filter((r) => r.dev === dev && r.dst === "default" && r.gateway && r.protocol !== ownProto)
    .sort((a, b) => Number(b.table === 254) - Number(a.table === 254) || (a.metric ?? 0) - (b.metric ?? 0));
  let gatewayAddress = defaults[0]?.gateway;
  let gatewayFrom: Learned["gatewayFrom"] = "route";
  if (!gatewayAddress && addr.peer) [gatewayAddress, gatewayFrom] = [addr.peer, "peer"];
  if (!gatewayAddress && previous && previous.linkAddress === addr.local && previous.linkPrefix === addr.prefix)
    [gatewayAddress, gatewayFrom] = [previous.gatewayAddress, "kept"];
  if (!gatewayAddress)
    return unlearned("no-gateway", `${dev} has the address ${addr.local}/${addr.prefix} but no gateway yet (no default route on it, no peer)`);
  // values from the kernel reach command lines: they pass the same rules as typed ones
  if (!ipv4.safeParse(addr.local).success || !ipv4.safeParse(gatewayAddress).success || addr.prefix < 8)
    return unlearned("unusable", `${dev}: the kernel shows ${addr.local}/${addr.prefix} via ${gatewayAddress}, which Switchyard cannot use`);
  if (
    addr.prefix < 32 &&
    (!inSubnet(gatewayAddress, addr.local, addr.prefix) || gatewayAddress === addr.local || isNetworkOrBroadcast(gatewayAddress, addr.prefix))
  )
    return unlearned("unusable", `${dev}: the gateway ${gatewayAddress} is not a usable address of ${addr.local}/${addr.prefix}`);
  return { linkAddress: addr.local, linkPrefix: addr.prefix, gatewayAddress, gatewayFrom };
}

export function resolveDynamic(config: GatewayConfig, observed: ObservedLinks, previous: Record<string, Learned | null> = {}): DynamicResolution {
  const learned: DynamicResolution["learned"] = {};
  const problems: DynamicResolution["problems"] = [];
  const natAddresses = [...config.natAddresses];
  const isps = config.isps.map((isp) => {
    if (!isDynamicIsp(isp)) return isp;
    const l = learnIsp(config, isp, observed, previous[isp.name]);
    if ("kind" in l) {
      learned[isp.name] = null;
      if (isp.enabled) problems.push({ isp: isp.name, kind: l.kind, message: `${l.message}: treated as down` });
      return { ...isp, enabled: false };
    }
    learned[isp.name] = l;
    if (isp.natMode === "SNAT" && !natAddresses.some((n) => n.isp === isp.name && n.isDefault))
      natAddresses.push({ address: l.linkAddress, isp: isp.name, isDefault: true, host: null });
    return { ...isp, linkAddress: l.linkAddress, linkPrefix: l.linkPrefix, gatewayAddress: l.gatewayAddress };
  });
  const v4 = { ...config, isps, natAddresses };
  if (!hasPdIsps(config)) return { config: v4, learned, problems };
  const six = resolveDynamic6(v4, { links: observed.links, routes6: observed.routes6 ?? [], dhcpcd: observed.dhcpcd ?? {} });
  return { config: six.config, learned, problems, learned6: six.learned6, problems6: six.problems6 };
}

/** Anything learned from the kernel: a DHCP or PPP ISP's IPv4, or an ISP's IPv6 by DHCPv6-PD. */
export const hasDynamicIsps = (config: GatewayConfig) => config.isps.some(isDynamicIsp) || hasPdIsps(config);

/**
 * Two read-only processes: every interface with its addresses, and every IPv4 route of every
 * table. Not `ip -4 addr`: it leaves out an interface without an IPv4 address, and a WAN whose
 * lease is gone would read as one that does not exist (the parser keeps the IPv4 addresses).
 */
export async function observeLinks(target: Target): Promise<ObservedLinks> {
  const [addrs, routes] = await Promise.all([
    run(target, "ip", ["-json", "addr", "show"]),
    run(target, "ip", ["-N", ...ipArgs(4, "-json", "route", "show", "table", "all")]),
  ]);
  return { links: parseIpAddrJson(addrs.stdout), routes: parseIpRouteJson(routes.stdout) };
}

/** The learned values a derived configuration carries (a revision's config): the "previous" of the next resolution. */
export function learnedOf(derived: GatewayConfig | null): Record<string, Learned | null> {
  const out: Record<string, Learned | null> = {};
  for (const isp of derived?.isps ?? []) {
    if (isDynamicIsp(isp) && isp.linkAddress)
      out[isp.name] = { linkAddress: isp.linkAddress, linkPrefix: isp.linkPrefix, gatewayAddress: isp.gatewayAddress, gatewayFrom: "kept" };
  }
  return out;
}

/** resolveDynamic against the target's kernel now; without dynamic ISPs nothing is read. */
export async function learnNow(config: GatewayConfig, target: Target, previous: Record<string, Learned | null> = {}): Promise<DynamicResolution> {
  if (!hasDynamicIsps(config)) return { config, learned: {}, problems: [] };
  const observed = await observeLinks(target);
  if (hasPdIsps(config)) Object.assign(observed, await observe6(config, target, observed.links));
  return resolveDynamic(config, observed, previous);
}

/** One line per dynamic ISP: what runs now. */
export function describeLearned(name: string, l: Learned | null | undefined): string {
  if (!l) return `${name}: nothing learned`;
  const from = { route: "its default route", peer: "the PPP peer", kept: "kept from before (no route on the link now)" }[l.gatewayFrom];
  return `${name}: ${l.linkAddress}/${l.linkPrefix} via ${l.gatewayAddress} (gateway from ${from})`;
}
