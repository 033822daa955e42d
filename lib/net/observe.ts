// observe: read the kernel (read-only commands) into the same typed state that
// render produces, split into what Switchyard owns and what is foreign.
import type { RaSnapshot } from "@/lib/net/ra/apply";
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
    /**
     * IPv6 rules and routes that are not Switchyard's (the kernel's local/main rules, connected and
     * link-local routes, a router's source-specific defaults), apart from the IPv4 ones above: what
     * reads foreign objects (adopt's inference, the override lint, the rollback of a take over) is
     * IPv4 so far (docs/ipv6.md).
     */
    v6?: { rules: Rule[]; routes: Route[] };
  };
  /** built-in chains of mangle and nat, with counters, for the live view */
  builtins: IptChain[];
  observedAt: string;
  /** the owned sysctls' values when this snapshot was taken (an apply's "before"; a rollback puts them back) */
  sysctls?: Record<string, string>;
  /** Switchyard's radvd (lib/net/ra) when this snapshot was taken: an apply's "before" when RA is in play; a rollback puts it back */
  ra?: RaSnapshot;
  /** every nftables chain outside Switchyard's table, when this snapshot was taken (an apply's "before": lib/net/firewall/skeleton.ts) */
  skeleton?: string[];
}

/** Owned by tag, not by priority: a foreign rule inside 10000-10999 (a VPN's) stays foreign. */
export const isOwnedRule = (r: Rule) => r.protocol === String(ROUTE_PROTO);
export const isOwnedRoute = (r: Route) => r.protocol === String(ROUTE_PROTO) || r.protocol === "switchyard";
export const isOwnedChain = (name: string) => name.startsWith(CHAIN_PREFIX);
/** Split parsed kernel text into owned and foreign state. Pure: the tests feed it captured output. */
export function classify(
  ruleJson: string,
  routeJson: string,
  iptablesSave: string,
  linkJson?: string,
  nft?: NftOutput,
  other?: OtherIptables,
  v6?: { rules: string; routes: string; ip6tablesSave?: string },
): ObservedState {
  const rules = parseIpRuleJson(ruleJson);
  const routes = parseIpRouteJson(routeJson);
  const rules6 = v6 ? parseIpRuleJson(v6.rules, undefined, 6) : [];
  const routes6 = v6 ? parseIpRouteJson(v6.routes, undefined, 254, 6) : [];
  const nf = classifyNetfilter(iptablesSave, nft, other, v6?.ip6tablesSave);
  return {
    rtTables: [],
    rules: [...rules, ...rules6].filter(isOwnedRule),
    routes: [...routes, ...routes6].filter(isOwnedRoute),
    chains: nf.chains,
    hooks: nf.hooks,
    sets: nf.sets,
    nftTable: nf.nftTable,
    ...(linkJson === undefined ? {} : { links: parseIpLinkJson(linkJson).map(({ name, up, carrier }) => ({ name, up, carrier })) }),
    foreign: {
      rules: rules.filter((r) => !isOwnedRule(r)),
      routes: routes.filter((r) => !isOwnedRoute(r)),
      ...nf.foreign,
      ...(v6 ? { v6: { rules: rules6.filter((r) => !isOwnedRule(r)), routes: routes6.filter((r) => !isOwnedRoute(r)) } } : {}),
    },
    builtins: nf.builtins,
    observedAt: new Date().toISOString(),
  };
}

/**
 * Eight or nine read-only processes, run side by side. `-N` keeps table numbers numeric whatever rt_tables says.
 * Rules and routes of both families (the parsers tag each with the family it was read with); a
 * kernel without IPv6 answers `ip -6` with nothing.
 */
export async function observeKernel(target: Target): Promise<ObservedState> {
  const ip = (family: 4 | 6, ...words: string[]) => run(target, "ip", ["-N", ...ipArgs(family, "-json", ...words)], { allowFailure: family === 6 });
  const [rules, routes, rules6, routes6, links, nf] = await Promise.all([
    ip(4, "rule", "show"),
    ip(4, "route", "show", "table", "all"),
    ip(6, "rule", "show"),
    ip(6, "route", "show", "table", "all"),
    run(target, "ip", ["-json", "link", "show"]),
    readNetfilter(target),
  ]);
  const v6 = { rules: rules6.exitCode === 0 ? rules6.stdout : "[]", routes: routes6.exitCode === 0 ? routes6.stdout : "[]", ip6tablesSave: nf.ip6tablesSave };
  return classify(rules.stdout, routes.stdout, nf.iptablesSave, links.stdout, nf.nft, nf.other, v6);
}
