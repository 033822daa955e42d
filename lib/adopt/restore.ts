// Rollback of foreign objects: what a snapshot had that the gateway no longer has (rules and
// routes a take over deleted, a foreign route an `ip route replace` turned into Switchyard's,
// iptables rules deleted from a built-in chain), as the commands that put them back exactly:
// rules and routes with their own priority, protocol and metric, iptables rules inserted at
// their old position. Pure; lib/net/apply.ts restoreSnapshot runs it after the owned state is
// back. Only what can be rebuilt from its parsed form is restored (no unmodelled selectors,
// no multipath, no kernel routes, which come back with their address).
import type { ObservedState } from "@/lib/net/observe";
import { routeArgs, ruleArgs } from "@/lib/net/routing/text";
import { renderIptablesRestore } from "@/lib/net/firewall/iptables/text";
import type { IptTable, Route, Rule } from "@/lib/net/types";
import { routeText, ruleText } from "./objects";

export interface ForeignRestore {
  ipLines: string[];
  iptablesInput: string;
  /** how many objects are missing */
  missing: number;
}

/** what the renderer passes (no quotes: a rule with a quoted comment was never one a take over removed) */
const RESTORABLE_SPEC = /^[A-Za-z0-9 _.:/!,-]+$/;
const restorableRule = (r: Rule) => !r.extra;
const restorableRoute = (r: Route) => !r.nexthops?.length && r.protocol !== "kernel" && r.protocol !== "2" && r.table !== 255;
type ForeignSide = Pick<ObservedState, "foreign" | "builtins">;

export function foreignRestore(snapshot: ForeignSide, now: ForeignSide): ForeignRestore {
  const rulesNow = new Set(now.foreign.rules.map(ruleText));
  const routesNow = new Set(now.foreign.routes.map(routeText));
  const rules = snapshot.foreign.rules.filter((r) => restorableRule(r) && !rulesNow.has(ruleText(r)));
  const routes = snapshot.foreign.routes.filter((r) => restorableRoute(r) && !routesNow.has(routeText(r)));
  const ipLines = [...routes.map((r) => `route replace ${routeArgs(r).join(" ")}`), ...rules.map((r) => `rule add ${ruleArgs(r).join(" ")}`)];

  const extra: Partial<Record<IptTable, string[]>> = {};
  let iptMissing = 0;
  for (const chain of snapshot.builtins) {
    const cur = now.builtins.find((c) => c.table === chain.table && c.name === chain.name)?.rules.map((r) => r.spec) ?? [];
    chain.rules.forEach(({ spec }, i) => {
      if (cur[i] === spec || cur.slice(i).includes(spec) || !RESTORABLE_SPEC.test(spec)) return;
      // inserted where it was: the rules before it are back in place by now
      (extra[chain.table as IptTable] ??= []).push(`-I ${chain.name} ${i + 1} ${spec}`);
      cur.splice(i, 0, spec);
      iptMissing++;
    });
  }
  return { ipLines, iptablesInput: renderIptablesRestore([], extra), missing: rules.length + routes.length + iptMissing };
}
