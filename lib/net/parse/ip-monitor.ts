// One line of `ip -o monitor link address route` -> what changed, on which device. Pure.
//   link:    "3: wan2@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 ... state UP ..."  (parse-link.ts)
//   address: "Deleted 3: wan2    inet 198.51.100.9/32 scope global wan2\ ..."
//   route:   "default via 100.64.2.1 dev wan2 ", "Deleted 100.65.3.1 dev ppp0 proto kernel scope link src 100.65.3.2"
// IPv6 lines, the local table's bookkeeping and Switchyard's own routes (proto 201, its
// own applies echoing back) are left out: they say nothing about what an ISP handed out.
import { ROUTE_PROTO, ROUTE_PROTO_NAME } from "../types";
import { parseMonitorLinkLine } from "@/lib/health/parse-link";

export type KernelEvent =
  | { kind: "link"; ifname: string; up: boolean }
  | { kind: "address" | "route"; ifname: string; deleted: boolean };

const ADDRESS = /^(Deleted )?\d+: ([^\s:@]+)\s+inet (\S+)/;
const ROUTE = /^(Deleted )?(?:(?:unicast|broadcast|local|unreachable|blackhole|prohibit|multicast) )?(default|\d+\.\d+\.\d+\.\d+(?:\/\d+)?)\s.*?\bdev (\S+)/;

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
