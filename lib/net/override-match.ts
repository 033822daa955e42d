// Does a foreign override affect this LAN address? Its hosts list holds "*" (every LAN source),
// listed hosts' addresses and whole LAN subnets ("10.30.0.0/24": their unlisted hosts too). Pure;
// the board (a client component) uses it as well as verification.
import { cidrContains } from "./ipv4";

export function overrideAffects(hosts: string[], address: string): boolean {
  return hosts.some((h) => h === "*" || h === address || (h.includes("/") && cidrContains(h, address)));
}
