// render, routing: config -> the routing tables, their routes and the ip rules. Pure and
// deterministic; the same on both firewall backends (the marks the rules select by are set by
// lib/net/firewall). See lib/net/firewall/iptables/render.ts for the whole design.
// - one routing table per enabled ISP: its link route, the LAN routes (so that replies restored
//   into an ISP table still reach the LAN) and its default route (`onlink` for a /32
//   point-to-point address, whose gateway is outside any subnet);
// - the main table's default route is not Switchyard's: it stays with its owner (DHCP client,
//   ifupdown, the admin). LAN traffic never reaches it: every LAN packet is marked, and LAN
//   sources that find no ISP route hit an unreachable rule;
// - ip rules tagged `protocol 201`, in Switchyard's range: LAN destinations stay on main, then
//   main without its default route (link, local and foreign routes keep working), then fwmark ->
//   ISP table, then ISP source addresses -> ISP table, then LAN sources -> unreachable (no usable
//   ISP: an ICMP error, never a leak).
import type { GatewayConfig, IspConfig } from "@/lib/model";
import { UNREACHABLE_MARK, activeIspsOf } from "@/lib/net/render/targets";
import { cidrNetwork, parseCidr } from "@/lib/net/ipv4";
import { lanNetworks, lansOf, networksOf } from "@/lib/net/lans";
import { assertTableName } from "./text";
import { ipv6IspsOf, ispPrefix6, lanNetworks6, lanSubnets6, refusesIpv6, translatesFor } from "@/lib/net/render/ipv6";
import { MARK_MASK, ROUTE_PROTO, RULE_PRIORITY_MIN, type Route, type Rule, type RtTableEntry } from "@/lib/net/types";

export const MAIN_TABLE = 254;
export const PRIO = {
  lanDestinations: RULE_PRIORITY_MIN, // + subnet index
  mainWithoutDefault: RULE_PRIORITY_MIN + 50,
  fwmark: RULE_PRIORITY_MIN + 100, // + ISP index
  unreachableMark: RULE_PRIORITY_MIN + 199, // traffic whose policy has no ISP left
  source: RULE_PRIORITY_MIN + 200, // + address index
  unreachable: RULE_PRIORITY_MIN + 900, // + subnet index
} as const;

const proto = String(ROUTE_PROTO);
const activeIsps = activeIspsOf;

function renderRoutes(config: GatewayConfig): Route[] {
  const routes: Omit<Route, "family">[] = [];
  for (const isp of activeIsps(config)) {
    const table = isp.routingTable;
    const pointToPoint = isp.linkPrefix === 32;
    if (!pointToPoint)
      routes.push({ table, dst: cidrNetwork(isp.linkAddress, isp.linkPrefix), dev: isp.wanInterface, scope: "link", src: isp.linkAddress, protocol: proto });
    for (const lan of lansOf(config)) {
      for (const subnet of lan.subnets) {
        const c = parseCidr(subnet)!;
        routes.push({ table, dst: cidrNetwork(c.address, c.prefix), dev: lan.interface, scope: "link", src: c.address, protocol: proto });
      }
    }
    routes.push({ table, dst: "default", gateway: isp.gatewayAddress, dev: isp.wanInterface, protocol: proto, ...(pointToPoint ? { onlink: true } : {}) });
  }
  return [...routes.map((r): Route => ({ family: 4, ...r })), ...renderRoutes6(config)];
}

/** The kernel's metric for an IPv6 route added without one (`ip -6 route` always prints it): rendered so that desired equals observed. */
export const IPV6_METRIC = 1024;

/** IPv6 (docs/ipv6.md): each ISP with IPv6 gets the LAN /64s and its default route in its table (the same number as its IPv4 table). */
function renderRoutes6(config: GatewayConfig): Route[] {
  const routes: Route[] = [];
  const subnets = lanSubnets6(config);
  for (const isp of ipv6IspsOf(config)) {
    const table = isp.routingTable;
    for (const s of subnets) routes.push({ family: 6, table, dst: s.network, dev: s.lan.interface, protocol: proto, metric: IPV6_METRIC });
    routes.push({ family: 6, table, dst: "default", gateway: isp.ipv6!.gateway, dev: isp.wanInterface, protocol: proto, metric: IPV6_METRIC });
  }
  return routes;
}

/** Addresses that mark traffic as the ISP's own: its link address and its NAT addresses. */
function sourceAddresses(config: GatewayConfig, isp: IspConfig): string[] {
  const nat = config.natAddresses.filter((n) => n.isp === isp.name).map((n) => n.address);
  return [...new Set([isp.linkAddress, ...nat.sort()])];
}

function renderRules(config: GatewayConfig): Rule[] {
  const lans = lanNetworks(config);
  const rules: Omit<Rule, "family">[] = lans.map((dst, i) => ({ priority: PRIO.lanDestinations + i, dst, table: MAIN_TABLE }));
  rules.push({ priority: PRIO.mainWithoutDefault, table: MAIN_TABLE, suppressPrefixLength: 0 });
  const isps = activeIsps(config);
  isps.forEach((isp, i) => rules.push({ priority: PRIO.fwmark + i, fwmark: isp.mark, fwmask: MARK_MASK, table: isp.routingTable }));
  rules.push({ priority: PRIO.unreachableMark, fwmark: UNREACHABLE_MARK, fwmask: MARK_MASK, table: 0, action: "unreachable" });
  let n = 0;
  for (const isp of isps) {
    for (const src of sourceAddresses(config, isp)) rules.push({ priority: PRIO.source + n++, src: `${src}/32`, table: isp.routingTable });
  }
  // A LAN packet whose ISP table has no route (no usable ISP, its link down) would fall
  // through to main's default route and leave un-NATed: refuse it here instead.
  // each LAN's subnets with its own iif
  const bySubnet = lansOf(config).flatMap((lan) => networksOf(lan).map((src) => ({ src, iif: lan.interface })));
  bySubnet.forEach(({ src, iif }, i) => rules.push({ priority: PRIO.unreachable + i, src, iif, table: 0, action: "unreachable" }));
  return [...rules.map((r): Rule => ({ family: 4, ...r, protocol: proto })), ...renderRules6(config)];
}

/**
 * IPv6 (docs/ipv6.md), its own rule list: LAN destinations on main, main without its default,
 * the marks of the ISPs that translate (a host's placement wins, its source is mapped on the way
 * out) or refuse (an ISP without IPv6 set to "unreachable"), each ISP's prefix to its table (what the marks did not send leaves by the ISP its source
 * belongs to: never a source the ISP drops), and LAN sources that found nothing: unreachable.
 */
function renderRules6(config: GatewayConfig): Rule[] {
  const isps = ipv6IspsOf(config);
  if (isps.length === 0) return [];
  const lans = lanNetworks6(config);
  const rules: Omit<Rule, "family">[] = lans.map((dst, i) => ({ priority: PRIO.lanDestinations + i, dst, table: MAIN_TABLE }));
  rules.push({ priority: PRIO.mainWithoutDefault, table: MAIN_TABLE, suppressPrefixLength: 0 });
  // the same priority per ISP as its IPv4 mark rule (its index among the active ISPs); an ISP
  // without IPv6 that refuses its hosts' IPv6 gets an unreachable rule there (an ICMPv6 error at once)
  activeIsps(config).forEach((isp, i) => {
    const at = { priority: PRIO.fwmark + i, fwmark: isp.mark, fwmask: MARK_MASK };
    if (translatesFor(isp)) rules.push({ ...at, table: isp.routingTable });
    else if (refusesIpv6(isp)) rules.push({ ...at, table: 0, action: "unreachable" });
  });
  rules.push({ priority: PRIO.unreachableMark, fwmark: UNREACHABLE_MARK, fwmask: MARK_MASK, table: 0, action: "unreachable" });
  // a prefix whose ISP is down is refused (an ICMP error, so a host tries its other address at once) rather than sent into a dead table
  const down = new Set(config.health?.down ?? []);
  isps.forEach((isp, i) => {
    if (!down.has(isp.name)) rules.push({ priority: PRIO.source + i, src: ispPrefix6(isp), table: isp.routingTable });
  });
  const bySubnet = lanSubnets6(config);
  bySubnet.forEach(({ network, lan }, i) => rules.push({ priority: PRIO.unreachable + i, src: network, iif: lan.interface, table: 0, action: "unreachable" }));
  return rules.map((r) => ({ family: 6, ...r, protocol: proto }));
}

/** The routing part of the desired state: table names, routes and rules. */
export function renderRouting(config: GatewayConfig): { rtTables: RtTableEntry[]; routes: Route[]; rules: Rule[] } {
  return {
    rtTables: activeIsps(config).map((i) => ({ number: i.routingTable, name: assertTableName(i.name) })),
    routes: renderRoutes(config),
    rules: renderRules(config),
  };
}
