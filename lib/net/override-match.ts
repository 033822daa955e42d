// Does a foreign override affect this LAN address? Its hosts list holds "*" (every LAN source),
// listed hosts' addresses and whole LAN subnets ("10.30.0.0/24": their unlisted hosts too; an
// IPv6 override names its LAN /64s, which hold no IPv4 address). Pure; the board (a client
// component) uses it as well as verification.
import { familyOf, prefixContains } from "./address";

export function overrideAffects(hosts: string[], address: string): boolean {
  const family = familyOf(address);
  return hosts.some((h) => h === "*" || h === address || (h.includes("/") && familyOf(h) === family && prefixContains(h, address)));
}
