// plan: desired vs observed -> the changes, on owned objects only. Pure.
// Foreign rules, routes and chains are never in a plan.
import type { GatewayConfig } from "@/lib/model";
import { effectiveIsp } from "./render/state";
import { routeArgs, ruleArgs } from "./render/text";
import type { ObservedState } from "./observe";
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
  lines: PlanLine[];
  empty: boolean;
}

const routeKey = (r: Route) => `${r.table}|${r.dst}|${r.metric ?? 0}`;
const routeText = (r: Route) => routeArgs(r).join(" ");
const ruleText = (r: Rule) =>
  [ruleArgs(r).join(" "), r.not ? "not" : "", r.action ?? "", r.oif ? `oif ${r.oif}` : "", r.extra ? JSON.stringify(r.extra) : ""].filter(Boolean).join(" ");
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
  return { hooksToAdd: desired.filter((h) => !counted.has(hookKey(h))), hooksToDelete };
}

/** Marks the kernel gives each host now, read back from our mark chain. */
export function observedHostMarks(observed: KernelState): { explicit: Map<string, number>; fallback: number | null } {
  const chain = observed.chains.find((c) => c.table === "mangle" && c.name === "SWYD-MARK");
  const explicit = new Map<string, number>();
  let fallback: number | null = null;
  for (const r of chain?.rules ?? []) {
    const m = /^(?:-s (\S+)\/32 |-m mark --mark 0x0\/0x[0-9a-f]+ )?-j MARK --set-xmark (0x[0-9a-f]+)\//.exec(r.spec);
    if (!m) continue;
    if (m[1]) explicit.set(m[1], Number(m[2]));
    else fallback = Number(m[2]);
  }
  return { explicit, fallback };
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
  const p = {
    ...planRoutes(desired.routes, observed.routes),
    ...planRules(desired.rules, observed.rules),
    ...planChains(desired.chains, observed.chains),
    ...planHooks(desired.hooks, observed.hooks),
    movedHosts: config ? movedHosts(config, observed) : [],
  };
  const lines: PlanLine[] = [
    ...p.routesToReplace.map((r): PlanLine => ({ op: "+", kind: "route", text: `ip route replace ${routeText(r)}` })),
    ...p.rulesToAdd.map((r): PlanLine => ({ op: "+", kind: "rule", text: `ip rule add ${ruleText(r)}` })),
    ...p.chainsToReplace.flatMap((c) => chainLines(c, observed.chains.find((o) => o.table === c.table && o.name === c.name))),
    ...p.hooksToAdd.map((h): PlanLine => ({ op: "+", kind: "hook", text: `iptables -t ${h.table} -I ${h.chain} 1 ${h.spec}` })),
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
