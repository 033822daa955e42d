// `ip -4|-6 -json route show table all` -> Route[] (unicast routes only).
// What `ip` prints (iproute2 6.1, see tests/fixtures/kernel/NORMALISATION.md):
//   {"dst":"default","gateway":"203.0.113.1","dev":"eth0","table":"100","protocol":"201","flags":[]}
// - routes of the main table have no "table" key (and neither does any route
//   when a single table is listed: pass that table as defaultTable then).
// - "type" is left out for unicast routes; local/broadcast/unreachable/... print it.
// - a host route prints a bare address ("10.30.0.5"), not "/32".
// - "scope" is left out for global routes, "protocol" is left out for "boot",
//   "metric" is left out when it is 0.
// - a route added with `onlink` prints "flags":["onlink"] (a route whose link is down
//   adds "linkdown" there; that is state, not part of the route).
// - with `ip -N` type, scope, protocol and table are printed as numbers in strings.
import type { Family } from "../family";
import { ROUTE_PROTO, ROUTE_PROTO_NAME, type Nexthop, type Route } from "../types";
import { num, parseIpJsonArray, str, tableNumber, toCidr } from "./rt-tables";

/** rt_scopes; 0 = global is what an absent scope means, so it maps to undefined */
const SCOPES: Record<string, Route["scope"]> = {
  link: "link",
  "253": "link",
  host: "host",
  "254": "host",
  site: "site",
  "200": "site",
  nowhere: "nowhere",
  "255": "nowhere",
};

/** A route's destination as the parser writes it: "default", or a CIDR (a bare host address gets /32 or /128). */
export const routeDst = (dst: string) => (dst === "default" ? dst : toCidr(dst));

/** `family`: the one the command was built for (`ip -4|-6 route`, lib/net/family.ts): ip prints none. */
export function parseIpRouteJson(text: string, tableNames?: ReadonlyMap<string, number>, defaultTable = 254, family: Family = 4): Route[] {
  const routes: Route[] = [];
  for (const r of parseIpJsonArray(text, "ip route")) {
    // "1" is RTN_UNICAST under `ip -N`
    if (r.type !== undefined && r.type !== "unicast" && r.type !== "1") continue;
    const dst = str(r.dst);
    if (!dst) throw new Error(`ip route: entry without dst: ${JSON.stringify(r)}`);
    const route: Route = {
      family,
      table: "table" in r ? tableNumber(r.table, tableNames) : defaultTable,
      dst: routeDst(dst),
      dev: str(r.dev) ?? "",
    };
    if (str(r.gateway)) route.gateway = str(r.gateway);
    // a source-specific route (`default from 2001:db8:a::/48 via ...`, as OpenWrt's netifd installs them)
    if (str(r.from)) route.from = routeDst(str(r.from)!);
    if (str(r.prefsrc)) route.src = str(r.prefsrc);
    const scope = SCOPES[String(r.scope)];
    if (scope) route.scope = scope;
    // Our own protocol prints as a name once rt_protos.d names it: keep the number.
    const proto = str(r.protocol) ?? "boot";
    route.protocol = proto === ROUTE_PROTO_NAME ? String(ROUTE_PROTO) : proto;
    if (num(r.metric) !== undefined) route.metric = num(r.metric);
    if (Array.isArray(r.flags) && r.flags.includes("onlink")) route.onlink = true;
    if (Array.isArray(r.nexthops)) route.nexthops = r.nexthops.map(nexthop);
    routes.push(route);
  }
  return routes;
}

function nexthop(n: Record<string, unknown>): Nexthop {
  const hop: Nexthop = { dev: str(n.dev) ?? "" };
  if (str(n.gateway)) hop.gateway = str(n.gateway);
  if (num(n.weight) !== undefined) hop.weight = num(n.weight);
  return hop;
}
