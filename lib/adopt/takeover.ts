// Take over: the old objects an adopted configuration was built from, replaced by
// Switchyard's own. Pure planning here; lib/net/apply.ts runs it as its "takeover" step,
// after the new state is in (routes, rules, chains and hooks) and before verify, so
// traffic never goes without a path. A route with the same table, destination and metric
// as one of Switchyard's is already replaced in place by the routing step's
// `ip route replace`; everything else is deleted one by one. An old object that is gone
// already, or that nothing in the desired state replaces (its ISP or host was removed from
// the proposal), is left alone and named. An object staged with a keep reason (a NAT rule
// without a source match, which covers more than the LAN) is left in place on purpose: the
// plan says so in a "= kept: ..." line, which is no change.
import type { ExtensionPlan, Plan } from "@/lib/net/plan";
import type { ApplyExtension } from "@/lib/net/apply";
import { ipBatch } from "@/lib/net/apply/ip-batch";
import type { ObservedState } from "@/lib/net/observe";
import { routeArgs, ruleArgs } from "@/lib/net/routing/text";
import { CHAINS, chainSpecs, firewallOfState, foreignChainDelete, loadForeignChains } from "@/lib/net/firewall";
import type { KernelState, Route, Rule } from "@/lib/net/types";
import { iptText, routeText, ruleText } from "./objects";
import type { IptRuleRef, Takeover, TakeoverItem } from "./types";

export interface TakeoverPlan extends ExtensionPlan {
  rules: Rule[];
  routes: Route[];
  iptables: IptRuleRef[];
  /** replaced by the routing step's `ip route replace` (same table, destination and metric) */
  inPlace: Route[];
}

const routeKey = (r: Route) => `${r.table}|${r.dst}|${r.metric ?? 0}`;

/** Switchyard's object that takes the old one's place, as text; null when there is none. The backend writes its own objects. */
function replacement(item: TakeoverItem, desired: KernelState): string | null {
  const firewall = firewallOfState(desired);
  // an old rule or route of a table that is no ISP's any more (removed from the proposal) is not replaced
  const ispTable = (t: number) => desired.rtTables.some((x) => x.number === t);
  if (item.rule) {
    const r = item.rule;
    if (!ispTable(r.table)) return null;
    if (r.fwmark !== undefined) {
      const d = desired.rules.find((x) => x.fwmark !== undefined && x.table === r.table);
      return d ? `ip rule ${ruleArgs(d).join(" ")}` : null;
    }
    const src = r.src?.endsWith("/32") ? r.src : undefined;
    const d = src ? desired.rules.find((x) => x.src === src && x.table === r.table) : undefined;
    if (d) return `ip rule ${ruleArgs(d).join(" ")}`;
    return firewall.replacementOf(desired, { kind: "mark", host: src?.slice(0, -3) });
  }
  if (item.route) {
    const r = item.route;
    if (!ispTable(r.table)) return null;
    const d = desired.routes.find((x) => x.table === r.table && x.dst === r.dst);
    return d ? `ip route ${routeArgs(d).join(" ")}` : null;
  }
  // an old rule of iptables' built-in chains (whatever backend Switchyard runs on), as iptables-save prints it
  const spec = ` ${item.iptables!.spec} `;
  const src = / -s (\S+?)(?:\/32)? /.exec(spec)?.[1];
  const host = src && !src.includes("/") ? src : undefined;
  if (/ -j (CONNMARK|ACCEPT|RETURN) /.test(spec)) return chainSpecs(desired, CHAINS.pre).length ? `${CHAINS.pre} (connection marks saved and restored)` : null;
  if (/ -j MARK /.test(spec)) return firewall.replacementOf(desired, { kind: "mark", host });
  return firewall.replacementOf(desired, { kind: "nat", out: / -o (\S+) /.exec(spec)?.[1], host });
}

const present = (item: TakeoverItem, before: ObservedState): boolean => {
  if (item.rule) return before.foreign.rules.some((r) => ruleText(r) === ruleText(item.rule!));
  if (item.route) return before.foreign.routes.some((r) => routeText(r) === routeText(item.route!));
  const { table, chain, spec } = item.iptables!;
  return before.builtins.some((c) => c.table === table && c.name === chain && c.rules.some((r) => r.spec === spec));
};

const itemText = (item: TakeoverItem) => (item.rule ? ruleText(item.rule) : item.route ? routeText(item.route) : iptText(item.iptables!));

export function planTakeover(takeover: Takeover, before: ObservedState, desired: KernelState): TakeoverPlan {
  const p: TakeoverPlan = { source: takeover.source, rules: [], routes: [], iptables: [], inPlace: [], kept: [], lines: [] };
  const desiredKeys = new Set(desired.routes.map(routeKey));
  for (const item of takeover.items) {
    const old = itemText(item);
    if (item.keep) {
      if (present(item, before)) p.lines.push({ op: "=", kind: "takeover", text: `kept: ${old}: ${item.keep}` });
      continue;
    }
    if (!present(item, before)) {
      p.kept.push(`${old}: no longer on the gateway`);
      continue;
    }
    const by = replacement(item, desired);
    if (!by) {
      p.kept.push(`${old}: nothing in the staged configuration replaces it, so it stays`);
      continue;
    }
    const inPlace = Boolean(item.route && desiredKeys.has(routeKey(item.route)));
    p.lines.push({ op: "~", kind: "takeover", text: `replaced: ${old} -> Switchyard's ${by}${inPlace ? " (in place, by ip route replace)" : ""}` });
    if (item.rule) p.rules.push(item.rule);
    else if (item.route) (inPlace ? p.inPlace : p.routes).push(item.route);
    else p.iptables.push(item.iptables!);
  }
  return p;
}

/** The take over's lines that change something (a "kept" line changes nothing). */
export const takeoverChanges = (t: TakeoverPlan) => t.lines.filter((l) => l.op !== "=");

/** The plan with its take over part: its lines come after the owned changes; a take over alone is a change. */
export function withTakeover(plan: Plan, t: TakeoverPlan): Plan {
  return { ...plan, takeover: t, lines: [...plan.lines, ...t.lines], empty: plan.empty && takeoverChanges(t).length === 0 };
}

/** `ip -batch` lines deleting the old rules and routes. */
export function takeoverIpLines(t: TakeoverPlan): string[] {
  return [...t.rules.map((r) => `rule del ${ruleArgs(r).join(" ")}`), ...t.routes.map((r) => `route del ${routeArgs(r).join(" ")}`)];
}

/** The input deleting the old rules of iptables' built-in chains (one transaction per table); `fault` (ApplyOptions.fault = "takeover") makes it fail. */
export const takeoverIptablesInput = (t: TakeoverPlan, fault = false): string => foreignChainDelete(t.iptables, fault);

/** The take over as the apply's extension step: planned against the apply's own snapshot, run after its cleanup. */
export function takeoverStep(takeover: Takeover): ApplyExtension {
  let planned: TakeoverPlan | null = null;
  return {
    plan(plan, before, desired) {
      planned = planTakeover(takeover, before, desired);
      return withTakeover(plan, planned);
    },
    async run(target, _plan, fault) {
      const t = planned!;
      await ipBatch(target, takeoverIpLines(t));
      const text = takeoverIptablesInput(t, fault);
      if (text) await loadForeignChains(target, text, { allowFailure: false });
      return `${t.lines.length} old objects of ${t.source} replaced by Switchyard's${t.kept.length ? `; left alone: ${t.kept.join("; ")}` : ""}`;
    },
  };
}
