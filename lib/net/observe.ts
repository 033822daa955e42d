// observe: read the kernel (read-only commands) into the same typed state that
// render produces, split into what Switchyard owns and what is foreign.
import { run, type Target } from "./exec";
import { parseIpRuleJson } from "./parse/ip-rule";
import { parseIpRouteJson } from "./parse/ip-route";
import { parseIptablesSave } from "./parse/iptables-save";
import { parseIpLinkJson } from "./parse/ip-link";
import {
  CHAIN_PREFIX, ROUTE_PROTO,
  type IptChain, type IptHook, type KernelState, type Route, type Rule,
} from "./types";

export interface ObservedState extends KernelState {
  foreign: { rules: Rule[]; routes: Route[]; chains: IptChain[] };
  /** built-in chains of mangle and nat, with counters, for the live view */
  builtins: IptChain[];
  observedAt: string;
}

/** Owned by tag, not by priority: a foreign rule inside 10000-10999 (a VPN's) stays foreign. */
export const isOwnedRule = (r: Rule) => r.protocol === String(ROUTE_PROTO);
export const isOwnedRoute = (r: Route) => r.protocol === String(ROUTE_PROTO) || r.protocol === "switchyard";
export const isOwnedChain = (name: string) => name.startsWith(CHAIN_PREFIX);
const BUILTIN = new Set(["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]);

/** Split parsed kernel text into owned and foreign state. Pure: the tests feed it captured output. */
export function classify(ruleJson: string, routeJson: string, iptablesSave: string, linkJson?: string): ObservedState {
  const rules = parseIpRuleJson(ruleJson);
  const routes = parseIpRouteJson(routeJson);
  const { chains } = parseIptablesSave(iptablesSave);
  const hooks: IptHook[] = [];
  for (const c of chains.filter((c) => BUILTIN.has(c.name))) {
    c.rules.forEach((r, i) => {
      const jump = /^-j (\S+)$/.exec(r.spec);
      if (jump && isOwnedChain(jump[1])) hooks.push({ table: c.table, chain: c.name, spec: r.spec, last: i === c.rules.length - 1 });
    });
  }
  return {
    rtTables: [],
    rules: rules.filter(isOwnedRule),
    routes: routes.filter(isOwnedRoute),
    chains: chains.filter((c) => isOwnedChain(c.name)),
    hooks,
    ...(linkJson === undefined ? {} : { links: parseIpLinkJson(linkJson) }),
    foreign: {
      rules: rules.filter((r) => !isOwnedRule(r)),
      routes: routes.filter((r) => !isOwnedRoute(r)),
      chains: chains.filter((c) => !isOwnedChain(c.name) && !BUILTIN.has(c.name)),
    },
    builtins: chains.filter((c) => BUILTIN.has(c.name)),
    observedAt: new Date().toISOString(),
  };
}

/** Four read-only processes, run side by side. `-N` keeps table numbers numeric whatever rt_tables says. */
export async function observeKernel(target: Target): Promise<ObservedState> {
  const [rules, routes, ipt, links] = await Promise.all([
    run(target, "ip", ["-N", "-json", "rule", "show"]),
    run(target, "ip", ["-N", "-4", "-json", "route", "show", "table", "all"]),
    run(target, "iptables-save", ["-c"]),
    run(target, "ip", ["-json", "link", "show"]),
  ]);
  return classify(rules.stdout, routes.stdout, ipt.stdout, links.stdout);
}
