// `ip -json addr show` -> the IPv4 addresses of each interface (one without any is listed, empty). Pure.
//   {"ifname":"wan2","operstate":"UP","addr_info":[{"family":"inet","local":"100.64.2.100","prefixlen":24,...}]}
// A point-to-point address (PPP) also carries its peer: {"local":"100.65.3.2","address":"100.65.3.1","prefixlen":32}.
import { parseIpJsonArray, str, num } from "./rt-tables";

export interface IfaceAddress {
  local: string;
  prefix: number;
  /** the far end of a point-to-point address (PPP's peer) */
  peer?: string;
}

export interface IfaceAddresses {
  ifname: string;
  up: boolean;
  addresses: IfaceAddress[];
}

export function parseIpAddrJson(text: string): IfaceAddresses[] {
  return parseIpJsonArray(text, "ip addr").map((l) => {
    const info = Array.isArray(l.addr_info) ? (l.addr_info as Record<string, unknown>[]) : [];
    const flags = Array.isArray(l.flags) ? l.flags : [];
    return {
      ifname: str(l.ifname) ?? "",
      up: (l.operstate === "UP" || l.operstate === "UNKNOWN") && !flags.includes("NO-CARRIER"),
      addresses: info
        .filter((a) => a.family === "inet" && str(a.local) && num(a.prefixlen) !== undefined && a.scope !== "host")
        .map((a) => ({ local: str(a.local)!, prefix: num(a.prefixlen)!, ...(str(a.address) && a.address !== a.local ? { peer: str(a.address) } : {}) })),
    };
  });
}
