// Which part of the path an ISP's probe targets can judge. Pure (the form, the CLI and the
// screens use it). A target that is the ISP's router, this gateway's own address, or any
// address inside the link subnet (or a block routed to this gateway) answers as long as the
// cable does: it proves the link only. Only a target beyond the router sees a dead upstream.
import type { IspConfig } from "@/lib/model";
import { isIpv4, inSubnet, parseCidr } from "@/lib/net/ipv4";
import { isAddress, isPrefix, prefixContains } from "@/lib/net/address";

export type TargetScope = "internet" | "link";

type IspLink = Pick<IspConfig, "gatewayAddress" | "linkAddress" | "linkPrefix"> & Partial<Pick<IspConfig, "routedBlocks" | "ipv6">>;

/** Is an IPv6 target the ISP's next hop or inside its prefix (this gateway's own side), rather than beyond? */
const onLink6 = (isp: IspLink, target: string) =>
  Boolean(isp.ipv6) && (target === isp.ipv6!.gateway || (isPrefix(isp.ipv6!.prefix, "ipv6") && prefixContains(isp.ipv6!.prefix, target)));

/** Is this target on the ISP's link (or this gateway's own), rather than beyond its router? */
export function onLink(isp: IspLink, target: string): boolean {
  if (isAddress(target, "ipv6")) return onLink6(isp, target);
  if (!isIpv4(target)) return false;
  if (target === isp.gatewayAddress || target === isp.linkAddress) return true;
  // a dynamic ISP not learned yet has no link (""/0): a /0 would put the whole internet "on the link"
  if (isIpv4(isp.linkAddress) && isp.linkPrefix >= 8 && isp.linkPrefix <= 32 && inSubnet(target, isp.linkAddress, isp.linkPrefix)) return true;
  return (isp.routedBlocks ?? []).some((b) => {
    const c = parseCidr(b);
    return c !== null && inSubnet(target, c.address, c.prefix);
  });
}

/** "link" when no target lies beyond the ISP's router: its answers say "link ok", never "up". */
export function targetScope(isp: IspLink, settings: { targets: readonly string[] }): TargetScope {
  return settings.targets.some((t) => (isIpv4(t) || isAddress(t, "ipv6")) && !onLink(isp, t)) ? "internet" : "link";
}

/** The warning the form and the CLI show for link-only targets (null when some target is beyond the router). */
export function linkOnlyWarning(isp: IspLink, settings: { targets: readonly string[] }): string | null {
  if (!settings.targets.length || targetScope(isp, settings) === "internet") return null;
  return `Every probe target is ${isp.gatewayAddress ? `the ISP's router (${isp.gatewayAddress}) or ` : ""}inside its link: this proves the link only, not the internet beyond it. Add a target beyond the router to see a dead upstream.`;
}
