// Addresses and prefixes of both families, on ipaddr.js (a well-kept parser) with our own
// strictness on top: IPv4 only as four decimal parts without leading zeros ("010.1.1.1" is
// octal to some tools, decimal to others), IPv6 without a zone ("%eth0" names a link, not an
// address). Every address comes out in one canonical text (RFC 5952 for IPv6), so two
// spellings of one address compare equal.
import ipaddr from "ipaddr.js";

export type Family = "ipv4" | "ipv6";

const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };
const IPV6_CHARS = /^[0-9a-fA-F:.]+$/;
const PREFIX_LEN = /^(0|[1-9]\d{0,2})$/;

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

function parse(text: string): Parsed | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(":") && IPV6_CHARS.test(text) && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return null;
}

const textOf = (a: Parsed) => (a.kind() === "ipv6" ? (a as ipaddr.IPv6).toRFC5952String() : a.toString());

export interface Address {
  family: Family;
  /** canonical text */
  address: string;
}

export interface Prefix extends Address {
  prefix: number;
  /** the network's canonical text with its length, "192.168.1.0/24", "2001:db8::/32" */
  network: string;
}

/** An address of either family, in canonical text; null when it is not one. */
export function parseAddress(text: string): Address | null {
  const a = typeof text === "string" ? parse(text) : null;
  return a ? { family: a.kind(), address: textOf(a) } : null;
}

/** "address/length" of either family (the address need not be the network's); null when malformed. */
export function parsePrefix(text: string): Prefix | null {
  if (typeof text !== "string") return null;
  const slash = text.lastIndexOf("/");
  if (slash < 0) return null;
  const a = parse(text.slice(0, slash));
  const len = text.slice(slash + 1);
  if (!a || !PREFIX_LEN.test(len)) return null;
  const prefix = Number(len);
  if (prefix > BITS[a.kind()]) return null;
  return { family: a.kind(), address: textOf(a), prefix, network: `${networkText(a, prefix)}/${prefix}` };
}

/** The family of an address or a prefix; null when it is neither. */
export function familyOf(text: string): Family | null {
  return (parseAddress(text) ?? parsePrefix(text))?.family ?? null;
}

export const isAddress = (text: string, family?: Family) => {
  const a = parseAddress(text);
  return Boolean(a && (!family || a.family === family));
};

export const isPrefix = (text: string, family?: Family) => {
  const p = parsePrefix(text);
  return Boolean(p && (!family || p.family === family));
};

/** The canonical text of an address; throws when it is not one (for values validated already). */
export function canonicalAddress(text: string): string {
  const a = parseAddress(text);
  if (!a) throw new Error(`not an IP address: ${JSON.stringify(text)}`);
  return a.address;
}

function networkText(a: Parsed, prefix: number): string {
  const bytes = a.toByteArray();
  const out = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  return textOf(ipaddr.fromByteArray(out));
}

function mustAddress(text: string): Parsed {
  const a = typeof text === "string" ? parse(text) : null;
  if (!a) throw new Error(`not an IP address: ${JSON.stringify(text)}`);
  return a;
}

function mustPrefix(text: string): Prefix {
  const p = parsePrefix(text);
  if (!p) throw new Error(`not an IP prefix: ${JSON.stringify(text)}`);
  return p;
}

/** The network address of `address`/`prefix` ("192.168.1.7", 24 -> "192.168.1.0"); throws on a bad address or length. */
export function networkAddress(address: string, prefix: number): string {
  const a = mustAddress(address);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > BITS[a.kind()]) throw new Error(`not a prefix length of ${a.kind()}: ${prefix}`);
  return networkText(a, prefix);
}

/** Does the prefix ("10.0.0.0/8", "2001:db8::/32") contain the address? Never across families. */
export function prefixContains(prefix: string, address: string): boolean {
  const p = mustPrefix(prefix);
  const a = mustAddress(address);
  return a.kind() === p.family && a.match(ipaddr.parse(p.address), p.prefix);
}

/** Do two prefixes share an address (one holds the other)? Never across families. */
export function prefixesOverlap(a: string, b: string): boolean {
  const x = mustPrefix(a);
  const y = mustPrefix(b);
  if (x.family !== y.family) return false;
  return ipaddr.parse(x.address).match(ipaddr.parse(y.address), Math.min(x.prefix, y.prefix));
}
