// `ip -json link show` -> IpLink[]. What `ip` prints:
//   {"ifindex":3,"ifname":"eth1","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP","M-DOWN"],"operstate":"LOWERLAYERDOWN",...}
// - "UP" in flags: the admin brought it up. Without it the kernel refuses routes through
//   the device ("Device for nexthop is not up") and deletes those it had.
// - "NO-CARRIER": up but no link (cable out, PPP session gone): routes can be added
//   (they show "linkdown") but carry nothing.
// - a veth or VLAN prints its peer as "ifname@peer" only in text output; JSON keeps "ifname" clean.
// `ip -json addr show` prints the same keys per interface (plus addr_info): ip-addr.ts reads
// them with linkOf, so both commands say the same about a link.
import type { Link } from "../types";
import { parseIpJsonArray, str } from "./rt-tables";

/**
 * What `ip` says about one interface. The one definition of "link up" is `carrier`: the
 * admin brought it up (UP) and the kernel does not report NO-CARRIER. iproute2 prints
 * NO-CARRIER exactly when the device is UP but not IFF_RUNNING, and IFF_RUNNING is the
 * kernel's own "can send": operstate UP or UNKNOWN (rtnetlink reports DOWN for a device that
 * is not up). So this is the same fact as "operstate UP/UNKNOWN", read from one place, and
 * stricter than LOWER_UP (which a dormant link, or one mid-transition, still shows).
 * `up` alone (administratively up) is a different fact: it decides whether routes can be
 * installed through the device, not whether they carry anything.
 */
export interface IpLink extends Link {
  /** as printed ("UP", "DOWN", "LOWERLAYERDOWN", "UNKNOWN", ...), shown as is by the live view; "UNKNOWN" when absent */
  operstate: string;
  /** the bridge (or bond) it is a port of */
  master?: string;
  /** `ip -d` only: the link kind ("bridge", "veth", ...) */
  kind?: string;
  /** the interface's alias (ifalias), where one is set */
  alias?: string;
  /** the link-layer address */
  mac?: string;
}

/** `flags` as `ip` prints them (JSON array, or the text form's "<A,B,C>" split) -> the one "link up". */
export const linkUp = (flags: readonly string[]) => flags.includes("UP") && !flags.includes("NO-CARRIER");

/** One entry of `ip -json link` or `ip -json addr` -> its link facts; null without a name. */
export function linkOf(l: Record<string, unknown>): IpLink | null {
  const name = str(l.ifname);
  if (!name) return null;
  const flags = Array.isArray(l.flags) ? l.flags.map(String) : [];
  const info = l.linkinfo as Record<string, unknown> | undefined;
  return {
    name,
    up: flags.includes("UP"),
    carrier: linkUp(flags),
    operstate: str(l.operstate) ?? "UNKNOWN",
    ...(str(l.master) ? { master: str(l.master) } : {}),
    ...(str(info?.info_kind) ? { kind: str(info?.info_kind) } : {}),
    ...(str(l.ifalias) ? { alias: str(l.ifalias) } : {}),
    ...(str(l.address) ? { mac: str(l.address) } : {}),
  };
}

export function parseIpLinkJson(text: string): IpLink[] {
  return parseIpJsonArray(text, "ip link").flatMap((l) => linkOf(l) ?? []);
}
