// Reading lab namespaces and computing the `ip -batch` lines that make them match a
// LabTopology. Every link the lab creates carries an ifalias "sylab:<peer ns>/<peer name>"
// ("sylab:bridge" for the bridge): that is how a re-run tells its own links from the
// product's, and whether a veth still connects the namespaces the topology says (ISP
// positions can shift when the config changes). Nothing without the marker is touched,
// and in the gateway only links and addresses are converged, never routes or rules.
// A link an injected fault took down (`switchyard lab fault ISP link-down`, lib/lab/faults.ts)
// carries FAULT_TAG after its alias: converging leaves it down (and its routes waiting) until
// `restore`; a lab link that is down for any other reason is brought back up.
import { HOST, run } from "../net/exec";
import type { Route } from "../net/types";
import { parseIpAddrJson, type IfaceAddresses } from "../net/parse/ip-addr";
import { splitIpJsonBatch } from "../net/parse/ip-batch";
import { parseIpLinkJson, type IpLink } from "../net/parse/ip-link";
import { parseIpNetnsJson } from "../net/parse/ip-netns";
import { parseIpRouteJson, routeDst } from "../net/parse/ip-route";
import type { LabLink, LabTopology, LinkEnd } from "./topology";

export const MARK = "sylab:";
/** Appended to a lab link's alias while an injected link-down fault holds it down. */
export const FAULT_TAG = " fault:link-down";
const BRIDGE_ALIAS = `${MARK}bridge`;
// Fixed MAC: a bridge otherwise takes the lowest port MAC, which changes as hosts join.
const BRIDGE_MAC = "02:53:59:00:00:01";

export interface ObservedLink {
  /** the lab's alias, without FAULT_TAG */
  alias?: string;
  /** held down by an injected fault: converge keeps it down */
  faultDown?: boolean;
  mac?: string;
  master?: string;
  addrs: string[]; // global "addr/len" (IPv4; IPv6 too when observed with ipv6)
}
export interface ObservedNs {
  links: Map<string, ObservedLink>;
  routes: { dst: string; from?: string; via?: string; dev?: string }[]; // main table, not kernel-made; a host route's dst as "a.b.c.d/32"
}

/** `ip -n NS -batch -` with one command per line; `force` keeps going past errors. */
export async function ipBatch(ns: string | null, lines: string[], force = false) {
  if (lines.length === 0) return;
  const args = [...(ns ? ["-n", ns] : []), ...(force ? ["-force"] : []), "-batch", "-"];
  await run(HOST, "ip", args, { input: lines.join("\n") + "\n", allowFailure: force });
}

export async function listNamespaces(prefix: string): Promise<string[]> {
  const r = await run(HOST, "ip", ["-json", "netns", "list"]);
  return parseIpNetnsJson(r.stdout)
    .map((n) => n.name)
    .filter((n) => n.startsWith(`${prefix}-`))
    .sort();
}

/** One `ip -json -batch` reads a namespace: one JSON array per command, each on its own line. */
const OBSERVE_COMMANDS = ["link show", "addr show", "route show"] as const;

/** A namespace's links, addresses and routes; `ipv6`: IPv6 addresses and routes too (a dual-stack lab). */
export async function observe(ns: string, ipv6 = false): Promise<ObservedNs> {
  const r = await run(HOST, "ip", ["-n", ns, "-json", "-batch", "-"], { input: `${OBSERVE_COMMANDS.join("\n")}\n` });
  const [links, addrs, routes] = splitIpJsonBatch(r.stdout, OBSERVE_COMMANDS);
  // `ip -batch` takes no family per line: IPv6's routes are a second call
  const routes6 = ipv6 ? parseIpRouteJson((await run(HOST, "ip", ["-n", ns, "-6", "-json", "route", "show"])).stdout, undefined, 254, 6) : [];
  return observedNs(parseIpLinkJson(links), parseIpAddrJson(addrs), parseIpRouteJson(routes), ipv6 ? routes6 : undefined);
}

/** What converging needs of a namespace, from its parsed links, addresses and main-table routes (`routes6`: a dual-stack lab's). */
export function observedNs(links: IpLink[], addrs: IfaceAddresses[], routes: Route[], routes6?: Route[]): ObservedNs {
  const out: ObservedNs = { links: new Map(), routes: [] };
  for (const l of links) out.links.set(l.name, { ...splitAlias(l.alias), mac: l.mac, master: l.master, addrs: [] });
  for (const a of addrs) {
    const global = a.addresses.filter((x) => (x.family === 4 || routes6) && x.scope === "global");
    out.links.get(a.name)?.addrs.push(...global.map((x) => `${x.local}/${x.prefix}`));
  }
  for (const rt of routes) if (rt.protocol !== "kernel") out.routes.push({ dst: rt.dst, via: rt.gateway, dev: rt.dev || undefined });
  for (const rt of routes6 ?? [])
    if (rt.protocol !== "kernel" && rt.gateway)
      out.routes.push({ dst: rt.dst, ...(rt.from ? { from: rt.from } : {}), via: rt.gateway, dev: rt.dev || undefined });
  return out;
}

const aliasOf = (peer: LinkEnd) => `${MARK}${peer.ns}/${peer.name}`;

/** A link's alias as the kernel has it -> the lab's alias, and whether a fault holds the link down. */
export function splitAlias(ifalias: string | undefined): { alias?: string; faultDown: boolean } {
  if (ifalias?.startsWith(MARK) && ifalias.endsWith(FAULT_TAG)) return { alias: ifalias.slice(0, -FAULT_TAG.length), faultDown: true };
  return { alias: ifalias, faultDown: false };
}

/** Every interface end the topology wants, per namespace, with its expected alias. */
function desiredEnds(t: LabTopology) {
  const ends = new Map<string, Map<string, { alias: string; end?: LinkEnd }>>();
  const put = (ns: string, name: string, v: { alias: string; end?: LinkEnd }) => {
    if (!ends.has(ns)) ends.set(ns, new Map());
    ends.get(ns)!.set(name, v);
  };
  for (const l of t.links) {
    if (l.kind === "bridge") put(l.ns, l.name, { alias: BRIDGE_ALIAS });
    else {
      put(l.a.ns, l.a.name, { alias: aliasOf(l.b), end: l.a });
      put(l.b.ns, l.b.name, { alias: aliasOf(l.a), end: l.b });
    }
  }
  return ends;
}

export interface LinkPlan {
  deletes: Map<string, string[]>; // ns -> batch lines, run before namespaces change
  creates: Map<string, string[]>; // ns -> batch lines, run after the namespaces exist
}

/** Links to delete (stale or wrongly paired) and to create. Mutates `obs` to the state after deletes. */
export function planLinks(t: LabTopology, obs: Map<string, ObservedNs>): LinkPlan {
  const plan: LinkPlan = { deletes: new Map(), creates: new Map() };
  const add = (m: Map<string, string[]>, ns: string, ...lines: string[]) => m.set(ns, [...(m.get(ns) ?? []), ...lines]);
  const want = desiredEnds(t);
  const drop = (ns: string, name: string) => {
    const l = obs.get(ns)?.links.get(name);
    if (!l) return;
    add(plan.deletes, ns, `link del dev ${name}`);
    // its addresses and routes go with it, and a veth takes its peer along
    const forget = (n: string, dev: string) => {
      const o = obs.get(n);
      if (!o) return;
      o.links.delete(dev);
      o.routes = o.routes.filter((r) => r.dev !== dev);
    };
    forget(ns, name);
    const m = l.alias?.startsWith(MARK) ? /^sylab:([^/]+)\/(.+)$/.exec(l.alias) : null;
    if (m) forget(m[1], m[2]);
  };
  for (const [ns, o] of obs) {
    for (const [name, l] of [...o.links]) {
      if (l.alias?.startsWith(MARK) && want.get(ns)?.get(name)?.alias !== l.alias) drop(ns, name);
    }
  }
  const has = (ns: string, name: string, alias: string) => obs.get(ns)?.links.get(name)?.alias === alias;
  const foreign = (ns: string, name: string) => {
    const l = obs.get(ns)?.links.get(name);
    if (l && !l.alias?.startsWith(MARK)) throw new Error(`lab: ${ns} already has an interface ${name} the lab did not make`);
  };
  for (const l of t.links as LabLink[]) {
    if (l.kind === "bridge") {
      if (obs.get(l.ns)?.links.has(l.name)) continue;
      add(plan.creates, l.ns, `link add name ${l.name} address ${BRIDGE_MAC} type bridge`, `link set dev ${l.name} alias ${BRIDGE_ALIAS}`);
      continue;
    }
    if (has(l.a.ns, l.a.name, aliasOf(l.b)) && has(l.b.ns, l.b.name, aliasOf(l.a))) continue;
    drop(l.a.ns, l.a.name);
    drop(l.b.ns, l.b.name);
    foreign(l.a.ns, l.a.name);
    foreign(l.b.ns, l.b.name);
    add(plan.creates, l.a.ns, `link add name ${l.a.name} type veth peer name ${l.b.name} netns ${l.b.ns}`, `link set dev ${l.a.name} alias ${aliasOf(l.b)}`);
  }
  return plan;
}

const fromWords = (from: string | undefined) => (from ? ` from ${from}` : "");

/** Per namespace: aliases, MACs, bridge ports, addresses, link state, routes. Idempotent. */
export function configureLines(t: LabTopology, ns: string, o: ObservedNs | undefined): string[] {
  const lines = ["link set dev lo up"];
  const cur = (name: string) => o?.links.get(name);
  const ends = desiredEnds(t).get(ns) ?? new Map();
  for (const [name, { alias, end }] of ends) {
    if (cur(name)?.alias !== alias) lines.push(`link set dev ${name} alias ${alias}`);
    if (end?.mac && cur(name)?.mac !== end.mac) lines.push(`link set dev ${name} address ${end.mac}`);
    if (end?.master && cur(name)?.master !== end.master) lines.push(`link set dev ${name} master ${end.master}`);
  }
  const addrs = t.addresses.filter((a) => a.ns === ns);
  const devs = new Set([...ends.keys(), ...addrs.map((a) => a.dev)]);
  for (const dev of devs) {
    // a DHCP client's interface: its address is the client's, not the lab's
    if (t.dhcp.clients.some((c) => c.ns === ns && c.dev === dev)) continue;
    for (const cidr of cur(dev)?.addrs ?? []) {
      if (!addrs.some((a) => a.dev === dev && a.cidr === cidr)) lines.push(`addr del ${cidr} dev ${dev}`);
    }
  }
  // a point-to-point address (the lab's PPP) names its peer: "local peer remote", shown as local/32
  // an IPv6 address is usable at once: no duplicate address detection in the lab
  const nodad = (cidr: string) => (cidr.includes(":") ? " nodad" : "");
  for (const a of addrs)
    lines.push(a.peer ? `addr replace ${a.cidr.split("/")[0]} peer ${a.peer} dev ${a.dev}` : `addr replace ${a.cidr} dev ${a.dev}${nodad(a.cidr)}`);
  // an injected fault's link stays down, and the routes through it wait for `restore`
  const held = new Set([...ends.keys()].filter((name) => cur(name)?.faultDown));
  for (const name of ends.keys()) if (!held.has(name)) lines.push(`link set dev ${name} up`);
  // The gateway's routes belong to the product; the other namespaces are the lab's own.
  if (ns !== t.gw) {
    const routes = t.routes.filter((r) => r.ns === ns && !held.has(r.dev));
    for (const r of (o?.routes ?? []).filter((x) => !x.dev || !held.has(x.dev))) {
      // the parser writes a host route's destination as a.b.c.d/32: the lab's are compared written the same way
      if (!routes.some((d) => routeDst(d.dst) === r.dst && (d.from ? routeDst(d.from) : undefined) === r.from && d.via === r.via && d.dev === r.dev)) {
        lines.push(`route del ${r.dst}${fromWords(r.from)}${r.via ? ` via ${r.via}` : ""}${r.dev ? ` dev ${r.dev}` : ""}`);
      }
    }
    for (const r of routes) lines.push(`route replace ${r.dst}${fromWords(r.from)} via ${r.via} dev ${r.dev}`);
  }
  return lines;
}
