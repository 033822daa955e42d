// lint, the netfilter chains beside Switchyard's: every nftables base chain of another table
// (any family that sees IPv4, any priority) and the other iptables variant's tables (legacy
// beside iptables-nft, or the reverse), ordered against Switchyard's own chains by hook
// priority, as the kernel runs them. Pure.
//
// What the kernel does (measured, tests/kernel/foreign-nat.test.ts):
//   - nat postrouting: the first NAT chain that sets a mapping decides the connection's
//     address; later NAT chains never see it again. A foreign snat/masquerade at a lower
//     priority number than Switchyard's NAT (nftables: srcnat - 5 = 95; iptables: the nat
//     table's POSTROUTING, 100) decides first; at the same priority the kernel runs the hooks
//     in the order they were registered, which the admin cannot see: reported as well. An
//     `accept` in another table's NAT chain only ends that chain: the next NAT chain runs.
//   - prerouting marks: a packet-mark write before Switchyard's marking is kept on nftables
//     (Switchyard leaves a marked packet alone) and cleared on iptables (SWYD-PRE first
//     restores the connection's bits, 0 for a new one); one after the mark re-assertion
//     decides the route, one between the marking and the re-assertion (nftables: -150 < p <
//     -140) is undone. A connection-mark write is never undone (the next packets restore it).
import type { GatewayConfig, HostConfig, LanConfig } from "@/lib/model";
import { cidrContains, cidrsOverlap } from "@/lib/net/ipv4";
import type { Override } from "@/lib/net/lint";
import type { ObservedState } from "@/lib/net/observe";
import { parseIptSpec } from "@/lib/net/parse/ipt-spec";
import type { HookChain, HookRule } from "@/lib/net/parse/nft-ruleset";
import { activeIspsOf as activeIsps, resolveHost } from "@/lib/net/render/targets";
import { lanInterfaces, lanNetworks, lanOfAddress, lansOf } from "@/lib/net/lans";
import { expectedNat, unlistedAddress } from "@/lib/net/verify";
import { MARK_MASK, type IptChain } from "@/lib/net/types";
import { CHAINS } from "./chains";
import { ownBaseChain } from "./index";
import { NFT_PRIORITY } from "./nftables/render";

const ALL = "*";
const hex = (n: number) => `0x${n.toString(16)}`;

/** The priorities of Switchyard's own chains on the backend the gateway runs. */
interface Own {
  nat: number;
  mark: number;
  /** the mark re-assertion; null: in the same chain as the marking (iptables: the end of mangle PREROUTING) */
  tail: number | null;
  natChain: string;
}

function ownPriorities(observed: ObservedState): Own {
  const base = (name: string) => ownBaseChain(observed, name)?.base?.priority;
  const nat = base(CHAINS.post);
  if (nat === undefined) return { nat: 100, mark: -150, tail: null, natChain: `iptables nat POSTROUTING -j ${CHAINS.post} (priority 100)` };
  return { nat, mark: base(CHAINS.pre) ?? NFT_PRIORITY.mangle, tail: base(CHAINS.tail) ?? NFT_PRIORITY.tail, natChain: `${CHAINS.post} (priority ${nat})` };
}

/** iptables rules as the same reduced form nft rules get; the chain's hook and priority as the kernel registers iptables' tables. */
const IPT_HOOKS: Record<string, { hook: string; priority: number }> = {
  "mangle PREROUTING": { hook: "prerouting", priority: -150 },
  "mangle FORWARD": { hook: "forward", priority: -150 },
  "mangle POSTROUTING": { hook: "postrouting", priority: -150 },
  "nat POSTROUTING": { hook: "postrouting", priority: 100 },
};
const IPT_TARGETS = new Set(["ACCEPT", "DROP", "RETURN", "REJECT", "SNAT", "DNAT", "MASQUERADE", "NETMAP", "MARK", "CONNMARK", "LOG", "TCPMSS", "HMARK"]);

export function iptRule(spec: string): HookRule {
  const s = parseIptSpec(spec);
  const r: HookRule = { text: spec, writesMark: 0, writesCtMark: 0 };
  if (s.dst || s.negated.includes("-d")) r.opaque = "a destination match";
  else if (s.negated.length) r.opaque = `a negated ${s.negated.join(" ")}`;
  else if (s.modules.some((m) => m === "mark" || m === "connmark")) r.opaque = "a mark match";
  if (s.src) r.src = [s.src];
  if (s.in) r.iif = [s.in];
  if (s.out) r.oif = [s.out];
  const set = s.setMark ? (s.setMark.mask | s.setMark.value) >>> 0 : 0;
  if (s.target === "SNAT") r.nat = /--to-source (\S+)/.exec(spec)?.[1] ?? "?";
  else if (s.target === "MASQUERADE") r.nat = "masquerade";
  else if (s.target === "NETMAP") r.nat = /--to (\S+)/.exec(spec)?.[1] ?? "?";
  else if (s.target === "MARK") r.writesMark = set;
  else if (s.target === "CONNMARK") {
    if (s.connmarkOp?.op === "save") r.writesCtMark = s.connmarkOp.ctmask;
    else if (s.connmarkOp?.op === "restore") r.writesMark = s.connmarkOp.nfmask;
    else r.writesCtMark = set;
  } else if (s.target && !IPT_TARGETS.has(s.target)) r.jump = s.target;
  return r;
}

/** The other iptables variant's built-in chains (with their user chains, for jumps) as hook chains. */
export function iptHookChains(chains: IptChain[], variant: string): HookChain[] {
  return chains.map((c) => ({
    family: variant,
    table: c.table,
    name: c.name,
    rules: c.rules.map((r) => iptRule(r.spec)),
    ...(IPT_HOOKS[`${c.table} ${c.name}`] ? { ...IPT_HOOKS[`${c.table} ${c.name}`], type: c.table === "nat" ? "nat" : "filter" } : {}),
  }));
}

const whereOf = (c: HookChain) =>
  c.family.startsWith("iptables") ? `${c.family} -t ${c.table} -A ${c.name}` : `nft table ${c.family} ${c.table} chain ${c.name}`;

/** A base chain's rules with the chains they jump to inlined (their selectors narrowed by the jump's), three levels deep. */
function flatten(c: HookChain, all: HookChain[], depth = 0, parent?: HookRule): { where: string; rule: HookRule }[] {
  const out: { where: string; rule: HookRule }[] = [];
  for (const r0 of c.rules) {
    const rule: HookRule = parent
      ? {
          ...r0,
          src: r0.src ?? parent.src,
          srcNot: r0.srcNot ?? parent.srcNot,
          iif: r0.iif ?? parent.iif,
          oif: r0.oif ?? parent.oif,
          oifNot: r0.oifNot ?? parent.oifNot,
          opaque: r0.opaque ?? parent.opaque,
        }
      : r0;
    out.push({ where: whereOf(c), rule });
    const sub = rule.jump ? all.find((x) => x.family === c.family && x.table === c.table && x.name === rule.jump && !x.hook) : undefined;
    if (sub && depth < 3) out.push(...flatten(sub, all, depth + 1, rule));
  }
  return out;
}

interface Candidate {
  address: string;
  host: HostConfig | null;
  /** the LAN it arrives on */
  lan: LanConfig;
}

/** The hosts (listed ones, and the address standing for unlisted ones) a rule's selectors match; ALL when every LAN source is. */
function reached(config: GatewayConfig, r: HookRule, nat?: (isp: ReturnType<typeof activeIsps>[number], address: string) => boolean): string[] {
  const lanIfs = lanInterfaces(config);
  if (r.opaque || (r.iif && !r.iif.some((i) => lanIfs.includes(i)))) return [];
  const isps = activeIsps(config);
  const wans = new Set(isps.filter((i) => (!r.oif || r.oif.includes(i.wanInterface)) && !(r.oifNot ?? []).includes(i.wanInterface)).map((i) => i.wanInterface));
  if (wans.size === 0) return [];
  const inSrc = (a: string) =>
    (!r.src || r.src.some((s) => cidrContains(s.includes("/") ? s : `${s}/32`, a))) &&
    !(r.srcNot ?? []).some((s) => cidrContains(s.includes("/") ? s : `${s}/32`, a));
  // the listed hosts, and an address standing for each LAN's unlisted hosts
  const lans = lansOf(config);
  const candidates: Candidate[] = [
    ...config.hosts.map((h) => ({ address: h.address, host: h, lan: lanOfAddress(config, h.address) ?? lans[0] })),
    ...lans.flatMap((lan) => {
      const a = unlistedAddress(config, lan);
      return a ? [{ address: a, host: null, lan }] : [];
    }),
  ];
  const hit = candidates.filter((c) => {
    if (!inSrc(c.address) || (r.iif && !r.iif.includes(c.lan.interface))) return false;
    const via = (resolveHost(config, c.host, c.lan)?.isps ?? []).map((x) => x.isp).filter((i) => wans.has(i.wanInterface));
    // the same address Switchyard would give it: deciding first changes nothing
    return via.length > 0 && (!nat || via.some((i) => nat(i, c.address)));
  });
  const nets = lanNetworks(config);
  const wholeLan = nets.every(
    (net) =>
      (!r.src || r.src.some((s) => s.includes("/") && cidrContains(s, net.split("/")[0]) && Number(s.split("/")[1]) <= Number(net.split("/")[1]))) &&
      !(r.srcNot ?? []).some((s) => cidrsOverlap(s.includes("/") ? s : `${s}/32`, net)),
  );
  return wholeLan && hit.length === candidates.length ? [ALL] : hit.map((c) => c.address);
}

function order(p: number, own: number): "before" | "same" | "after" {
  return p < own ? "before" : p === own ? "same" : "after";
}

function natOverrides(config: GatewayConfig, chains: HookChain[], own: Own): Override[] {
  const out: Override[] = [];
  for (const c of chains) {
    if (c.hook !== "postrouting" || c.type !== "nat" || c.priority === undefined) continue;
    const when = order(c.priority, own.nat);
    if (when === "after") continue; // a connection is NATed once: Switchyard's mapping stands
    for (const { where, rule } of flatten(c, chains)) {
      if (!rule.nat) continue;
      const to = rule.nat;
      const differs = (isp: ReturnType<typeof activeIsps>[number], address: string) =>
        (to === "masquerade" ? isp.linkAddress : to) !== expectedNat(config, isp, address);
      const hosts = reached(config, rule, differs);
      if (hosts.length === 0) continue;
      out.push({
        kind: "nat",
        hosts,
        object: `${where} (hook postrouting priority ${c.priority}): ${rule.text}`,
        effect: `${to === "masquerade" ? "masquerades" : `NATs to ${to}`} LAN traffic${rule.oif ? ` leaving ${rule.oif.join(", ")}` : ""} ${when === "before" ? "before" : "at the same priority as (the kernel runs them in the order they were made)"} Switchyard's ${own.natChain}: the first NAT decides the connection's address`,
      });
    }
  }
  return out;
}

function markOverrides(config: GatewayConfig, chains: HookChain[], own: Own): Override[] {
  const out: Override[] = [];
  for (const c of chains) {
    if (c.priority === undefined || !["prerouting", "forward", "postrouting"].includes(c.hook ?? "")) continue;
    for (const { where, rule } of flatten(c, chains)) {
      const packet = c.hook === "prerouting" && (rule.writesMark & MARK_MASK) !== 0;
      const conn = (rule.writesCtMark & MARK_MASK) !== 0;
      if (!packet && !conn) continue;
      const hosts = reached(config, rule);
      if (hosts.length === 0) continue;
      const at = `(hook ${c.hook} priority ${c.priority})`;
      const bits = hex(MARK_MASK);
      if (conn) {
        out.push({
          kind: "mangle",
          hosts,
          object: `${where} ${at}: ${rule.text}`,
          effect: `rewrites the connection mark bits Switchyard routes by (${bits}); its next packets are routed by that mark`,
        });
        continue;
      }
      const when = order(c.priority, own.mark);
      // iptables: SWYD-PRE restores the connection's bits on LAN ingress first (a new connection's: 0), clearing an earlier write;
      // nftables restores through a map that has no entry for 0, and then leaves a marked packet alone
      const cleared = own.tail === null && when === "before";
      const undone = cleared || (own.tail !== null && c.priority > own.mark && c.priority < own.tail);
      out.push({
        kind: "mangle",
        hosts,
        object: `${where} ${at}: ${rule.text}`,
        ...(undone ? { neutralised: true } : {}),
        effect: cleared
          ? `marks the packet (${bits}) before Switchyard's marking; cleared by ${CHAINS.pre}'s connection-mark restore`
          : undone
            ? `rewrites Switchyard's mark bits (${bits}) after its marking; undone by ${CHAINS.tail} (priority ${own.tail})`
            : when === "before"
              ? `marks the packet (${bits}) before Switchyard's marking (priority ${own.mark}), which leaves a marked packet alone: the host is routed by that mark`
              : when === "same" || c.priority === own.tail
                ? `rewrites Switchyard's mark bits (${bits}) at the same priority as its own chain (the kernel runs them in the order they were made)`
                : `rewrites Switchyard's mark bits (${bits}) after its marking${own.tail === null ? " and its re-assertion" : ` and its re-assertion (priority ${own.tail})`}: the host is routed by another mark`,
      });
    }
  }
  return out;
}

/** Foreign NAT and mark rules in other tables (nftables, the other iptables variant) that decide before Switchyard's. */
export function hookOverrides(config: GatewayConfig, observed: ObservedState): Override[] {
  const chains = [
    ...(observed.foreign.nftChains ?? []),
    ...iptHookChains(observed.foreign.otherIptables?.chains ?? [], observed.foreign.otherIptables?.variant ?? "iptables-legacy"),
  ];
  if (chains.length === 0) return [];
  const own = ownPriorities(observed);
  return [...natOverrides(config, chains, own), ...markOverrides(config, chains, own)];
}
