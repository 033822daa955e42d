// The IPv6 line of a host's card on the board (docs/ipv6.md). Pure: the board computes it for
// the column a card sits in now, so it follows a drag before the save comes back.
//
// A host's IPv6 addresses are matched by its MAC; a host placed on an ISP with IPv6 and
// translation on leaves by that ISP on both families. Otherwise (translation off there, or the
// ISP has no IPv6) its IPv6 leaves by the ISP its source address belongs to, whatever its
// placement: the card says so, so that nobody expects the drag to move its IPv6 too. A host
// without a MAC cannot be matched for IPv6 at all: its IPv6 goes the way of its LAN's unlisted
// hosts (the default ISP or policy), which the card names. An ISP without IPv6 may instead refuse its hosts' IPv6 (ipv6Hosts
// "unreachable"): the card then says the host's IPv6 is refused, so it uses IPv4 only.

/** An ISP with IPv6, and whether it translates other ISPs' prefixes for the hosts placed on it. */
export interface Ipv6Isp {
  name: string;
  translate: boolean;
}

export const V4_AND_V6 = "v4 and v6";
export const FOLLOWS_ADDRESS = "IPv6 follows its address";
export const NO_MAC = "no MAC: IPv6 follows its address";
/** without a MAC, a host's IPv6 is one of the unlisted hosts' (the MAC is what matches IPv6): their way, said so */
const noMacLine = (unlisted: string | null, uses: readonly string[]) =>
  unlisted === V4_AND_V6
    ? `no MAC: IPv6 by ${uses.join(" or ")}, as the unlisted hosts'`
    : unlisted?.startsWith("IPv6 refused")
      ? "no MAC: IPv6 refused, as the unlisted hosts'"
      : NO_MAC;
/** "IPv6 refused (fiber has no IPv6)": its apps fall back to IPv4 at once */
export const refusedLine = (isps: readonly string[]) => `IPv6 refused (${isps.join(", ")} ${isps.length === 1 ? "has" : "have"} no IPv6)`;

/**
 * hasMac: the host has a MAC; uses: the ISPs its placement may send it to (one ISP, or a
 * policy's members); ipv6Isps: every ISP with IPv6; refusing: the ISPs without IPv6 that refuse
 * their hosts' IPv6; unlistedUses: the ISPs its LAN's unlisted hosts use (a host without a MAC
 * goes their way for IPv6). null when no ISP has IPv6 (nothing is shown: Switchyard leaves IPv6 alone).
 */
export function ipv6Line(
  hasMac: boolean,
  uses: readonly (string | null | undefined)[],
  ipv6Isps: readonly Ipv6Isp[],
  refusing: readonly string[] = [],
  unlistedUses: readonly (string | null | undefined)[] = [],
): string | null {
  if (ipv6Isps.length === 0) return null;
  if (!hasMac) {
    const theirs = unlistedUses.filter((u): u is string => Boolean(u));
    return noMacLine(ipv6Line(true, theirs, ipv6Isps, refusing), theirs);
  }
  const isps = uses.filter((u): u is string => Boolean(u));
  const translated = (name: string) => ipv6Isps.find((i) => i.name === name)?.translate === true;
  if (isps.length > 0 && isps.every(translated)) return V4_AND_V6;
  // every ISP it may use refuses: refused; a policy mixing them: some of its connections are refused
  const refused = isps.filter((i) => refusing.includes(i));
  if (refused.length > 0) return refused.length === isps.length ? refusedLine(refused) : `IPv6 refused via ${refused.join(", ")}, else follows its address`;
  return FOLLOWS_ADDRESS;
}
