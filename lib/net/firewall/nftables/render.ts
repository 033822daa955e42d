// render, nftables backend: config -> Switchyard's own table (`table inet switchyard`).
// The same design as the iptables chains (../iptables/render.ts), in nft's terms:
// - hosts are one verdict map (SWYD-HOSTS: address -> its target chain), one hash lookup per
//   new connection whatever the number of hosts, with a counter per host;
// - the mark bits are set with constants only (nft 1.0.6 cannot OR a register into a mark),
//   so restoring and saving the connection mark goes through a map from the 8 mark bits to a
//   tiny chain per mark value (SWYD-M<mark> sets the packet mark, SWYD-C<mark> the connection
//   mark); every other mark bit is kept, on every path, balancing included (numgen / jhash
//   vmaps pick a chain instead of writing the whole mark as HMARK does);
// - base chains at fixed priorities replace the hooks into built-in chains: marking at mangle
//   (-150), the mark re-assertion after every mangle rule (-140), NAT just before other
//   source NAT (srcnat - 5: Switchyard decides the NAT of LAN traffic), the guard at filter.
// Every rule is written as Switchyard prints nft's JSON back (parse/nft-json.ts: masks as
// nft stores them, 8-digit hex marks), so the rendered state equals the observed one.
import type { GatewayConfig } from "@/lib/model";
import { ipToInt } from "@/lib/net/ipv4";
import { hasOwnDefault, lanInterfaces, lanNetworks, lansOf } from "@/lib/net/lans";
import { CHAINS } from "../chains";
import { hasIpv6, translations6 } from "@/lib/net/render/ipv6";
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
import { CHAIN_PREFIX, MARK_MASK, type IptChain, type KernelState, type NftBase, type NftSet } from "@/lib/net/types";

export const NFT_SETS = {
  hosts: `${CHAIN_PREFIX}HOSTS`,
  /** IPv6: a host's MAC -> its target chain (all of its IPv6 addresses, privacy ones included; docs/ipv6.md) */
  hosts6: `${CHAIN_PREFIX}HOSTS6`,
  restore: `${CHAIN_PREFIX}RESTORE`,
  save: `${CHAIN_PREFIX}SAVE`,
} as const;

export const NFT_PRIORITY = { mangle: -150, tail: -140, filter: 0, srcnat: 95 } as const;

/** A mark as nft prints it: 8 hex digits. */
export const nftHex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, "0")}`;
const markBits = `& ${nftHex(MARK_MASK)}`;
/** `x set x & ~MASK | mark`, as nft stores it (the mask already holds the mark's bits). */
const setBits = (what: "meta mark" | "ct mark", mark: number) => {
  const keep = (~MARK_MASK | mark) >>> 0;
  return `${what} set ${what}${keep === 0xffffffff ? "" : ` & ${nftHex(keep)}`} | ${nftHex(mark)}`;
};
export const markChain = (mark: number) => `${CHAIN_PREFIX}M${mark.toString(16)}`;
export const ctMarkChain = (mark: number) => `${CHAIN_PREFIX}C${mark.toString(16)}`;
const q = (dev: string) => `"${dev}"`;

const chain = (name: string, rules: string[], base?: NftBase): IptChain => ({
  table: "nft",
  name,
  rules: rules.map((spec) => ({ spec })),
  ...(base ? { base } : {}),
});
const hook = (type: NftBase["type"], h: NftBase["hook"], priority: number): NftBase => ({ type, hook: h, priority, policy: "accept" });

/** The marks a connection can carry: each enabled ISP's, and unreachable. */
function marksOf(config: GatewayConfig): number[] {
  return [...new Set([...activeIspsOf(config).map((i) => i.mark & MARK_MASK), UNREACHABLE_MARK])].sort((a, b) => a - b);
}

/** A target chain's rule: one ISP's mark, a weighted pick per connection (numgen) or per (source, destination) (jhash), or unreachable. */
export function nftTargetRules(r: Resolved): string[] {
  if (r.unreachable) return [setBits("meta mark", UNREACHABLE_MARK)];
  if (r.isps.length === 1) return [setBits("meta mark", r.isps[0].isp.mark & MARK_MASK)];
  const total = r.isps.reduce((a, i) => a + i.weight, 0);
  let at = 0;
  const slots = r.isps.map((i) => {
    const from = at;
    at += i.weight;
    const key = i.weight === 1 ? String(from) : `${from}-${at - 1}`;
    return `${key} : jump ${markChain(i.isp.mark & MARK_MASK)}`;
  });
  const pick = r.sticky ? `jhash ip saddr . ip daddr mod ${total} seed 0x5759` : `numgen random mod ${total}`;
  return [`${pick} vmap { ${slots.join(", ")} }`];
}

function renderSets(config: GatewayConfig): NftSet[] {
  const marks = marksOf(config);
  const hosts = config.hosts
    .map((h) => ({ h, t: targetOf(config, h) }))
    .filter(({ h, t }) => t && isExplicit(config, h))
    .map(({ h, t }) => ({ key: h.address, value: `jump ${targetChain(t!)}` }))
    .sort((a, b) => ipToInt(a.key) - ipToInt(b.key)); // nft lists elements in its own order: compared sorted
  const hosts6 = config.hosts
    .map((h) => ({ h, t: targetOf(config, h) }))
    .filter(({ h, t }) => t && h.mac && isExplicit(config, h))
    .map(({ h, t }) => ({ key: h.mac!.toLowerCase(), value: `jump ${targetChain(t!)}` }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return [
    { name: NFT_SETS.hosts, type: "ipv4_addr", map: "verdict", counter: true, elements: hosts },
    ...(hasIpv6(config) ? [{ name: NFT_SETS.hosts6, type: "ether_addr", map: "verdict", counter: true, elements: hosts6 }] : []),
    { name: NFT_SETS.restore, type: "mark", map: "verdict", elements: marks.map((m) => ({ key: nftHex(m), value: `jump ${markChain(m)}` })) },
    { name: NFT_SETS.save, type: "mark", map: "verdict", elements: marks.map((m) => ({ key: nftHex(m), value: `jump ${ctMarkChain(m)}` })) },
  ];
}

export function renderNftables(config: GatewayConfig): Pick<KernelState, "chains" | "hooks" | "sets"> {
  const lanDevs = lanInterfaces(config);
  const isps = activeIspsOf(config);
  const restore = `ct mark ${markBits} vmap @${NFT_SETS.restore}`;
  const pre: string[] = [];
  for (const isp of isps) {
    pre.push(`iifname ${q(isp.wanInterface)} ct state new ${setBits("ct mark", isp.mark & MARK_MASK)}`);
    pre.push(`iifname ${q(isp.wanInterface)} ${restore}`);
  }
  for (const lan of lanDevs) {
    pre.push(
      `iifname ${q(lan)} ${restore}`,
      `iifname ${q(lan)} meta mark ${markBits} != ${nftHex(0)} return`,
      `iifname ${q(lan)} jump ${CHAINS.mark}`,
      `iifname ${q(lan)} meta mark ${markBits} vmap @${NFT_SETS.save}`,
    );
  }
  const targets = new Map<string, Target>();
  for (const isp of isps) targets.set(targetChain({ kind: "isp", isp }), { kind: "isp", isp });
  for (const policy of config.policies ?? []) targets.set(targetChain({ kind: "policy", policy }), { kind: "policy", policy });
  const def = defaultTarget(config);
  const mark = [`ip saddr vmap @${NFT_SETS.hosts}`];
  // IPv6: the host by its MAC, whatever address it picked (the LAN's packets arrive on ethernet)
  if (hasIpv6(config)) mark.push(`meta nfproto ipv6 ether saddr vmap @${NFT_SETS.hosts6}`);
  // a LAN with a default of its own (the guest network on lte) catches its unlisted hosts first, by iif
  for (const lan of lansOf(config).filter(hasOwnDefault)) {
    const t = defaultTarget(config, lan);
    if (t) mark.push(`iifname ${q(lan.interface)} meta mark ${markBits} == ${nftHex(0)} jump ${targetChain(t)}`);
  }
  if (def) mark.push(`meta mark ${markBits} == ${nftHex(0)} jump ${targetChain(def)}`);
  const marks = marksOf(config);
  const nat: string[] = [];
  for (const n of config.natAddresses) {
    const isp = isps.find((i) => i.name === n.isp);
    if (isp && n.host) nat.push(`ip saddr ${n.host} oifname ${q(isp.wanInterface)} snat ip to ${n.address}`);
  }
  for (const isp of isps) {
    const d = config.natAddresses.find((n) => n.isp === isp.name && n.isDefault);
    const target = isp.natMode === "MASQUERADE" || !d ? "masquerade" : `snat ip to ${d.address}`;
    for (const net of lanNetworks(config)) nat.push(`ip saddr ${net} oifname ${q(isp.wanInterface)} ${target}`);
  }
  // IPv6: a LAN /64 of another ISP leaving by this one is mapped to this ISP's /64 of that LAN (the host part kept)
  for (const t of translations6(config)) nat.push(`ip6 saddr ${t.from} oifname ${q(t.isp.wanInterface)} snat ip6 prefix to ${t.to}`);
  const active = new Set(isps.map((i) => i.wanInterface));
  const reject = "reject with icmp net-unreachable";
  const wans = [...new Set(config.isps.map((i) => i.wanInterface))].sort();
  const guard = lanDevs.flatMap((lan) =>
    wans.map((wan) =>
      active.has(wan) ? `iifname ${q(lan)} oifname ${q(wan)} meta mark ${markBits} == ${nftHex(0)} ${reject}` : `iifname ${q(lan)} oifname ${q(wan)} ${reject}`,
    ),
  );
  const chains: IptChain[] = [
    chain(CHAINS.pre, pre, hook("filter", "prerouting", NFT_PRIORITY.mangle)),
    chain(CHAINS.mark, mark),
    ...[...targets].sort(([a], [b]) => a.localeCompare(b)).map(([name, t]) => chain(name, nftTargetRules(resolveTarget(config, t)))),
    ...marks.map((m) => chain(markChain(m), [setBits("meta mark", m)])),
    ...marks.map((m) => chain(ctMarkChain(m), [setBits("ct mark", m)])),
    chain(
      CHAINS.tail,
      [...lanDevs, ...isps.map((i) => i.wanInterface)].map((dev) => `iifname ${q(dev)} ${restore}`),
      hook("filter", "prerouting", NFT_PRIORITY.tail),
    ),
    chain(
      CHAINS.acct,
      isps.flatMap((i) => [`oifname ${q(i.wanInterface)} counter`, `iifname ${q(i.wanInterface)} counter`]),
      hook("filter", "forward", NFT_PRIORITY.mangle),
    ),
    chain(CHAINS.post, nat, hook("nat", "postrouting", NFT_PRIORITY.srcnat)),
    chain(CHAINS.guard, guard, hook("filter", "forward", NFT_PRIORITY.filter)),
  ];
  return { chains, hooks: [], sets: renderSets(config) };
}
