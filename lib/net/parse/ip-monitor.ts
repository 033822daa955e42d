// One line of `ip -o monitor link address route` -> what changed, on which device. Pure.
//   link:    "3: wan2@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 ... state UP ..."
//   address: "Deleted 3: wan2    inet 198.51.100.9/32 scope global wan2\ ..."
//   route:   "default via 100.64.2.1 dev wan2 ", "Deleted 100.65.3.1 dev ppp0 proto kernel scope link src 100.65.3.2"
// IPv6 lines, the local table's bookkeeping and Switchyard's own routes (proto 201, its
// own applies echoing back) are left out: they say nothing about what an ISP handed out.
import { ROUTE_PROTO, ROUTE_PROTO_NAME } from "../types";
import { linkUp } from "./ip-link";

export type KernelEvent = { kind: "link"; ifname: string; up: boolean } | { kind: "address" | "route"; ifname: string; deleted: boolean };

const ADDRESS = /^(Deleted )?\d+: ([^\s:@]+)\s+inet (\S+)/;
const ROUTE = /^(Deleted )?(?:(?:unicast|broadcast|local|unreachable|blackhole|prohibit|multicast) )?(default|\d+\.\d+\.\d+\.\d+(?:\/\d+)?)\s.*?\bdev (\S+)/;

// "8: hha@if7: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group ..."
const LINK = /^(Deleted )?\d+: ([^:@\s]+)(?:@[^:\s]+)?: <([^>]*)>.*?\bstate \S+/;

/** A link line -> its state, "up" as ip-link.ts defines it (a line announcing the link was deleted is down). */
export function parseMonitorLinkLine(line: string): { ifname: string; up: boolean } | null {
  const m = LINK.exec(line.trim());
  if (!m) return null;
  return { ifname: m[2], up: !m[1] && linkUp(m[3].split(",")) };
}

export function parseMonitorLine(line: string): KernelEvent | null {
  const l = line.trim();
  const link = parseMonitorLinkLine(l);
  if (link) return { kind: "link", ...link };
  const a = ADDRESS.exec(l);
  if (a) return { kind: "address", ifname: a[2], deleted: !!a[1] };
  const r = ROUTE.exec(l);
  if (!r || /\btable local\b/.test(l) || new RegExp(`\\bproto (${ROUTE_PROTO}|${ROUTE_PROTO_NAME})\\b`).test(l)) return null;
  return { kind: "route", ifname: r[3], deleted: !!r[1] };
}
