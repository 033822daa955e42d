// observe: read the kernel (read-only commands) into the same typed state that
// render produces, split into what Switchyard owns and what is foreign.
import { BINARIES, run, type Target } from "./exec";
import { ipArgs } from "./family";
import { parseIpRuleJson } from "./parse/ip-rule";
import { parseIpRouteJson } from "./parse/ip-route";
import { parseIptablesSave } from "./parse/iptables-save";
import { parseIpLinkJson } from "./parse/ip-link";
import { parseNftTableJson, parseNftTables } from "./parse/nft-json";
import { parseNftRuleset, type HookChain } from "./parse/nft-ruleset";
import { existsSync, realpathSync } from "node:fs";
import { BUILTIN_NAMES, CHAIN_PREFIX, NFT_TABLE, ROUTE_PROTO, type IptChain, type IptHook, type KernelState, type Route, type Rule } from "./types";

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
  /** every nftables chain outside Switchyard's table, when this snapshot was taken (an apply's "before": lib/net/netfilter-skeleton.ts) */
  skeleton?: string[];
}

/** Owned by tag, not by priority: a foreign rule inside 10000-10999 (a VPN's) stays foreign. */
export const isOwnedRule = (r: Rule) => r.protocol === String(ROUTE_PROTO);
export const isOwnedRoute = (r: Route) => r.protocol === String(ROUTE_PROTO) || r.protocol === "switchyard";
export const isOwnedChain = (name: string) => name.startsWith(CHAIN_PREFIX);
const BUILTIN = new Set(BUILTIN_NAMES);

/** What nft printed: Switchyard's table (null: there is none, or no nft) and the list of all tables. */
export interface NftOutput {
  table: string | null;
  tables: string;
}

export type IptVariant = "iptables-legacy" | "iptables-nft";
/** What the other iptables variant's save printed (its kernel tables are separate and run too). */
export interface OtherIptables {
  variant: IptVariant;
  save: string;
}

/** Split parsed kernel text into owned and foreign state. Pure: the tests feed it captured output. */
export function classify(ruleJson: string, routeJson: string, iptablesSave: string, linkJson?: string, nft?: NftOutput, other?: OtherIptables): ObservedState {
  const rules = parseIpRuleJson(ruleJson);
  const routes = parseIpRouteJson(routeJson);
  const { chains } = parseIptablesSave(iptablesSave);
  const otherChains = other ? parseIptablesSave(other.save).chains : [];
  // iptables-nft's chains show in nft's listing as opaque xt objects: they are read from its save output
  const nftVariant = other?.variant === "iptables-nft" ? otherChains : chains;
  const own = nft?.table ? parseNftTableJson(nft.table) : { chains: [], sets: [] };
  const hooks: IptHook[] = [];
  for (const c of chains.filter((c) => BUILTIN.has(c.name))) {
    c.rules.forEach((r, i) => {
      const jump = /^-j (\S+)$/.exec(r.spec);
      if (jump && isOwnedChain(jump[1])) hooks.push({ table: c.table as IptHook["table"], chain: c.name, spec: r.spec, last: i === c.rules.length - 1 });
    });
  }
  return {
    rtTables: [],
    rules: rules.filter(isOwnedRule),
    routes: routes.filter(isOwnedRoute),
    chains: [...chains.filter((c) => isOwnedChain(c.name)), ...own.chains],
    hooks,
    sets: own.sets,
    nftTable: Boolean(nft?.table),
    ...(linkJson === undefined ? {} : { links: parseIpLinkJson(linkJson).map(({ name, up, carrier }) => ({ name, up, carrier })) }),
    foreign: {
      rules: rules.filter((r) => !isOwnedRule(r)),
      routes: routes.filter((r) => !isOwnedRoute(r)),
      chains: chains.filter((c) => !isOwnedChain(c.name) && !BUILTIN.has(c.name)),
      nftTables: nft ? parseNftTables(nft.tables).filter((t) => t !== NFT_TABLE) : [],
      nftChains: nft ? parseNftRuleset(nft.tables, NFT_TABLE, new Set(nftVariant.map((c) => `ip ${c.table} ${c.name}`))) : [],
      ...(other && otherChains.length ? { otherIptables: { variant: other.variant, chains: otherChains } } : {}),
    },
    builtins: chains.filter((c) => BUILTIN.has(c.name)),
    observedAt: new Date().toISOString(),
  };
}

/**
 * The whole ruleset (Switchyard's table and every other, which the override lint reads);
 * null where nft is not installed. One process: nft loads everything for any listing (with
 * 10000 hosts `list tables` alone takes ~35 ms).
 */
export async function readNft(target: Target): Promise<NftOutput | null> {
  if (!existsSync(BINARIES.nft)) return null;
  const all = await run(target, "nft", ["-j", "list", "ruleset"]);
  return { table: parseNftTables(all.stdout).includes(NFT_TABLE) ? all.stdout : null, tables: all.stdout };
}

/** Which variant `iptables-save` is (Debian's alternatives link), and so which one is the other. */
export function iptablesVariant(): IptVariant {
  try {
    return realpathSync(BINARIES["iptables-save"]).includes("legacy") ? "iptables-legacy" : "iptables-nft";
  } catch {
    return "iptables-nft";
  }
}

/** The other variant's tables: an empty text where it is not installed or has no tables (listing them creates none). */
export async function readOtherIptables(target: Target): Promise<OtherIptables | null> {
  const variant: IptVariant = iptablesVariant() === "iptables-nft" ? "iptables-legacy" : "iptables-nft";
  const bin = variant === "iptables-legacy" ? "iptables-legacy-save" : "iptables-nft-save";
  if (!existsSync(BINARIES[bin])) return null;
  const r = await run(target, bin, [], { allowFailure: true });
  return r.exitCode === 0 ? { variant, save: r.stdout } : null;
}

/**
 * Six or seven read-only processes, run side by side. `-N` keeps table numbers numeric whatever rt_tables says.
 * IPv4 only for now: rules and routes are read with `ip -4` (the parsers tag them family 4).
 */
export async function observeKernel(target: Target): Promise<ObservedState> {
  const [rules, routes, ipt, links, nft, other] = await Promise.all([
    run(target, "ip", ["-N", ...ipArgs(4, "-json", "rule", "show")]),
    run(target, "ip", ["-N", ...ipArgs(4, "-json", "route", "show", "table", "all")]),
    run(target, "iptables-save", ["-c"]),
    run(target, "ip", ["-json", "link", "show"]),
    readNft(target),
    readOtherIptables(target),
  ]);
  return classify(rules.stdout, routes.stdout, ipt.stdout, links.stdout, nft ?? undefined, other ?? undefined);
}
