// Who an IPv6 flow's source is (docs/ipv6.md): a host holds many IPv6 addresses (privacy ones
// too), so it is known by its MAC, read from the gateway's neighbour table; the LAN is the one
// whose /64 holds the address (lanOfAddress is IPv4-only). Pure: lib/net/apply/flows.ts lists
// the flows and the table, lib/net/plan.ts staleFlows decides which are stale.
import ipaddr from "ipaddr.js";
import type { GatewayConfig, HostConfig, LanConfig } from "@/lib/model";
import { prefixContains } from "./address";
import type { Neighbour } from "./parse/ip-neigh";
import { lanSubnets6 } from "./render/ipv6";

export interface Source6 {
  /** the host with this MAC (null: unknown MAC, or no host has it: the LAN's unlisted hosts' marks) */
  host: HostConfig | null;
  lan: LanConfig;
}

/**
 * A resolver for IPv6 LAN sources: null for an address in no LAN /64 (not the LAN's) and for
 * the gateway's own LAN addresses (its own traffic is never marked).
 */
export function sources6(config: GatewayConfig): (address: string, mac?: string) => Source6 | null {
  const subnets = lanSubnets6(config);
  const own = new Set(subnets.map((s) => s.address));
  const byMac = new Map(config.hosts.filter((h) => h.mac).map((h) => [h.mac!.toLowerCase(), h]));
  return (address, mac) => {
    if (own.has(address)) return null;
    const s = subnets.find((x) => prefixContains(x.network, address));
    if (!s) return null;
    return { host: (mac && byMac.get(mac.toLowerCase())) || null, lan: s.lan };
  };
}

/** IPv6 address -> MAC from `ip -6 -json neigh show` (entries without a link-layer address, FAILED ones, are left out). */
export function macsOf(neighbours: Neighbour[]): Map<string, string> {
  return new Map(neighbours.filter((n) => n.family === 6 && n.lladdr).map((n) => [n.dst, n.lladdr!.toLowerCase()]));
}

/** Sort key: IPv4 addresses first (by number), then IPv6 (by their 16 bytes). */
export function addressOrder(a: string, b: string): number {
  const bytes = (t: string) => (ipaddr.isValid(t) ? ipaddr.parse(t).toByteArray() : []);
  const x = bytes(a);
  const y = bytes(b);
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}
