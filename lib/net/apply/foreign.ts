// Rollback of foreign objects: what a snapshot had that the gateway no longer has (rules and
// routes a take over deleted, a foreign route an `ip route replace` turned into Switchyard's,
// iptables rules deleted from a built-in chain), as the commands that put them back exactly:
// rules and routes with their own priority, protocol and metric, iptables rules inserted at
// their old position. Pure; restoreSnapshot (./rollback.ts) runs it after the owned state is
// back. Only what can be rebuilt from its parsed form is restored (no unmodelled selectors,
// no multipath, no kernel routes, which come back with their address).
import type { ObservedState } from "@/lib/net/observe";
import { routeText, ruleText } from "@/lib/net/routing/text";
import { routeLine, ruleLine, type IpLine } from "./ip-batch";
import { foreignChainRestore } from "@/lib/net/firewall";
import type { Route, Rule } from "@/lib/net/types";

export interface ForeignRestore {
  ipLines: IpLine[];
  iptablesInput: string;
  /** how many objects are missing */
  missing: number;
}

const restorableRule = (r: Rule) => !r.extra;
const restorableRoute = (r: Route) => !r.nexthops?.length && r.protocol !== "kernel" && r.protocol !== "2" && r.table !== 255;
type ForeignSide = Pick<ObservedState, "foreign" | "builtins">;

export function foreignRestore(snapshot: ForeignSide, now: ForeignSide): ForeignRestore {
  const rulesNow = new Set(now.foreign.rules.map(ruleText));
  const routesNow = new Set(now.foreign.routes.map(routeText));
  const rules = snapshot.foreign.rules.filter((r) => restorableRule(r) && !rulesNow.has(ruleText(r)));
  const routes = snapshot.foreign.routes.filter((r) => restorableRoute(r) && !routesNow.has(routeText(r)));
  const ipLines = [...routes.map((r) => routeLine("replace", r)), ...rules.map((r) => ruleLine("add", r))];

  const chains = foreignChainRestore(snapshot, now);
  return { ipLines, iptablesInput: chains.input, missing: rules.length + routes.length + chains.missing };
}

/** Foreign rules and routes that are not the snapshot's (a take over deletes them, a rollback puts them back). */
export function foreignDifferences(snapshot: ObservedState, now: ObservedState): string[] {
  const diff = (was: string[], is: string[]) => [
    ...was.filter((x) => !is.includes(x)).map((x) => `- ${x}`),
    ...is.filter((x) => !was.includes(x)).map((x) => `+ ${x}`),
  ];
  return [
    ...diff(snapshot.foreign.rules.map(ruleText), now.foreign.rules.map(ruleText)),
    ...diff(snapshot.foreign.routes.map(routeText), now.foreign.routes.map(routeText)),
  ];
}
