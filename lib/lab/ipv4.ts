// Tiny IPv4 helpers for the lab (pure, no dependencies). Addresses are dotted quads,
// networks are "a.b.c.d/len". Values have passed the model's validation, but we still
// throw on garbage so a broken config fails loudly instead of building a wrong lab.

export function ipToInt(ip: string): number {
  const parts = ip.split(".");
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${ip}`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new Error(`not an IPv4 address: ${ip}`);
    n = n * 256 + Number(p);
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Parse "addr/len" (the address may have host bits set, e.g. "192.168.1.1/24"). */
export function parseCidr(cidr: string): { address: string; prefix: number } {
  const [address, len, extra] = cidr.split("/");
  const prefix = Number(len);
  if (extra !== undefined || !/^\d{1,2}$/.test(len ?? "") || prefix > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  ipToInt(address);
  return { address, prefix };
}

const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** The network of an address: networkOf("192.168.1.1", 24) === "192.168.1.0/24". */
export function networkOf(address: string, prefix: number): string {
  return `${intToIp((ipToInt(address) & maskOf(prefix)) >>> 0)}/${prefix}`;
}

export function contains(network: string, address: string): boolean {
  const { address: base, prefix } = parseCidr(network);
  const m = maskOf(prefix);
  return ((ipToInt(base) & m) >>> 0) === ((ipToInt(address) & m) >>> 0);
}

export function overlaps(a: string, b: string): boolean {
  const pa = parseCidr(a);
  const pb = parseCidr(b);
  const shorter = pa.prefix <= pb.prefix ? a : b;
  const other = shorter === a ? pb.address : pa.address;
  return contains(shorter, other);
}

/** 8 lowercase hex digits: a stable, reversible, fixed-length tag for an address. */
export const ipHex = (ip: string) => ipToInt(ip).toString(16).padStart(8, "0");
