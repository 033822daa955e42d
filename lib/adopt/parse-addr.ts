// `ip -json addr show` -> the IPv4 addresses of each interface. What `ip` prints:
//   [{"ifindex":2,"ifname":"eth0","flags":[...],"addr_info":[{"family":"inet","local":"203.0.113.10","prefixlen":24,...}]}]
// IPv6 entries ("family":"inet6") are left out: Switchyard routes IPv4.
import { num, parseIpJsonArray, str } from "@/lib/net/parse/rt-tables";
import type { IfAddress } from "./types";

export function parseIpAddrJson(text: string): IfAddress[] {
  return parseIpJsonArray(text, "ip addr").flatMap((l) => {
    const dev = str(l.ifname);
    const infos = Array.isArray(l.addr_info) ? (l.addr_info as Record<string, unknown>[]) : [];
    return infos.flatMap((a) => {
      const address = str(a.local);
      const prefix = num(a.prefixlen);
      return dev && a.family === "inet" && address && prefix !== undefined ? [{ dev, address, prefix }] : [];
    });
  });
}
