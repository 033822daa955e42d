// `ip -json link show` -> Link[]. What `ip` prints:
//   {"ifindex":3,"ifname":"eth1","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP","M-DOWN"],"operstate":"LOWERLAYERDOWN",...}
// - "UP" in flags: the admin brought it up. Without it the kernel refuses routes through
//   the device ("Device for nexthop is not up") and deletes those it had.
// - "NO-CARRIER": up but no link (cable out, PPP session gone): routes can be added
//   (they show "linkdown") but carry nothing.
// - a veth or VLAN prints its peer as "ifname@peer" only in text output; JSON keeps "ifname" clean.
import type { Link } from "../types";
import { parseIpJsonArray, str } from "./rt-tables";

export function parseIpLinkJson(text: string): Link[] {
  return parseIpJsonArray(text, "ip link").flatMap((l) => {
    const name = str(l.ifname);
    if (!name) return [];
    const flags = Array.isArray(l.flags) ? l.flags.map(String) : [];
    return [{ name, up: flags.includes("UP"), carrier: flags.includes("UP") && !flags.includes("NO-CARRIER") }];
  });
}
