// The canary's slots: one reserved LAN address per target (the default, each enabled ISP, each
// policy), placed in the host map like a host, so a connection from it takes exactly the
// hooks, marks, reverse-path check, NAT and routes a host of that target takes. Pure.
//
// Addresses come from settings.canary.addresses ("default", an ISP's name, "policy:<name>",
// "lan:<name>"), else from the top of the first LAN subnet downwards, skipping the gateway's
// and the hosts' addresses (DHCP pools usually sit lower; the apply also checks that nothing
// answers there). The default slot is not in the map (it stands for the unlisted hosts); the
// others are. Every LAN beside the main one has a default slot of its own ("lan:guest") in its
// first subnet: its packets arrive on that LAN's interface, as its hosts' do.
import type { GatewayConfig, HostConfig } from "@/lib/model";
import { intToIp, ipToInt, maskOf, parseCidr } from "@/lib/net/ipv4";
import { MAIN_LAN, allLanSubnets, lansOf } from "@/lib/net/lans";
import { activeIspsOf } from "@/lib/net/render/targets";
import { slotIpv6, type SlotAddress6 } from "./slots6";

export type CanaryKind = "default" | "isp" | "policy";

export interface CanarySlot {
  /** the key in settings.canary.addresses: "default", the ISP's name, "policy:<name>" */
  key: string;
  /** for people: "default", "ISP1", "policy office" */
  label: string;
  kind: CanaryKind;
  address: string;
  /** the LAN prefix and gateway address the canary uses */
  prefix: number;
  gateway: string;
  /** the host it is in the map as (null for a default: it follows the unlisted hosts) */
  host: HostConfig | null;
  /** the LAN it sits on (absent: the main LAN) */
  lan?: string;
  /** IPv6 (its LAN has /64s of active ISPs): its macvlan's MAC, in the host map as its host's, and its address in each /64 */
  mac?: string;
  addresses6?: SlotAddress6[];
}

export const canaryEnabled = (c: GatewayConfig) => c.settings.canary?.enabled === true;

export const policyKey = (name: string) => `policy:${name}`;
export const lanKey = (name: string) => `lan:${name}`;

/** Every target the canary proves, in order: the default, the ISPs by routing table, the policies by name, the other LANs' defaults. */
export function canaryTargets(c: GatewayConfig): { key: string; label: string; kind: CanaryKind; isp?: string; policy?: string; lan?: string }[] {
  return [
    { key: "default", label: "default", kind: "default" as const },
    ...activeIspsOf(c).map((i) => ({ key: i.name, label: i.name, kind: "isp" as const, isp: i.name })),
    ...[...(c.policies ?? [])]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((p) => ({ key: policyKey(p.name), label: `policy ${p.name}`, kind: "policy" as const, policy: p.name })),
    ...lansOf(c)
      .slice(1)
      .map((l) => ({ key: lanKey(l.name), label: `${l.name} LAN`, kind: "default" as const, lan: l.name })),
  ];
}

/** The slots of an enabled canary (empty when it is off or the main LAN has no room; another LAN without room has no slot). */
export function canarySlots(c: GatewayConfig): CanarySlot[] {
  if (!canaryEnabled(c)) return [];
  const set = c.settings.canary?.addresses ?? {};
  const taken = new Set([...c.hosts.map((h) => h.address), ...allLanSubnets(c).map((s) => parseCidr(s)?.address), ...Object.values(set)]);
  const pools = new Map(lansOf(c).map((l) => [l.name, pool(l.subnets[0], taken)]));
  if (!pools.get(MAIN_LAN)) return [];
  const slots: CanarySlot[] = [];
  for (const t of canaryTargets(c)) {
    const p = pools.get(t.lan ?? MAIN_LAN);
    if (!p) continue;
    const address = set[t.key] ?? p.free();
    if (!address) {
      if (!t.lan) break;
      continue;
    }
    const host: HostConfig | null =
      t.kind === "default"
        ? null
        : { name: `canary ${t.label}`, address, mac: null, isp: t.isp ?? null, policy: t.policy ?? null, notes: "Switchyard's canary", canary: true };
    slots.push({ key: t.key, label: t.label, kind: t.kind, address, prefix: p.prefix, gateway: p.gateway, host, ...(t.lan ? { lan: t.lan } : {}) });
  }
  // IPv6: a MAC of its own per slot (the map matches IPv6 hosts by MAC), only where IPv6 is routed
  const six = slotIpv6(c, slots);
  return six.size === 0
    ? slots
    : slots.map((s) => {
        const v6 = six.get(s.key);
        return v6 ? { ...s, ...v6, host: s.host ? { ...s.host, mac: v6.mac } : null } : s;
      });
}

/** Free addresses of one LAN subnet, from its top down; null when the subnet is too small. */
function pool(subnet: string | undefined, taken: Set<string | undefined>) {
  const lan = parseCidr(subnet ?? "");
  if (!lan || lan.prefix > 29) return null;
  const network = (ipToInt(lan.address) & maskOf(lan.prefix)) >>> 0;
  const broadcast = (network | ~maskOf(lan.prefix)) >>> 0;
  let next = broadcast - 1;
  const free = (): string | null => {
    while (next > network && taken.has(intToIp(next >>> 0))) next--;
    if (next <= network) return null;
    const ip = intToIp(next-- >>> 0);
    taken.add(ip);
    return ip;
  };
  return { prefix: lan.prefix, gateway: lan.address, free };
}

/** The configuration with the canary's slots in the host map (what render uses). */
export function withCanaryHosts(c: GatewayConfig): GatewayConfig {
  const hosts = canarySlots(c).flatMap((s) => (s.host ? [s.host] : []));
  return hosts.length ? { ...c, hosts: [...c.hosts, ...hosts] } : c;
}
