// Small, strict IPv4 helpers. Strict on purpose: "010.1.1.1" means octal to some
// tools and decimal to others, so leading zeros are refused rather than guessed.
// Parsing and prefix matching are lib/net/address.ts's (both families); the integer
// arithmetic below is IPv4's own (masks, network and broadcast, a stable hex tag).
import { isAddress, parsePrefix, prefixContains, prefixesOverlap } from "./address";

// the same strictness as address.ts, for schemas that take a pattern (lib/validation/fields.ts)
const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
export const IPV4_RE = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export const isIpv4 = (s: string) => isAddress(s, "ipv4");

export function ipToInt(ip: string): number {
  if (!isIpv4(ip)) throw new Error(`not an IPv4 address: ${JSON.stringify(ip)}`);
  return ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

export const intToIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");

export const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

export function networkOf(ip: string, prefix: number): string {
  return intToIp((ipToInt(ip) & maskOf(prefix)) >>> 0);
}

/** "192.168.1.1/24" -> "192.168.1.0/24" */
export function cidrNetwork(ip: string, prefix: number): string {
  return `${networkOf(ip, prefix)}/${prefix}`;
}

export function inSubnet(ip: string, net: string, prefix: number): boolean {
  return (ipToInt(ip) & maskOf(prefix)) >>> 0 === (ipToInt(net) & maskOf(prefix)) >>> 0;
}

/** Network or broadcast address of a subnet (not usable by a host, except on /31 and /32). */
export function isNetworkOrBroadcast(ip: string, prefix: number): boolean {
  if (prefix >= 31) return false;
  const host = (ipToInt(ip) & ~maskOf(prefix)) >>> 0;
  return host === 0 || host === ~maskOf(prefix) >>> 0;
}

export function subnetsOverlap(a: string, ap: number, b: string, bp: number): boolean {
  const p = Math.min(ap, bp);
  return inSubnet(a, b, p);
}

/** Parse "a.b.c.d/len"; null when malformed. */
export function parseCidr(s: string): { address: string; prefix: number } | null {
  const p = parsePrefix(s);
  // an IPv4 address has one text: the canonical one is the one written
  return p?.family === "ipv4" ? { address: p.address, prefix: p.prefix } : null;
}

/** Like parseCidr, but a malformed value throws (for values that passed validation already). */
export function mustCidr(s: string): { address: string; prefix: number } {
  const c = parseCidr(s);
  if (!c) throw new Error(`not an IPv4 CIDR: ${JSON.stringify(s)}`);
  return c;
}

/** Does the CIDR "a.b.c.d/len" contain the address? */
export function cidrContains(cidr: string, address: string): boolean {
  mustCidr(cidr);
  if (!isIpv4(address)) throw new Error(`not an IPv4 address: ${JSON.stringify(address)}`);
  return prefixContains(cidr, address);
}

export function cidrsOverlap(a: string, b: string): boolean {
  mustCidr(a);
  mustCidr(b);
  return prefixesOverlap(a, b);
}

/** 8 lowercase hex digits: a stable, fixed-length tag for an address (lab namespace names). */
export const ipHex = (ip: string) => ipToInt(ip).toString(16).padStart(8, "0");
