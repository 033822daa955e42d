// The canary's IPv6 identity per slot (docs/canary.md "IPv6"). IPv6 hosts are matched by MAC
// (they pick their own addresses, privacy ones too), so a slot proves IPv6 only with a MAC of
// its own: a macvlan in the canary's namespace, its MAC in the host map like a host's. Both the
// MAC and the interface id are derived from the slot's key, so they stay the same from one apply
// to the next (the gateway's neighbour table and the map do not churn). Pure (no node: modules:
// the Settings form uses the slots too).
import ipaddr from "ipaddr.js";
import type { GatewayConfig } from "@/lib/model";
import { parsePrefix } from "@/lib/net/address";
import { MAIN_LAN } from "@/lib/net/lans";
import { hasIpv6, lanSubnets6 } from "@/lib/net/render/ipv6";

/** A slot's address in one LAN /64. */
export interface SlotAddress6 {
  address: string;
  /** the /64 as a network ("2001:db8:a:10::/64") and the ISP whose prefix holds it */
  network: string;
  owner: string;
  /** the gateway's own address on that /64: the slot's next hop */
  gateway: string;
}

/** The locally administered prefix of the canary's MACs ("SY" after the 02: 0x53 0x59). */
export const CANARY_MAC_PREFIX = "02:53:59";

/** FNV-1a, 32 bits: a stable spread of a slot key (no crypto needed: collisions are checked). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** A slot's MAC: 02:53:59 and 24 bits of its key's hash, the next free one when taken (by a host or another slot). */
export function slotMac(key: string, taken: Set<string>): string {
  for (let salt = 0; ; salt++) {
    const h = fnv1a(salt ? `${key}#${salt}` : key) & 0xffffff;
    const mac = `${CANARY_MAC_PREFIX}:${hex(h >>> 16, 2)}:${hex((h >>> 8) & 0xff, 2)}:${hex(h & 0xff, 2)}`;
    if (!taken.has(mac)) {
      taken.add(mac);
      return mac;
    }
  }
}

/** The macvlan's name in the canary's namespace: from the MAC's last three bytes ("sy6-a1b2c3"), so it stays the same. */
export const slotDevice = (mac: string) => `sy6-${mac.slice(-8).replaceAll(":", "")}`;

/** A slot's interface id, the low 64 bits: ::5359:xx:xxxx from its MAC's last 24 bits (one per MAC; never the gateway's ::1, never EUI-64-like). */
export const slotIid = (mac: string) => {
  const [, , , a, b, c] = mac.split(":");
  return `0:5359:${a}:${b}${c}`;
};

/** The address with `network`'s first 64 bits and `iid`'s last 64 ("0:0:5359:a1b2" or an address whose host part is kept). */
export function withHostPart(network: string, hostPart: string): string {
  const net = ipaddr.IPv6.parse(parsePrefix(network)!.address).parts;
  const host = hostPart.includes("::") || hostPart.split(":").length === 8 ? ipaddr.IPv6.parse(hostPart).parts : ipaddr.IPv6.parse(`::${hostPart}`).parts;
  return new ipaddr.IPv6([...net.slice(0, 4), ...host.slice(4)]).toRFC5952String();
}

/**
 * Each slot's MAC and addresses, by key, for the slots on a LAN with IPv6 /64s of active ISPs
 * (none without IPv6: the IPv4 canary is then exactly what it was). A /64 of no active ISP is
 * left out (nothing routes it).
 */
export function slotIpv6(config: GatewayConfig, slots: { key: string; lan?: string }[]): Map<string, { mac: string; addresses6: SlotAddress6[] }> {
  const out = new Map<string, { mac: string; addresses6: SlotAddress6[] }>();
  if (!hasIpv6(config)) return out;
  const subnets = lanSubnets6(config);
  const taken = new Set(config.hosts.flatMap((h) => (h.mac ? [h.mac.toLowerCase()] : [])));
  for (const s of slots) {
    const mine = subnets.filter((x) => x.lan.name === (s.lan ?? MAIN_LAN) && x.isp);
    if (mine.length === 0) continue;
    const mac = slotMac(s.key, taken);
    const iid = slotIid(mac);
    out.set(s.key, {
      mac,
      addresses6: mine.map((x) => ({ address: withHostPart(x.network, iid), network: x.network, owner: x.isp!.name, gateway: x.address })),
    });
  }
  return out;
}
