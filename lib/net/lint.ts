// lint: foreign objects that override Switchyard, with the hosts each one affects. Pure.
// Switchyard never touches them (they are not its own); it names them instead, so that
// plan, verify, status and the Live page can say why a host does not leave as configured.
//   - an ip rule before Switchyard's own that matches LAN sources (it decides first); an ip -6
//     rule likewise for the LAN /64s;
//   - a mangle PREROUTING rule after Switchyard's jump that writes its mark bits (a packet
//     mark write before the mark re-assertion at the end of PREROUTING is undone there and
//     only reported as neutralised; a connection-mark write is never undone);
//   - a nat POSTROUTING rule before Switchyard's chain that NATs (or accepts) LAN traffic;
//   - in the other tables (any nftables table, the other iptables variant), a NAT or mark
//     rule that runs before Switchyard's by hook priority (lib/net/firewall/lint-hooks.ts).
import type { GatewayConfig } from "@/lib/model";
import { cidrContains, networkOf, parseCidr } from "./ipv4";
import { parsePrefix, prefixContains } from "./address";
import { hasIpv6, lanSubnets6 } from "./render/ipv6";
import { allLanSubnets, lanInterfaces } from "./lans";
import { overrideAffects } from "./override-match";
import { hookOverrides } from "./firewall/lint-hooks";
import { CHAINS, ownBaseChain } from "./firewall";
import type { ObservedState } from "./observe";
import { parseIptSpec, type IptSpec } from "./parse/ipt-spec";
import { PRIO } from "./routing/render";
import { activeIspsOf as activeIsps, primaryIsp } from "./render/targets";
import { ruleArgs } from "./routing/text";
import { MARK_MASK, type IptChain, type IptRule } from "./types";

export interface Override {
  kind: "rule" | "mangle" | "nat";
  /** the foreign object as the admin would find it: "ip rule 5000: from 192.168.1.101 lookup 200" */
  object: string;
  /** what it does to Switchyard's traffic */
  effect: string;
  /** addresses of the listed hosts it affects, and whole LAN subnets ("10.30.0.0/24": their unlisted hosts too); "*" when it matches every LAN source */
  hosts: string[];
  /** undone by Switchyard (a packet-mark write before the re-assertion): reported, not a failure */
  neutralised?: boolean;
}

const ALL = "*";

/**
 * A source selector covering every LAN subnet matches every LAN source ("*"); one covering
 * some LAN subnets, those subnets (as prefixes: their unlisted hosts too) and the listed hosts
 * inside; a narrower one, the listed hosts inside it.
 */
function hostsMatching(config: GatewayConfig, src: string | undefined): string[] {
  if (!src) return [ALL];
  const [net, len = "32"] = src.split("/");
  const subnets = allLanSubnets(config)
    .map((s) => parseCidr(s)!)
    .filter((c) => Number(len) <= c.prefix && cidrContains(`${net}/${len}`, networkOf(c.address, c.prefix)));
  if (subnets.length === allLanSubnets(config).length) return [ALL];
  return [
    ...subnets.map((c) => `${networkOf(c.address, c.prefix)}/${c.prefix}`),
    ...config.hosts.filter((h) => cidrContains(`${net}/${len}`, h.address)).map((h) => h.address),
  ];
}

function ruleOverrides(config: GatewayConfig, observed: ObservedState): Override[] {
  const ownFirst = Math.min(PRIO.lanDestinations, ...observed.rules.map((r) => r.priority));
  const lans = new Set(lanInterfaces(config));
  const out: Override[] = [];
  for (const r of observed.foreign.rules) {
    if (r.priority >= ownFirst || r.table === 255 || r.not || r.suppressPrefixLength !== undefined) continue;
    if (r.fwmark !== undefined || r.dst || r.extra || (r.iif && !lans.has(r.iif)) || r.oif) continue;
    const hosts = hostsMatching(config, r.src);
    if (hosts.length === 0) continue;
    const what = r.action ? r.action : `table ${r.table}`;
    out.push({ kind: "rule", object: `ip rule ${ruleArgs(r).join(" ")}`, effect: `decides before Switchyard's rules (${what})`, hosts });
  }
  return out;
}

/**
 * IPv6: a foreign `ip -6` rule before Switchyard's own that matches sources in the LAN /64s
 * (OpenWrt-style source-specific rules, a VPN's catch-all). Hosts are known by MAC, not by
 * their IPv6 addresses, so it names the /64s it takes (an IPv4 address is never in them), or the
 * narrower range it matches inside one.
 */
function ruleOverrides6(config: GatewayConfig, observed: ObservedState): Override[] {
  const foreign = observed.foreign.v6?.rules ?? [];
  if (foreign.length === 0 || !hasIpv6(config)) return [];
  const ownFirst = Math.min(PRIO.lanDestinations, ...observed.rules.filter((r) => r.family === 6).map((r) => r.priority));
  const lans = new Set(lanInterfaces(config));
  const subnets = lanSubnets6(config).map((s) => s.network);
  const out: Override[] = [];
  for (const r of foreign) {
    if (r.priority >= ownFirst || r.table === 255 || r.not || r.suppressPrefixLength !== undefined) continue;
    if (r.fwmark !== undefined || r.dst || r.extra || (r.iif && !lans.has(r.iif)) || r.oif) continue;
    const src = r.src && parsePrefix(r.src.includes("/") ? r.src : `${r.src}/128`);
    const whole = subnets.filter((n) => !src || (src.prefix <= parsePrefix(n)!.prefix && prefixContains(src.network, n.split("/")[0])));
    const inside = src && whole.length === 0 && subnets.some((n) => prefixContains(n, src.address)) ? [src.network] : [];
    const hosts = [...whole, ...inside];
    if (hosts.length === 0) continue;
    const what = r.action ? r.action : `table ${r.table}`;
    out.push({ kind: "rule", object: `ip -6 rule ${ruleArgs(r).join(" ")}`, effect: `decides IPv6 before Switchyard's rules (${what})`, hosts });
  }
  return out;
}

/** Rules of a built-in chain, with one level of foreign chains they jump to inlined (as "CHAIN: spec"). */
function flatten(chain: IptChain | undefined, foreign: IptChain[]): { at: number; where: string; rule: IptRule; spec: IptSpec }[] {
  const out: { at: number; where: string; rule: IptRule; spec: IptSpec }[] = [];
  (chain?.rules ?? []).forEach((rule, at) => {
    const spec = parseIptSpec(rule.spec);
    out.push({ at, where: chain!.name, rule, spec });
    const sub = foreign.find((c) => c.table === chain!.table && c.name === spec.target && c.family === chain!.family);
    for (const r of sub?.rules ?? [])
      out.push({
        at,
        where: sub!.name,
        rule: r,
        spec: { ...parseIptSpec(r.spec), src: parseIptSpec(r.spec).src ?? spec.src, in: parseIptSpec(r.spec).in ?? spec.in },
      });
  });
  return out;
}

function mangleOverrides(config: GatewayConfig, observed: ObservedState): Override[] {
  const pre = observed.builtins.find((c) => c.table === "mangle" && c.name === "PREROUTING");
  if (!pre) return [];
  // nftables: Switchyard's prerouting chain runs beside iptables' mangle (same priority, no
  // order between them), its mark re-assertion after both (priority -140)
  const nft = Boolean(ownBaseChain(observed, CHAINS.pre));
  const jump = nft ? -1 : pre.rules.findIndex((r) => r.spec === `-j ${CHAINS.pre}`);
  const tail = nft ? Infinity : pre.rules.map((r) => r.spec).lastIndexOf(`-j ${CHAINS.tail}`);
  if (jump < 0 && !nft) return [];
  const lans = new Set(lanInterfaces(config));
  const out: Override[] = [];
  for (const { at, where, rule, spec } of flatten(pre, observed.foreign.chains)) {
    if (at <= jump || (spec.in && !lans.has(spec.in))) continue;
    const writesPacket = spec.target === "MARK" && spec.setMark && (spec.setMark.mask & MARK_MASK) !== 0;
    const writesConn =
      spec.target === "CONNMARK" &&
      ((spec.setMark && (spec.setMark.mask & MARK_MASK) !== 0) || (spec.connmarkOp?.op === "save" && (spec.connmarkOp.ctmask & MARK_MASK) !== 0));
    const restores = spec.target === "CONNMARK" && spec.connmarkOp?.op === "restore" && (spec.connmarkOp.nfmask & MARK_MASK) !== 0;
    if (!writesPacket && !writesConn && !restores) continue;
    const hosts = hostsMatching(config, spec.src);
    if (hosts.length === 0) continue;
    const neutralised = Boolean(writesPacket && tail > at);
    out.push({
      kind: "mangle",
      object: `iptables -t mangle -A ${where} ${rule.spec}`,
      hosts,
      neutralised,
      effect: neutralised
        ? `rewrites Switchyard's mark bits (0x${MARK_MASK.toString(16)}) after its marking; undone by ${CHAINS.tail} at the end of PREROUTING`
        : writesConn
          ? `rewrites the connection mark bits Switchyard routes by (0x${MARK_MASK.toString(16)})`
          : `rewrites Switchyard's mark bits (0x${MARK_MASK.toString(16)}) after its marking, so the host is routed by another mark`,
    });
  }
  return out;
}

function natOverrides(config: GatewayConfig, observed: ObservedState): Override[] {
  const post = observed.builtins.find((c) => c.table === "nat" && c.name === "POSTROUTING");
  // nftables: Switchyard's NAT chain runs before iptables' (srcnat - 5) and a connection is NATed once
  if (!post || ownBaseChain(observed, CHAINS.post)) return [];
  const jump = post.rules.findIndex((r) => r.spec === `-j ${CHAINS.post}`);
  const wans = new Map(activeIsps(config).map((i) => [i.wanInterface, i.name]));
  const out: Override[] = [];
  for (const { at, where, rule, spec } of flatten(post, observed.foreign.chains)) {
    if (jump >= 0 && at >= jump) continue;
    if (!["SNAT", "MASQUERADE", "ACCEPT", "RETURN", "NETMAP"].includes(spec.target ?? "")) continue;
    if (spec.dst || spec.negated.length || (spec.out && !wans.has(spec.out))) continue;
    let hosts = hostsMatching(config, spec.src);
    if (spec.out && hosts[0] === ALL) hosts = config.hosts.filter((h) => primaryIsp(config, h)?.wanInterface === spec.out).map((h) => h.address);
    if (hosts.length === 0) continue;
    out.push({
      kind: "nat",
      object: `iptables -t nat -A ${where} ${rule.spec}`,
      hosts,
      effect: `decides the NAT of LAN traffic${spec.out ? ` leaving ${spec.out}` : ""} before Switchyard's ${CHAINS.post}`,
    });
  }
  return out;
}

export function lintOverrides(config: GatewayConfig, observed: ObservedState): Override[] {
  return [
    ...ruleOverrides(config, observed),
    ...ruleOverrides6(config, observed),
    ...mangleOverrides(config, observed),
    ...natOverrides(config, observed),
    ...hookOverrides(config, observed),
  ];
}

/** The overrides that change where this host's traffic goes (neutralised ones do not). */
export function overridesOf(overrides: Override[], address: string): Override[] {
  return overrides.filter((o) => !o.neutralised && overrideAffects(o.hosts, address));
}
