// `ip -json addr show` -> each interface (its link facts, as ip-link.ts reads them) with every
// address it holds, of both families. Pure. One without any address is listed, empty.
//   {"ifname":"wan2","operstate":"UP","addr_info":[{"family":"inet","local":"100.64.2.100","prefixlen":24,"scope":"global",...}]}
// A point-to-point address (PPP) also carries its peer: {"local":"100.65.3.2","address":"100.65.3.1","prefixlen":32}.
// Callers pick what they need (family 4, not scope host, ...): read `ip -json addr` without
// -4, since `ip -4 addr` leaves out an interface that has no IPv4 address at all.
import type { Family } from "../family";
import { linkOf, type IpLink } from "./ip-link";
import { num, parseIpJsonArray, str } from "./rt-tables";

export interface IfaceAddress {
  family: Family;
  local: string;
  prefix: number;
  /** "global", "link", "host" (127.0.0.1), ... */
  scope: string;
  /** the far end of a point-to-point address (PPP's peer) */
  peer?: string;
}

export interface IfaceAddresses extends IpLink {
  addresses: IfaceAddress[];
}

const FAMILIES: Record<string, Family> = { inet: 4, inet6: 6 };

export function parseIpAddrJson(text: string): IfaceAddresses[] {
  return parseIpJsonArray(text, "ip addr").flatMap((l) => {
    const link = linkOf(l);
    if (!link) return [];
    const info = Array.isArray(l.addr_info) ? (l.addr_info as Record<string, unknown>[]) : [];
    const addresses = info.flatMap((a): IfaceAddress[] => {
      const family = FAMILIES[String(a.family)];
      const local = str(a.local);
      const prefix = num(a.prefixlen);
      if (!family || !local || prefix === undefined) return [];
      const peer = str(a.address) && a.address !== a.local ? { peer: str(a.address) } : {};
      return [{ family, local, prefix, scope: str(a.scope) ?? "global", ...peer }];
    });
    return [{ ...link, addresses }];
  });
}

/** The IPv4 addresses an interface really holds (127.0.0.1 and the like, scope host, left out). */
export const ipv4Addresses = (l: IfaceAddresses) => l.addresses.filter((a) => a.family === 4 && a.scope !== "host");
