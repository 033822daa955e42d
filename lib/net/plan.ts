// plan: desired vs observed -> the changes, on owned objects only. Pure.
// Foreign rules, routes and chains are never in a plan.
import type { GatewayConfig } from "@/lib/model";
import { effectiveIsp } from "./render/state";
import { routeArgs, ruleArgs } from "./render/text";
import type { ObservedState } from "./observe";
import { parseHostMarks } from "./parse/ipt-spec";
import { MARK_MASK, type IptChain, type IptHook, type KernelState, type Route, type Rule } from "./types";

export interface MovedHost {
  address: string;
  name: string;
  fromMark: number | null;
  toMark: number;
}

export interface PlanLine {
  op: "+" | "-" | "~";
  kind: "route" | "rule" | "chain" | "hook" | "conntrack";
  text: string;
}

export interface Plan {
  routesToReplace: Route[];
  routesToDelete: Route[];
  rulesToAdd: Rule[];
  rulesToDelete: Rule[];
  chainsToReplace: IptChain[];
  chainsToDelete: IptChain[];
  hooksToAdd: IptHook[];
  hooksToDelete: IptHook[];
  movedHosts: MovedHost[];
  /** interfaces of desired routes that are down (not UP, or no carrier); routes through a device that is not UP are left out */
  downLinks: string[];
  lines: PlanLine[];
  empty: boolean;
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

function planChains(desired: IptChain[], observed: IptChain[]) {
  const byName = new Map(observed.map((c) => [`${c.table}|${c.name}`, c]));
  const same = (a: IptChain, b: IptChain) => a.rules.length === b.rules.length && a.rules.every((r, i) => r.spec === b.rules[i].spec);
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

/** Marks the kernel gives each host now, read back from our mark chain. */
export function observedHostMarks(observed: KernelState): { explicit: Map<string, number>; fallback: number | null } {
  const chain = observed.chains.find((c) => c.table === "mangle" && c.name === "SWYD-MARK");
  return parseHostMarks((chain?.rules ?? []).map((r) => r.spec));
}

/** Hosts whose flows must be cleared because their ISP changes: their conntrack entries carry the old mark. */
export function movedHosts(config: GatewayConfig, observed: KernelState): MovedHost[] {
  const { explicit, fallback } = observedHostMarks(observed);
  if (explicit.size === 0 && fallback === null) return [];
  const moved: MovedHost[] = [];
  for (const h of config.hosts) {
    const isp = effectiveIsp(config, h.isp);
    if (!isp) continue;
    const from = explicit.get(h.address) ?? fallback;
    if (from !== isp.mark) moved.push({ address: h.address, name: h.name, fromMark: from, toMark: isp.mark & MARK_MASK });
  }
  return moved;
}

export function planChanges(desired: KernelState, observed: ObservedState | KernelState, config?: GatewayConfig): Plan {
  const { routes, downLinks } = installable(desired.routes, observed);
  const p = {
    ...planRoutes(routes, observed.routes),
    ...planRules(desired.rules, observed.rules),
    ...planChains(desired.chains, observed.chains),
    ...planHooks(desired.hooks, observed.hooks),
    movedHosts: config ? movedHosts(config, observed) : [],
    downLinks,
  };
  const lines: PlanLine[] = [
    ...p.routesToReplace.map((r): PlanLine => ({ op: "+", kind: "route", text: `ip route replace ${routeText(r)}` })),
    ...p.rulesToAdd.map((r): PlanLine => ({ op: "+", kind: "rule", text: `ip rule add ${ruleText(r)}` })),
    ...p.chainsToReplace.flatMap((c) => chainLines(c, observed.chains.find((o) => o.table === c.table && o.name === c.name))),
    ...p.hooksToAdd.map((h): PlanLine => ({ op: "+", kind: "hook", text: `iptables -t ${h.table} ${h.last ? "-A" : "-I"} ${h.chain}${h.last ? "" : " 1"} ${h.spec}` })),
    ...p.hooksToDelete.map((h): PlanLine => ({ op: "-", kind: "hook", text: `iptables -t ${h.table} -D ${h.chain} ${h.spec}` })),
    ...p.chainsToDelete.map((c): PlanLine => ({ op: "-", kind: "chain", text: `iptables -t ${c.table} -X ${c.name} (${c.rules.length} rules)` })),
    ...p.rulesToDelete.map((r): PlanLine => ({ op: "-", kind: "rule", text: `ip rule del ${ruleText(r)}` })),
    ...p.routesToDelete.map((r): PlanLine => ({ op: "-", kind: "route", text: `ip route del ${routeText(r)}` })),
    ...p.movedHosts.map((h): PlanLine => ({ op: "~", kind: "conntrack", text: `conntrack -D -s ${h.address} (${h.name} moves to mark 0x${h.toMark.toString(16)}: its open connections are cleared so they reconnect through the new ISP)` })),
  ];
  const empty = lines.filter((l) => l.kind !== "conntrack").length === 0;
  return { ...p, lines, empty };
}

function chainLines(c: IptChain, before: IptChain | undefined): PlanLine[] {
  if (!before) return [{ op: "+", kind: "chain", text: `iptables -t ${c.table} -N ${c.name} (${c.rules.length} rules)` }, ...c.rules.map((r): PlanLine => ({ op: "+", kind: "chain", text: `-t ${c.table} -A ${c.name} ${r.spec}` }))];
  const old = new Set(before.rules.map((r) => r.spec));
  const now = new Set(c.rules.map((r) => r.spec));
  const out: PlanLine[] = [{ op: "~", kind: "chain", text: `iptables -t ${c.table} ${c.name}: replaced as one transaction` }];
  for (const r of before.rules) if (!now.has(r.spec)) out.push({ op: "-", kind: "chain", text: `-t ${c.table} -A ${c.name} ${r.spec}` });
  for (const r of c.rules) if (!old.has(r.spec)) out.push({ op: "+", kind: "chain", text: `-t ${c.table} -A ${c.name} ${r.spec}` });
  return out;
}
