// The gateway's LANs as one list: the main LAN (settings.lanInterface/lanSubnets, named
// "lan", whose unlisted hosts use the gateway's default) first, then settings.lans (a guest
// network, a VLAN), each with its own interface, subnets and optional default. Pure.
//
// A host belongs to the LAN whose subnet holds its address; its packets arrive on that LAN's
// interface, so render matches each LAN by its own `iif` and verification asks the kernel
// with that `iif`. A LAN's unlisted hosts are matched by interface, not by address.
import type { GatewayConfig, LanConfig } from "@/lib/model";
import { cidrNetwork, inSubnet, parseCidr } from "./ipv4";

export const MAIN_LAN = "lan";

/** Every LAN, the main one first. */
export function lansOf(config: GatewayConfig): LanConfig[] {
  const s = config.settings;
  return [
    {
      name: MAIN_LAN,
      interface: s.lanInterface,
      subnets: s.lanSubnets,
      ...(s.lanSubnets6?.length ? { subnets6: s.lanSubnets6 } : {}),
      defaultIsp: s.defaultIsp,
      defaultPolicy: s.defaultPolicy ?? null,
    },
    ...(s.lans ?? []),
  ];
}

/** Every LAN subnet as written (gateway address/prefix), all LANs. */
export function allLanSubnets(config: GatewayConfig): string[] {
  return lansOf(config).flatMap((l) => l.subnets);
}

/** Every LAN interface, the main one first. */
export function lanInterfaces(config: GatewayConfig): string[] {
  return lansOf(config).map((l) => l.interface);
}

/** A LAN's subnets as network addresses (192.168.1.0/24). */
export function networksOf(lan: LanConfig): string[] {
  return lan.subnets.map((s) => {
    const c = parseCidr(s)!;
    return cidrNetwork(c.address, c.prefix);
  });
}

/** The subnets of every LAN as network addresses (192.168.1.0/24), for routing and both firewall backends. */
export function lanNetworks(config: GatewayConfig): string[] {
  return lansOf(config).flatMap(networksOf);
}

/** The LAN whose subnet holds this address (null: none). */
export function lanOfAddress(config: GatewayConfig, address: string): LanConfig | null {
  for (const lan of lansOf(config)) {
    for (const s of lan.subnets) {
      const c = parseCidr(s);
      if (c && inSubnet(address, c.address, c.prefix)) return lan;
    }
  }
  return null;
}

/** The interface packets from this address arrive on (the main LAN's when no LAN holds it). */
export function iifOf(config: GatewayConfig, address: string): string {
  return lanOfAddress(config, address)?.interface ?? config.settings.lanInterface;
}

/** Does this LAN name its own default (instead of following the gateway's)? */
export const hasOwnDefault = (lan: LanConfig) => lan.name !== MAIN_LAN && Boolean(lan.defaultIsp || lan.defaultPolicy);
