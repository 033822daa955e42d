// observe, the netfilter part: iptables-save and ip6tables-save (and the other iptables variant's), and nft's whole
// ruleset, read side by side and split into Switchyard's chains, hooks and sets and the foreign
// ones (which the override lint reads). Both backends are read whatever the setting: a switch,
// or a foreign table, is seen either way.
import { existsSync, realpathSync } from "node:fs";
import { BINARIES, run, type Target } from "@/lib/net/exec";
import { parseIptablesSave } from "@/lib/net/parse/iptables-save";
import { parseNftTableJson, parseNftTables } from "@/lib/net/parse/nft-json";
import { parseNftRuleset, type HookChain } from "@/lib/net/parse/nft-ruleset";
import { BUILTIN_NAMES, CHAIN_PREFIX, NFT_TABLE, type IptChain, type IptHook, type NftSet } from "@/lib/net/types";

const isOwnedChain = (name: string) => name.startsWith(CHAIN_PREFIX);
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

export interface NetfilterText {
  iptablesSave: string;
  /** "" where the kernel has no IPv6 (ip6tables-save failed) */
  ip6tablesSave: string;
  nft?: NftOutput;
  other?: OtherIptables;
}

/** The netfilter part of an observe: three or four read-only processes, side by side. */
export async function readNetfilter(target: Target): Promise<NetfilterText> {
  const [ipt, ip6t, nft, other] = await Promise.all([
    run(target, "iptables-save", ["-c"]),
    // a kernel without IPv6 has no ip6tables: read as empty
    run(target, "ip6tables-save", ["-c"], { allowFailure: true }),
    readNft(target),
    readOtherIptables(target),
  ]);
  // read whatever the configuration says, so leftovers are found and removed
  return { iptablesSave: ipt.stdout, ip6tablesSave: ip6t.exitCode === 0 ? ip6t.stdout : "", nft: nft ?? undefined, other: other ?? undefined };
}

export interface ObservedNetfilter {
  chains: IptChain[];
  hooks: IptHook[];
  sets: NftSet[];
  nftTable: boolean;
  foreign: { chains: IptChain[]; nftTables: string[]; nftChains: HookChain[]; otherIptables?: { variant: IptVariant; chains: IptChain[] } };
  builtins: IptChain[];
}

/** Owned and foreign netfilter state from what the tools printed. Pure: the tests feed it captured output. */
export function classifyNetfilter(iptablesSave: string, nft?: NftOutput, other?: OtherIptables, ip6tablesSave = ""): ObservedNetfilter {
  const { chains } = parseIptablesSave(iptablesSave);
  // ip6tables' chains are tagged family 6: Switchyard's and their hooks are owned, the rest foreign (after IPv4's)
  const chains6 = parseIptablesSave(ip6tablesSave, 6).chains;
  const all = [...chains, ...chains6];
  const otherChains = other ? parseIptablesSave(other.save).chains : [];
  // iptables-nft's chains show in nft's listing as opaque xt objects: they are read from its save output
  const nftVariant = other?.variant === "iptables-nft" ? otherChains : all;
  const own = nft?.table ? parseNftTableJson(nft.table) : { chains: [], sets: [] };
  const hooks: IptHook[] = [];
  for (const c of all.filter((c) => BUILTIN.has(c.name))) {
    c.rules.forEach((r, i) => {
      const jump = /^-j (\S+)$/.exec(r.spec);
      if (!jump || !isOwnedChain(jump[1])) return;
      hooks.push({
        table: c.table as IptHook["table"],
        chain: c.name,
        spec: r.spec,
        last: i === c.rules.length - 1,
        ...(c.family ? { family: c.family } : {}),
      });
    });
  }
  return {
    chains: [...all.filter((c) => isOwnedChain(c.name)), ...own.chains],
    hooks,
    sets: own.sets,
    nftTable: Boolean(nft?.table),
    foreign: {
      chains: all.filter((c) => !isOwnedChain(c.name) && !BUILTIN.has(c.name)),
      nftTables: nft ? parseNftTables(nft.tables).filter((t) => t !== NFT_TABLE) : [],
      nftChains: nft ? parseNftRuleset(nft.tables, NFT_TABLE, new Set(nftVariant.map((c) => `${c.family === 6 ? "ip6" : "ip"} ${c.table} ${c.name}`))) : [],
      ...(other && otherChains.length ? { otherIptables: { variant: other.variant, chains: otherChains } } : {}),
    },
    // IPv4's only: a take over's foreign-rule restore (./iptables/builtins.ts) is iptables-restore input
    builtins: chains.filter((c) => BUILTIN.has(c.name)),
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
