// observe: read the kernel (read-only commands) into the same typed state that
// render produces, split into what Switchyard owns and what is foreign.
import { run, type Target } from "./exec";
import { ipArgs } from "./family";
import { parseIpRuleJson } from "./parse/ip-rule";
import { parseIpRouteJson } from "./parse/ip-route";
import { parseIpLinkJson } from "./parse/ip-link";
import type { HookChain } from "./parse/nft-ruleset";
import { classifyNetfilter, readNetfilter, type IptVariant, type NftOutput, type OtherIptables } from "./firewall/observe";
import { CHAIN_PREFIX, ROUTE_PROTO, type IptChain, type KernelState, type Route, type Rule } from "./types";

export type { IptVariant, NftOutput, OtherIptables } from "./firewall/observe";

export interface ObservedState extends KernelState {
  /** Switchyard's nftables table exists (it may be empty) */
  nftTable: boolean;
  /** nftables tables that are not Switchyard's ("family name"; iptables-nft's own ip mangle/nat/filter among them), never touched */
  foreign: {
    rules: Rule[];
    routes: Route[];
    chains: IptChain[];
    nftTables: string[];
    /** every chain of the other nftables tables (iptables-nft's own chains apart: they are in `chains`/`builtins`), for the override lint */
    nftChains?: HookChain[];
    /** the tables of the other iptables variant (iptables-legacy beside iptables-nft, or the reverse), built-in chains included */
    otherIptables?: { variant: IptVariant; chains: IptChain[] };
  };
  /** built-in chains of mangle and nat, with counters, for the live view */
  builtins: IptChain[];
  observedAt: string;
  /** the owned sysctls' values when this snapshot was taken (an apply's "before"; a rollback puts them back) */
  sysctls?: Record<string, string>;
  /** every nftables chain outside Switchyard's table, when this snapshot was taken (an apply's "before": lib/net/firewall/skeleton.ts) */
  skeleton?: string[];
}

/** Owned by tag, not by priority: a foreign rule inside 10000-10999 (a VPN's) stays foreign. */
export const isOwnedRule = (r: Rule) => r.protocol === String(ROUTE_PROTO);
export const isOwnedRoute = (r: Route) => r.protocol === String(ROUTE_PROTO) || r.protocol === "switchyard";
export const isOwnedChain = (name: string) => name.startsWith(CHAIN_PREFIX);
/** Split parsed kernel text into owned and foreign state. Pure: the tests feed it captured output. */
export function classify(ruleJson: string, routeJson: string, iptablesSave: string, linkJson?: string, nft?: NftOutput, other?: OtherIptables): ObservedState {
  const rules = parseIpRuleJson(ruleJson);
  const routes = parseIpRouteJson(routeJson);
  const nf = classifyNetfilter(iptablesSave, nft, other);
  return {
    rtTables: [],
    rules: rules.filter(isOwnedRule),
    routes: routes.filter(isOwnedRoute),
    chains: nf.chains,
    hooks: nf.hooks,
    sets: nf.sets,
    nftTable: nf.nftTable,
    ...(linkJson === undefined ? {} : { links: parseIpLinkJson(linkJson).map(({ name, up, carrier }) => ({ name, up, carrier })) }),
    foreign: {
      rules: rules.filter((r) => !isOwnedRule(r)),
      routes: routes.filter((r) => !isOwnedRoute(r)),
      ...nf.foreign,
    },
    builtins: nf.builtins,
    observedAt: new Date().toISOString(),
  };
}

/**
 * Six or seven read-only processes, run side by side. `-N` keeps table numbers numeric whatever rt_tables says.
 * IPv4 only for now: rules and routes are read with `ip -4` (the parsers tag them family 4).
 */
export async function observeKernel(target: Target): Promise<ObservedState> {
  const [rules, routes, links, nf] = await Promise.all([
    run(target, "ip", ["-N", ...ipArgs(4, "-json", "rule", "show")]),
    run(target, "ip", ["-N", ...ipArgs(4, "-json", "route", "show", "table", "all")]),
    run(target, "ip", ["-json", "link", "show"]),
    readNetfilter(target),
  ]);
  return classify(rules.stdout, routes.stdout, nf.iptablesSave, links.stdout, nf.nft, nf.other);
}
