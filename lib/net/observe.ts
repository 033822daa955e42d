// observe: read the kernel (read-only commands) into the same typed state that
// render produces, split into what Switchyard owns and what is foreign.
import { run, type Target } from "./exec";
import { parseIpRuleJson } from "./parse/ip-rule";
import { parseIpRouteJson } from "./parse/ip-route";
import { parseIptablesSave } from "./parse/iptables-save";
import {
  CHAIN_PREFIX, ROUTE_PROTO, RULE_PRIORITY_MAX, RULE_PRIORITY_MIN,
  type IptChain, type IptHook, type KernelState, type Route, type Rule,
} from "./types";

export interface ObservedState extends KernelState {
  foreign: { rules: Rule[]; routes: Route[]; chains: IptChain[] };
  /** built-in chains of mangle and nat, with counters, for the live view */
  builtins: IptChain[];
  observedAt: string;
}

export const isOwnedRule = (r: Rule) => r.priority >= RULE_PRIORITY_MIN && r.priority <= RULE_PRIORITY_MAX;
export const isOwnedRoute = (r: Route) => r.protocol === String(ROUTE_PROTO) || r.protocol === "switchyard";
export const isOwnedChain = (name: string) => name.startsWith(CHAIN_PREFIX);
const BUILTIN = new Set(["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]);

/** Split parsed kernel text into owned and foreign state. Pure: the tests feed it captured output. */
export function classify(ruleJson: string, routeJson: string, iptablesSave: string): ObservedState {
  const rules = parseIpRuleJson(ruleJson);
  const routes = parseIpRouteJson(routeJson);
  const { chains } = parseIptablesSave(iptablesSave);
  const hooks: IptHook[] = [];
  for (const c of chains.filter((c) => BUILTIN.has(c.name))) {
    for (const r of c.rules) {
      const jump = /^-j (\S+)$/.exec(r.spec);
      if (jump && isOwnedChain(jump[1])) hooks.push({ table: c.table, chain: c.name, spec: r.spec });
    }
  }
  return {
    rtTables: [],
    rules: rules.filter(isOwnedRule),
    routes: routes.filter(isOwnedRoute),
    chains: chains.filter((c) => isOwnedChain(c.name)),
    hooks,
    foreign: {
      rules: rules.filter((r) => !isOwnedRule(r)),
      routes: routes.filter((r) => !isOwnedRoute(r)),
      chains: chains.filter((c) => !isOwnedChain(c.name) && !BUILTIN.has(c.name)),
    },
    builtins: chains.filter((c) => BUILTIN.has(c.name)),
    observedAt: new Date().toISOString(),
  };
}

/** Three read-only processes, run side by side. `-N` keeps table numbers numeric whatever rt_tables says. */
export async function observeKernel(target: Target): Promise<ObservedState> {
  const [rules, routes, ipt] = await Promise.all([
    run(target, "ip", ["-N", "-json", "rule", "show"]),
    run(target, "ip", ["-N", "-4", "-json", "route", "show", "table", "all"]),
    run(target, "iptables-save", ["-c"]),
  ]);
  return classify(rules.stdout, routes.stdout, ipt.stdout);
}
