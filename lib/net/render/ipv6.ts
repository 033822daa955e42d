// What IPv6 render needs from the configuration (docs/ipv6.md), for routing and both firewall
// backends alike. Pure. An ISP takes part in IPv6 when it is active and has `ipv6`; a LAN /64
// belongs to the ISP whose prefix holds it (validation makes that exactly one).
import type { GatewayConfig, IspConfig, LanConfig } from "@/lib/model";
import { parsePrefix, prefixContains } from "@/lib/net/address";
import { lansOf } from "@/lib/net/lans";
import { activeIspsOf } from "./targets";

/** The active ISPs with IPv6, in the order of config.isps. */
export const ipv6IspsOf = (config: GatewayConfig): IspConfig[] => activeIspsOf(config).filter((i) => i.ipv6);

/** Does a host placed on this ISP leave by it over IPv6 whatever its source prefix (translation on)? */
export const translatesFor = (isp: IspConfig): boolean => Boolean(isp.ipv6) && isp.ipv6!.translate !== false;

/** Does this ISP refuse the IPv6 of the hosts placed on it (no IPv6 of its own, ipv6Hosts "unreachable")? */
export const refusesIpv6 = (isp: IspConfig): boolean => !isp.ipv6 && isp.ipv6Hosts === "unreachable";

/** An ISP's prefix as its network ("2001:db8:1::/48"). */
export const ispPrefix6 = (isp: IspConfig): string => parsePrefix(isp.ipv6!.prefix)!.network;

export interface LanSubnet6 {
  lan: LanConfig;
  /** the gateway's own address on it ("2001:db8:1:1::1") */
  address: string;
  /** the /64 as a network ("2001:db8:1:1::/64") */
  network: string;
  /** the ISP whose prefix holds it (null: none of the active ones: a disabled ISP's, or not validated) */
  isp: IspConfig | null;
}

/** Every LAN /64 of every LAN, with its ISP, LANs in order, each LAN's in the order written. */
export function lanSubnets6(config: GatewayConfig): LanSubnet6[] {
  const isps = ipv6IspsOf(config);
  return lansOf(config).flatMap((lan) =>
    (lan.subnets6 ?? []).map((s) => {
      const p = parsePrefix(s)!;
      return { lan, address: p.address, network: p.network, isp: isps.find((i) => prefixContains(i.ipv6!.prefix, p.address)) ?? null };
    }),
  );
}

/** The LAN /64 networks, for routing (LAN destinations, ISP tables, the unreachable rules). */
export const lanNetworks6 = (config: GatewayConfig): string[] => [...new Set(lanSubnets6(config).map((s) => s.network))];

export interface Translation6 {
  /** leaving by this ISP (its WAN interface) */
  isp: IspConfig;
  /** from this LAN /64 (another ISP's) */
  from: string;
  /** to the same LAN's /64 of `isp` (the host part kept: the prefix mapping of RFC 6296) */
  to: string;
}

/**
 * The source translations: on each LAN, a /64 of ISP A leaving by ISP B (translation on, and the
 * LAN holding a /64 of B) is mapped to the LAN's /64 of B. Without a /64 of B on that LAN there is
 * nothing to map to: that LAN's hosts follow their source prefix.
 */
export function translations6(config: GatewayConfig): Translation6[] {
  const subnets = lanSubnets6(config);
  const out: Translation6[] = [];
  for (const isp of ipv6IspsOf(config).filter(translatesFor)) {
    for (const lan of lansOf(config)) {
      const here = subnets.filter((s) => s.lan.name === lan.name);
      const to = here.find((s) => s.isp?.name === isp.name);
      if (!to) continue;
      for (const s of here) if (s.isp && s.isp.name !== isp.name) out.push({ isp, from: s.network, to: to.network });
    }
  }
  return out;
}

/** Does the configuration route any IPv6 (an active ISP with IPv6)? Without, render leaves IPv6 exactly as before. */
export const hasIpv6 = (config: GatewayConfig): boolean => ipv6IspsOf(config).length > 0;
