// The address family of every typed kernel object (rules, routes, addresses, flows, sysctls),
// and the one place that spells it for each tool. A family is the number 4 or 6, as in
// `ip -4` / `ip -6`: every tool names the two its own way (ip's JSON "inet"/"inet6", conntrack
// "ipv4"/"ipv6", sysctl net.ipv4/net.ipv6), so the typed state keeps the plain number and
// the builders below turn it into each spelling. Pure.
export type Family = 4 | 6;

/** `ip -4|-6 WORDS...`: prepend ip's own options (-N, -json, -batch) before it. */
export const ipArgs = (family: Family, ...words: string[]): string[] => [`-${family}`, ...words];

/** `conntrack -L -f ipv4|ipv6`: the flows of one family. */
export const conntrackListArgs = (family: Family): string[] => ["-L", "-f", `ipv${family}`];

/**
 * `-f ipv6 ` before an IPv6 source in a conntrack -D (a line of its -R file, or a plan line); "" for
 * IPv4. conntrack 1.4.7 infers the family from -s (tried in a namespace); older ones default to ipv4.
 */
export const conntrackFamilyWords = (source: string): string => (familyOfAddress(source) === 6 ? "-f ipv6 " : "");

/** The sysctl that turns forwarding on for a family (IPv6's has no short alias). */
export const forwardingSysctl = (family: Family): string => (family === 4 ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding");

/** `net.ipv4.conf.DEV.KEY` / `net.ipv6.conf.DEV.KEY` (DEV: an interface, "all" or "default"). */
export const confSysctl = (family: Family, dev: string, key: string): string => `net.ipv${family}.conf.${dev}.${key}`;

/** The family a sysctl belongs to, from its name; undefined for one of neither (kernel.*, net.core.*). */
export function sysctlFamily(key: string): Family | undefined {
  const m = /^net\.ipv([46])\./.exec(key);
  return m ? (Number(m[1]) as Family) : undefined;
}

/** An address's family from its text (a ":" only ever appears in IPv6); the parsers use it where the tool prints no family. */
export const familyOfAddress = (address: string): Family => (address.includes(":") ? 6 : 4);
