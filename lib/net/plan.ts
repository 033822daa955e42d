// plan: desired vs observed -> the changes, on owned objects only. Pure.
// Foreign rules, routes and chains are never in a plan.
import type { GatewayConfig } from "@/lib/model";
import { activeIspsOf, allowedMarks } from "./render/targets";
import { inSubnet, ipToInt, isIpv4, parseCidr } from "./ipv4";
import { allLanSubnets, lanOfAddress } from "./lans";
import type { Flow } from "./parse/conntrack";
import { routeArgs, ruleArgs } from "./render/text";
import type { ObservedState } from "./observe";
import { MARK_MASK, NFT_TABLE, type IptChain, type IptHook, type KernelState, type NftElement, type NftSet, type Route, type Rule } from "./types";
import { baseText, elementText, type NftChange, type NftSetChange } from "./render/nft-text";
import type { TakeoverPlan } from "@/lib/adopt/takeover";

/** A LAN source whose open connections carry a stale mark (another ISP than it has now). */
export interface MovedHost {
  address: string;
  /** null: an address not listed as a host (it uses the default ISP) */
  name: string | null;
  fromMarks: number[];
  /** the marks it may carry now (several for a balanced policy; 0xff: unreachable; empty: no usable ISP) */
  toMarks: number[];
  flows: number;
}

export interface PlanLine {
  /** "=": said, not done (an old object a take over keeps on purpose) */
  op: "+" | "-" | "~" | "=";
  kind: "route" | "rule" | "chain" | "hook" | "set" | "conntrack" | "takeover" | "sysctl";
  text: string;
}

export interface Plan {
  routesToReplace: Route[];
  routesToDelete: Route[];
  rulesToAdd: Rule[];
  rulesToDelete: Rule[];
  /** iptables and nftables chains (table "nft") */
  chainsToReplace: IptChain[];
  chainsToDelete: IptChain[];
  /** nftables: Switchyard's table, its sets and maps */
  nft: Pick<NftChange, "ensureTable" | "deleteTable" | "setChanges" | "setsToDelete">;
  hooksToAdd: IptHook[];
  hooksToDelete: IptHook[];
  movedHosts: MovedHost[];
  /** interfaces of desired routes that are down (not UP, or no carrier); routes through a device that is not UP are left out */
  downLinks: string[];
  lines: PlanLine[];
  /** no line at all: nothing to add, change or remove, and no connection to clear */
  empty: boolean;
  /** an adopted configuration's take over: the old objects it replaces (lib/adopt/takeover.ts) */
  takeover?: TakeoverPlan;
  /** sysctls Switchyard owns (OWNED_SYSCTLS in apply.ts) that differ on the gateway: set by the apply, put back by a rollback */
  sysctls?: SysctlChange[];
}

export interface SysctlChange {
  key: string;
  from: string;
  to: string;
  why: string;
}

const routeKey = (r: Route) => `${r.table}|${r.dst}|${r.metric ?? 0}`;
const routeText = (r: Route) => routeArgs(r).join(" ");
const ruleText = (r: Rule) => [ruleArgs(r).join(" "), r.not ? "not" : "", r.extra ? JSON.stringify(r.extra) : ""].filter(Boolean).join(" ");
const hookKey = (h: IptHook) => `${h.table}|${h.chain}|${h.spec}`;

/** A route as the kernel will show it: `ip` prints no scope for global routes and no metric 0. */
function normalRoute(r: Route): string {
  return routeText({ ...r, scope: r.scope === "global" ? undefined : r.scope, metric: r.metric || undefined });
}

function planRoutes(desired: Route[], observed: Route[]) {
  const seen = new Map(observed.map((r) => [routeKey(r), r]));
  const wanted = new Set(desired.map(routeKey));
  const routesToReplace = desired.filter((r) => {
    const o = seen.get(routeKey(r));
    return !o || normalRoute(o) !== normalRoute(r);
  });
  const routesToDelete = observed.filter((r) => !wanted.has(routeKey(r)));
  return { routesToReplace, routesToDelete };
}

function planRules(desired: Rule[], observed: Rule[]) {
  const seen = new Set(observed.map(ruleText));
  const wanted = new Set(desired.map(ruleText));
  return {
    rulesToAdd: desired.filter((r) => !seen.has(ruleText(r))),
    rulesToDelete: observed.filter((r) => !wanted.has(ruleText(r))),
  };
}

/** Two chains with the same rules in the same order (counters aside), and the same hook (nftables base chains). */
export const sameRules = (a: IptChain | undefined, b: IptChain | undefined): boolean =>
  Boolean(a && b && a.rules.length === b.rules.length && a.rules.every((r, i) => r.spec === b.rules[i].spec) && (a.base ? baseText(a.base) : "") === (b.base ? baseText(b.base) : ""));

const setKind = (s: NftSet) => `${s.type}|${s.map ?? ""}|${s.counter ? "counter" : ""}`;

/** nftables: the table, then each set element by element. A set whose type changed is deleted and created anew. */
function planNft(desired: KernelState, observed: ObservedState | KernelState): Plan["nft"] {
  const wants = desired.chains.some((c) => c.table === "nft") || (desired as ObservedState).nftTable === true;
  const has = (observed as ObservedState).nftTable ?? observed.chains.some((c) => c.table === "nft");
  if (!wants) return { ensureTable: false, deleteTable: has, setChanges: [], setsToDelete: [] };
  const seen = new Map((observed.sets ?? []).map((s) => [s.name, s]));
  const wanted = new Set((desired.sets ?? []).map((s) => s.name));
  const setsToDelete = (observed.sets ?? []).filter((s) => !wanted.has(s.name) || setKind(s) !== setKind((desired.sets ?? []).find((d) => d.name === s.name)!));
  const setChanges: NftSetChange[] = [];
  for (const set of desired.sets ?? []) {
    const o = seen.get(set.name);
    const create = !o || setsToDelete.includes(o);
    const before = new Map(create ? [] : o!.elements.map((e) => [e.key, e]));
    const now = new Map(set.elements.map((e) => [e.key, e]));
    const add = set.elements.filter((e) => before.get(e.key)?.value !== e.value || !before.has(e.key));
    const remove = [...before.values()].filter((e) => !now.has(e.key) || now.get(e.key)!.value !== e.value);
    if (create || add.length || remove.length) setChanges.push({ set, create, add, remove });
  }
  return { ensureTable: !has, deleteTable: false, setChanges, setsToDelete };
}

function planChains(desired: IptChain[], observed: IptChain[]) {
  const byName = new Map(observed.map((c) => [`${c.table}|${c.name}`, c]));
  const same = sameRules;
  const wanted = new Set(desired.map((c) => `${c.table}|${c.name}`));
  return {
    chainsToReplace: desired.filter((c) => {
      const o = byName.get(`${c.table}|${c.name}`);
      return !o || !same(c, o);
    }),
    chainsToDelete: observed.filter((c) => !wanted.has(`${c.table}|${c.name}`)),
  };
}

function planHooks(desired: IptHook[], observed: IptHook[]) {
  const wanted = new Set(desired.map(hookKey));
  const counted = new Map<string, number>();
  const hooksToDelete: IptHook[] = [];
  for (const h of observed) {
    const n = (counted.get(hookKey(h)) ?? 0) + 1;
    counted.set(hookKey(h), n);
    // a hook we no longer want, or a second copy of one we do (someone re-ran a script)
    if (!wanted.has(hookKey(h)) || n > 1) hooksToDelete.push(h);
  }
  const hooksToAdd = desired.filter((h) => !counted.has(hookKey(h)));
  // The mark re-assertion only works last: a rule appended after it is moved behind (appended anew, the old one deleted).
  for (const h of desired.filter((d) => d.last)) {
    const o = observed.find((x) => hookKey(x) === hookKey(h));
    if (o && o.last === false && !hooksToDelete.includes(o)) {
      hooksToAdd.push(h);
      hooksToDelete.push(o);
    }
  }
  return { hooksToAdd, hooksToDelete };
}

/** Desired routes the kernel cannot take now: their device is not UP (it would say "Device for nexthop is not up"). */
function installable(desired: Route[], observed: ObservedState | KernelState) {
  if (!observed.links) return { routes: desired, downLinks: [] };
  const links = new Map(observed.links.map((l) => [l.name, l]));
  const devs = [...new Set(desired.map((r) => r.dev))];
  const downLinks = devs.filter((d) => links.has(d) && !links.get(d)!.carrier);
  return { routes: desired.filter((r) => links.get(r.dev)?.up !== false), downLinks };
}

/** The marks a LAN address's connections may carry under this config: its host's target (or the default's) resolved with the health in it. */
export function expectedMarks(config: GatewayConfig, address: string): number[] {
  const host = config.hosts.find((h) => h.address === address) ?? null;
  return allowedMarks(config, host, host ? null : lanOfAddress(config, address)).map((m) => m & MARK_MASK);
}

export interface StaleOptions {
  /**
   * Failback "keep": a flow on an ISP that is up stays where it is (only flows on a down or
   * disabled ISP, or with no ISP's mark, are cleared). The monitor's applies pass it when
   * the user chose to leave established connections alone when an ISP comes back.
   */
  keepOnUpIsps?: boolean;
}

/**
 * LAN sources whose connections carry another mark than the one they get now:
 * hosts that moved (their flows keep the old ISP and NAT address until cleared),
 * and unlisted addresses when the default ISP changed or an ISP was disabled.
 * Read from the flows, not from the kernel's mark chain: after an interrupted
 * apply the chain is already new while the flows are not. The gateway's own LAN
 * addresses are skipped (its own traffic is never marked).
 */
export function staleFlows(config: GatewayConfig, flows: Flow[], opts: StaleOptions = {}): MovedHost[] {
  // a capped ISP (over its monthly cap, last resort) keeps no flows: its connections move too
  const down = new Set([...(config.health?.down ?? []), ...(config.health?.capped ?? [])]);
  const upMarks = new Set(opts.keepOnUpIsps ? activeIspsOf(config).filter((i) => !down.has(i.name)).map((i) => i.mark & MARK_MASK) : []);
  const wanted = new Map<string, number[]>();
  const lans = allLanSubnets(config).map((s) => parseCidr(s)!);
  const own = new Set(lans.map((c) => c.address));
  const inLan = (a: string) => lans.some((c) => inSubnet(a, c.address, c.prefix));
  const bySource = new Map<string, MovedHost>();
  for (const f of flows) {
    if (!isIpv4(f.src) || own.has(f.src) || !inLan(f.src)) continue;
    let want = wanted.get(f.src);
    if (!want) wanted.set(f.src, (want = expectedMarks(config, f.src)));
    const mark = f.mark & MARK_MASK;
    if (want.includes(mark) || upMarks.has(mark)) continue;
    const h = bySource.get(f.src) ?? { address: f.src, name: config.hosts.find((x) => x.address === f.src)?.name ?? null, fromMarks: [], toMarks: want, flows: 0 };
    if (!h.fromMarks.includes(mark)) h.fromMarks.push(mark);
    h.flows++;
    bySource.set(f.src, h);
  }
  return [...bySource.values()].map((h) => ({ ...h, fromMarks: h.fromMarks.sort((a, b) => a - b) })).sort((a, b) => ipToInt(a.address) - ipToInt(b.address));
}

/** Plan lines for the flows that are (or would be) cleared. */
export function conntrackLines(moved: MovedHost[]): PlanLine[] {
  return moved.map((h) => ({
    op: "~", kind: "conntrack",
    text: `conntrack -D -s ${h.address} (${h.name ?? "not a listed host"}: ${h.flows} open connection${h.flows === 1 ? "" : "s"} with mark ${h.fromMarks.map((m) => `0x${m.toString(16)}`).join(", ")}, now ${h.toMarks.length ? h.toMarks.map((m) => `0x${m.toString(16)}`).join(" or ") : "none"}: cleared so they reconnect through the new ISP)`,
  }));
}

/** flows: the conntrack listing, when the caller has one (a preview); the apply lists its own after the swap. */
export function planChanges(desired: KernelState, observed: ObservedState | KernelState, config?: GatewayConfig, flows?: Flow[], stale: StaleOptions = {}): Plan {
  const { routes, downLinks } = installable(desired.routes, observed);
  const p0 = {
    ...planRoutes(routes, observed.routes),
    ...planRules(desired.rules, observed.rules),
    ...planChains(desired.chains, observed.chains),
    nft: planNft(desired, observed),
    ...planHooks(desired.hooks, observed.hooks),
    movedHosts: config && flows ? staleFlows(config, flows, stale) : [],
    downLinks,
  };
  // deleting the table takes its chains with it
  const p = p0.nft.deleteTable ? { ...p0, chainsToDelete: p0.chainsToDelete.filter((c) => c.table !== "nft") } : p0;
  const lines: PlanLine[] = [
    ...p.routesToReplace.map((r): PlanLine => ({ op: "+", kind: "route", text: `ip route replace ${routeText(r)}` })),
    ...p.rulesToAdd.map((r): PlanLine => ({ op: "+", kind: "rule", text: `ip rule add ${ruleText(r)}` })),
    ...(p.nft.ensureTable ? [{ op: "+", kind: "chain", text: `nft add table ${NFT_TABLE}` } as PlanLine] : []),
    ...p.nft.setChanges.flatMap(setLines),
    ...p.chainsToReplace.flatMap((c) => chainLines(c, observed.chains.find((o) => o.table === c.table && o.name === c.name))),
    ...p.hooksToAdd.map((h): PlanLine => ({ op: "+", kind: "hook", text: `iptables -t ${h.table} ${h.last ? "-A" : "-I"} ${h.chain}${h.last ? "" : " 1"} ${h.spec}` })),
    ...p.hooksToDelete.map((h): PlanLine => ({ op: "-", kind: "hook", text: `iptables -t ${h.table} -D ${h.chain} ${h.spec}` })),
    ...p.chainsToDelete.map((c): PlanLine => ({ op: "-", kind: "chain", text: c.table === "nft" ? `nft delete chain ${NFT_TABLE} ${c.name} (${c.rules.length} rules)` : `iptables -t ${c.table} -X ${c.name} (${c.rules.length} rules)` })),
    ...p.nft.setsToDelete.map((s): PlanLine => ({ op: "-", kind: "set", text: `nft delete ${s.map ? "map" : "set"} ${NFT_TABLE} ${s.name} (${s.elements.length} elements)` })),
    ...(p.nft.deleteTable ? [{ op: "-", kind: "chain", text: `nft delete table ${NFT_TABLE} (${observed.chains.filter((c) => c.table === "nft").length} chains, ${(observed.sets ?? []).length} sets)` } as PlanLine] : []),
    ...p.rulesToDelete.map((r): PlanLine => ({ op: "-", kind: "rule", text: `ip rule del ${ruleText(r)}` })),
    ...p.routesToDelete.map((r): PlanLine => ({ op: "-", kind: "route", text: `ip route del ${routeText(r)}` })),
    ...conntrackLines(p.movedHosts),
  ];
  // "empty" only with nothing listed: a preview's flows to clear are a change too (the apply's own
  // plan has no flows; its conntrack step always looks, whatever this says)
  const empty = lines.length === 0;
  return { ...p, lines, empty };
}

function setLines(s: NftSetChange): PlanLine[] {
  const kind = s.set.map ? "map" : "set";
  const head: PlanLine[] = s.create ? [{ op: "+", kind: "set", text: `nft add ${kind} ${NFT_TABLE} ${s.set.name} (${s.set.elements.length} elements)` }] : [];
  const el = (op: "+" | "-", e: NftElement): PlanLine => ({ op, kind: "set", text: `${s.set.name}: ${elementText(e)}` });
  return [...head, ...s.remove.map((e) => el("-", e)), ...s.add.map((e) => el("+", e))];
}

function chainLines(c: IptChain, before: IptChain | undefined): PlanLine[] {
  if (c.table === "nft") return nftChainLines(c, before);
  if (!before) return [{ op: "+", kind: "chain", text: `iptables -t ${c.table} -N ${c.name} (${c.rules.length} rules)` }, ...c.rules.map((r): PlanLine => ({ op: "+", kind: "chain", text: `-t ${c.table} -A ${c.name} ${r.spec}` }))];
  const old = new Set(before.rules.map((r) => r.spec));
  const now = new Set(c.rules.map((r) => r.spec));
  const out: PlanLine[] = [{ op: "~", kind: "chain", text: `iptables -t ${c.table} ${c.name}: replaced as one transaction` }];
  for (const r of before.rules) if (!now.has(r.spec)) out.push({ op: "-", kind: "chain", text: `-t ${c.table} -A ${c.name} ${r.spec}` });
  for (const r of c.rules) if (!old.has(r.spec)) out.push({ op: "+", kind: "chain", text: `-t ${c.table} -A ${c.name} ${r.spec}` });
  return out;
}

function nftChainLines(c: IptChain, before: IptChain | undefined): PlanLine[] {
  const at = `${NFT_TABLE} ${c.name}`;
  const add = (spec: string): PlanLine => ({ op: "+", kind: "chain", text: `${c.name}: ${spec}` });
  if (!before) return [{ op: "+", kind: "chain", text: `nft add chain ${at}${c.base ? ` { ${baseText(c.base)} }` : ""} (${c.rules.length} rules)` }, ...c.rules.map((r) => add(r.spec))];
  const old = new Set(before.rules.map((r) => r.spec));
  const now = new Set(c.rules.map((r) => r.spec));
  return [
    { op: "~", kind: "chain", text: `nft flush chain ${at}: refilled in the same transaction` },
    ...before.rules.filter((r) => !now.has(r.spec)).map((r): PlanLine => ({ op: "-", kind: "chain", text: `${c.name}: ${r.spec}` })),
    ...c.rules.filter((r) => !old.has(r.spec)).map((r) => add(r.spec)),
  ];
}
