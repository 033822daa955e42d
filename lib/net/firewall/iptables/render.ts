// render, iptables backend: config -> Switchyard's chains in mangle, nat and filter and the
// jumps into them from the built-in chains. Pure and deterministic. The routing it marks for
// is lib/net/routing/render.ts (see shared/docs/kernel.md for the measurements behind both):
// - hosts are matched by firewall mark (only the bits of MARK_MASK), set once per
//   connection in mangle and kept with CONNMARK, never by one ip rule per host (which
//   halves throughput). The connection mark is restored on LAN and on WAN ingress
//   (replies need it for a strict reverse-path check with src_valid_mark=1), and once
//   more by a jump appended at the end of PREROUTING, so a foreign full-mark write
//   between the two (`-j MARK --set-mark 0x100`) cannot undo Switchyard's bits;
// - nat SNATs LAN traffic per egress interface, pinned hosts first.
// With IPv6 (docs/ipv6.md) the same chains are rendered for ip6tables (family 6): hosts matched
// by MAC, the ISPs with IPv6, and in nat only the prefix translations (NETMAP).
import type { GatewayConfig } from "@/lib/model";
import {
  UNREACHABLE_MARK,
  activeIspsOf,
  defaultTarget,
  isExplicit,
  resolveTarget,
  targetChain,
  targetOf,
  type Resolved,
  type Target,
} from "@/lib/net/render/targets";
import { hasOwnDefault, lanInterfaces, lanNetworks, lansOf } from "@/lib/net/lans";
import { hasIpv6, ipv6IspsOf, translations6 } from "@/lib/net/render/ipv6";
import type { Family } from "@/lib/net/family";
import { CHAINS } from "../chains";
import { MARK_MASK, type IptChain, type IptHook, type KernelState } from "@/lib/net/types";

const activeIsps = activeIspsOf;

export const HOOKS: IptHook[] = [
  { table: "mangle", chain: "PREROUTING", spec: `-j ${CHAINS.pre}` },
  { table: "mangle", chain: "FORWARD", spec: `-j ${CHAINS.acct}` },
  { table: "nat", chain: "POSTROUTING", spec: `-j ${CHAINS.post}` },
  { table: "mangle", chain: "PREROUTING", spec: `-j ${CHAINS.tail}`, last: true },
  { table: "filter", chain: "FORWARD", spec: `-j ${CHAINS.guard}` },
];

const hex = (n: number) => `0x${n.toString(16)}`;
const markSpec = (mark: number) => `${hex(mark)}/${hex(MARK_MASK)}`;
const restoreMark = `-j CONNMARK --restore-mark --nfmask ${hex(MARK_MASK)} --ctmask ${hex(MARK_MASK)}`;

/** IPv4, or the same chains for ip6tables: its ISPs are the ones with IPv6, its hosts matched by MAC (docs/ipv6.md). */
function renderMangle(config: GatewayConfig, family: Family = 4): IptChain[] {
  const lanDevs = lanInterfaces(config);
  const isps = family === 6 ? ipv6IspsOf(config) : activeIsps(config);
  const pre: string[] = [];
  // Connections that arrive on an ISP (port forwards) keep that ISP for their replies.
  // Replies arriving on a WAN get their connection's mark too: the reverse-path check
  // (rp_filter=1 with src_valid_mark=1) then looks them up in their ISP's table.
  for (const isp of isps) {
    pre.push(`-i ${isp.wanInterface} -m conntrack --ctstate NEW -j CONNMARK --set-xmark ${markSpec(isp.mark)}`);
    pre.push(`-i ${isp.wanInterface} ${restoreMark}`);
  }
  for (const lan of lanDevs) {
    pre.push(
      `-i ${lan} ${restoreMark}`,
      `-i ${lan} -m mark ! --mark 0x0/${hex(MARK_MASK)} -j RETURN`,
      `-i ${lan} -j ${CHAINS.mark}`,
      `-i ${lan} -j CONNMARK --save-mark --nfmask ${hex(MARK_MASK)} --ctmask ${hex(MARK_MASK)}`,
    );
  }
  // One small chain per target (an ISP, a policy): the host rules jump there, the health
  // of the ISPs changes only what those chains say.
  const targets = new Map<string, Target>();
  // every active ISP's target chain in both families: a host placed on an ISP without IPv6 still gets its mark
  for (const isp of activeIsps(config)) targets.set(targetChain({ kind: "isp", isp }), { kind: "isp", isp });
  for (const policy of config.policies ?? []) targets.set(targetChain({ kind: "policy", policy }), { kind: "policy", policy });
  const def = defaultTarget(config);
  const mark: string[] = [];
  for (const host of config.hosts) {
    const t = targetOf(config, host);
    // explicit assignments stay explicit, so changing the default does not move them
    if (!t || !isExplicit(config, host)) continue;
    // IPv6: the MAC stands for all of the host's addresses (privacy addresses included); a host without one has no IPv6 rule
    if (family === 4) mark.push(`-s ${host.address}/32 -j ${targetChain(t)}`);
    else if (host.mac) mark.push(`-m mac --mac-source ${host.mac.toLowerCase()} -j ${targetChain(t)}`);
  }
  // a target chain always sets a mark: the catch-all only takes packets no host rule sent anywhere;
  // a LAN with a default of its own (the guest network on lte) catches its unlisted hosts first, by iif
  for (const lan of lansOf(config).filter(hasOwnDefault)) {
    const t = defaultTarget(config, lan);
    if (t) mark.push(`-i ${lan.interface} -m mark --mark 0x0/${hex(MARK_MASK)} -j ${targetChain(t)}`);
  }
  if (def) mark.push(`-m mark --mark 0x0/${hex(MARK_MASK)} -j ${targetChain(def)}`);
  const targetChains: IptChain[] = [...targets]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, t]) => ({
      table: "mangle",
      name,
      rules: targetRules(resolveTarget(config, t), family).map((spec) => ({ spec })),
    }));
  return [
    { table: "mangle", name: CHAINS.pre, rules: pre.map((spec) => ({ spec })) },
    { table: "mangle", name: CHAINS.mark, rules: mark.map((spec) => ({ spec })) },
    ...targetChains,
    // rules without a target only count: forwarded traffic out of and into each ISP, for the live view
    { table: "mangle", name: CHAINS.acct, rules: isps.flatMap((isp) => [`-o ${isp.wanInterface}`, `-i ${isp.wanInterface}`]).map((spec) => ({ spec })) },
    // Runs last in PREROUTING: puts Switchyard's bits back from the connection mark after
    // any foreign rule that rewrote the whole packet mark. Other bits are left as they are.
    { table: "mangle", name: CHAINS.tail, rules: [...lanDevs, ...isps.map((i) => i.wanInterface)].map((dev) => ({ spec: `-i ${dev} ${restoreMark}` })) },
  ];
}

/** The probability as iptables stores it (a fraction of 2^31) and prints it (11 decimals), so render equals what iptables-save shows. */
export function iptProbability(p: number): string {
  return (Math.round(0x80000000 * p) / 0x80000000).toFixed(11);
}

/** Weights as hash buckets: reduced by their common divisor, at most 64 buckets in all (each member keeps at least one). */
export function hashBuckets(weights: number[]): number[] {
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const g = weights.reduce(gcd);
  let w = weights.map((x) => x / g);
  const sum = w.reduce((a, b) => a + b, 0);
  if (sum > 64) w = w.map((x) => Math.max(1, Math.floor((x * 64) / sum)));
  return w;
}

/** HMARK: a hash of source and destination address (ports left out) into buckets at this offset, above Switchyard's mark bits. */
export const HASH_OFFSET = 0x10000;
const HASH_SEED = "0x00005759";

/**
 * A target chain's rules. It runs only for a connection's first packet (the mark bits are 0):
 * one ISP sets its mark; a balanced set picks per connection (statistic, each rule taking its
 * share of what the rules before it left) or per (source, destination) with a hash (HMARK,
 * whose bucket then maps to a mark; HMARK writes the whole mark, so bits other tools set
 * before Switchyard's chain on that first packet are not kept); unreachable sets the mark
 * an ip rule refuses. IPv6 hashes whole addresses (128 bits) as IPv4 does (32).
 */
export function targetRules(r: Resolved, family: Family = 4): string[] {
  const set = (mark: number) => `-j MARK --set-xmark ${markSpec(mark)}`;
  if (r.unreachable) return [set(UNREACHABLE_MARK)];
  if (r.isps.length === 1) return [set(r.isps[0].isp.mark)];
  if (r.sticky) {
    const buckets = hashBuckets(r.isps.map((i) => i.weight));
    const total = buckets.reduce((a, b) => a + b, 0);
    const bits = family === 6 ? 128 : 32;
    const out = [`-j HMARK --hmark-src-prefix ${bits} --hmark-dst-prefix ${bits} --hmark-rnd ${HASH_SEED} --hmark-mod ${total} --hmark-offset ${HASH_OFFSET}`];
    let b = 0;
    r.isps.forEach((i, n) => {
      for (let k = 0; k < buckets[n]; k++) out.push(`-m mark --mark ${hex(HASH_OFFSET + b++)} -j MARK --set-xmark ${hex(i.isp.mark)}/0xffffffff`);
    });
    return out;
  }
  const unmarked = `-m mark --mark 0x0/${hex(MARK_MASK)}`;
  let rest = r.isps.reduce((a, i) => a + i.weight, 0);
  return r.isps.map((i, n) => {
    const last = n === r.isps.length - 1;
    const p = i.weight / rest;
    rest -= i.weight;
    return last ? `${unmarked} ${set(i.isp.mark)}` : `${unmarked} -m statistic --mode random --probability ${iptProbability(p)} ${set(i.isp.mark)}`;
  });
}

function renderNat(config: GatewayConfig): IptChain {
  const isps = activeIsps(config);
  const post: string[] = [];
  for (const n of config.natAddresses) {
    const isp = isps.find((i) => i.name === n.isp);
    if (isp && n.host) post.push(`-s ${n.host}/32 -o ${isp.wanInterface} -j SNAT --to-source ${n.address}`);
  }
  for (const isp of isps) {
    const def = config.natAddresses.find((n) => n.isp === isp.name && n.isDefault);
    const target = isp.natMode === "MASQUERADE" || !def ? "MASQUERADE" : `SNAT --to-source ${def.address}`;
    for (const lan of lanNetworks(config)) post.push(`-s ${lan} -o ${isp.wanInterface} -j ${target}`);
  }
  return { table: "nat", name: CHAINS.post, rules: post.map((spec) => ({ spec })) };
}

/**
 * The guard behind the routing: LAN traffic never leaves a WAN un-NATed. SWYD-POST NATs
 * only what leaves an enabled ISP's WAN; a LAN packet that reaches a disabled ISP's WAN,
 * or any WAN without Switchyard's mark (a foreign rule or route sent it there, main's
 * default route with no ISP left), would leave with its private address: refuse it with
 * an ICMP error instead. IPv6 (ip6tables): the same per WAN of an ISP with IPv6, every LAN
 * packet to a WAN without it, refused with ICMPv6 "no route".
 */
function renderGuard(config: GatewayConfig, family: Family = 4): IptChain {
  const active = new Set((family === 6 ? ipv6IspsOf(config) : activeIsps(config)).map((i) => i.wanInterface));
  const reject = `-j REJECT --reject-with ${family === 6 ? "icmp6-no-route" : "icmp-net-unreachable"}`;
  const wans = [...new Set(config.isps.map((i) => i.wanInterface))].sort();
  const rules = lanInterfaces(config).flatMap((lan) =>
    wans.map((wan) => (active.has(wan) ? `-i ${lan} -o ${wan} -m mark --mark 0x0/${hex(MARK_MASK)} ${reject}` : `-i ${lan} -o ${wan} ${reject}`)),
  );
  return { table: "filter", name: CHAINS.guard, rules: rules.map((spec) => ({ spec })) };
}

/**
 * ip6tables' nat: no NAT for IPv6, only the prefix translations (docs/ipv6.md): a LAN /64 of
 * one ISP leaving by another is mapped to that LAN's /64 of the other (NETMAP keeps the host part).
 */
function renderNat6(config: GatewayConfig): IptChain {
  const rules = translations6(config).map((t) => ({ spec: `-s ${t.from} -o ${t.isp.wanInterface} -j NETMAP --to ${t.to}` }));
  return { table: "nat", name: CHAINS.post, rules };
}

/** The same jumps in ip6tables' built-in chains. */
export const HOOKS6: IptHook[] = HOOKS.map((h) => ({ ...h, family: 6 }));

/** The iptables part of the desired state: the chains and the hooks into them; with IPv6, ip6tables' too (family 6). */
export function renderIptables(config: GatewayConfig): Pick<KernelState, "chains" | "hooks" | "sets"> {
  const chains = [...renderMangle(config), renderNat(config), renderGuard(config)];
  if (!hasIpv6(config)) return { chains, hooks: HOOKS, sets: [] };
  const six = [...renderMangle(config, 6), renderNat6(config), renderGuard(config, 6)].map((c): IptChain => ({ ...c, family: 6 }));
  return { chains: [...chains, ...six], hooks: [...HOOKS, ...HOOKS6], sets: [] };
}
