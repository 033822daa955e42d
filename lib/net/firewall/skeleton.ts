// The netfilter skeleton: every nftables chain the kernel has outside Switchyard's own table,
// as one line each ("ip filter FORWARD hook forward priority 0 policy accept"). iptables-nft
// creates a table and a built-in chain the first time a rule goes into it, and never removes
// them: an apply that hooks `-j SWYD-GUARD` into filter FORWARD leaves `table ip filter` with
// an empty FORWARD chain behind when it is rolled back, and iptables-save prints every
// built-in chain of a table whether the kernel has it or not, so only nft sees the difference.
// The apply takes the skeleton before its first change; a rollback removes the empty chains
// (and tables) it created, and compares again: "restored exactly" is said only when the
// skeleton is the same. Parsing and planning are pure; reading runs one `nft` process.
import { existsSync } from "node:fs";
import { BINARIES, run, type Target } from "@/lib/net/exec";
import { NFT_FAMILY, NFT_NAME } from "@/lib/net/types";

export interface SkeletonChain {
  family: string;
  table: string;
  name: string;
  /** "hook forward priority 0 policy accept" for a base chain, "" for a chain only jumped to */
  base: string;
  /** rules in it (only known from a full listing; undefined from `list chains`) */
  rules?: number;
}

type J = Record<string, unknown>;

/** `nft -j list chains` or `nft -j list ruleset` -> the chains outside Switchyard's table. Pure. */
export function parseSkeleton(json: string): SkeletonChain[] {
  const items = (JSON.parse(json || "{}") as { nftables?: J[] }).nftables ?? [];
  const chains: SkeletonChain[] = [];
  const key = (f: unknown, t: unknown, n: unknown) => `${f} ${t} ${n}`;
  const byKey = new Map<string, SkeletonChain>();
  for (const item of items) {
    const c = item.chain as J | undefined;
    if (c) {
      if (c.family === NFT_FAMILY && c.table === NFT_NAME) continue;
      const base = c.hook ? `hook ${c.hook} priority ${c.prio} policy ${c.policy ?? "accept"}` : "";
      const chain: SkeletonChain = { family: String(c.family), table: String(c.table), name: String(c.name), base };
      chains.push(chain);
      byKey.set(key(c.family, c.table, c.name), chain);
    }
    const r = item.rule as J | undefined;
    if (r) {
      const chain = byKey.get(key(r.family, r.table, r.chain));
      if (chain) chain.rules = (chain.rules ?? 0) + 1;
    }
  }
  // a full listing says how many rules each chain holds, zero included
  if (items.some((i) => i.rule !== undefined || i.table !== undefined)) for (const c of chains) c.rules ??= 0;
  return chains;
}

export const skeletonLine = (c: Pick<SkeletonChain, "family" | "table" | "name" | "base">) => `${c.family} ${c.table} ${c.name}${c.base ? ` ${c.base}` : ""}`;

/** The skeleton's lines, sorted: nft lists chains in the order they were made, which says nothing about the packets. */
export const skeletonLines = (chains: SkeletonChain[]) => chains.map(skeletonLine).sort();

/** Lines only in now ("+": made since the snapshot) and only in before ("-": gone since). Pure. */
export function skeletonDiff(before: string[], now: string[]): string[] {
  const b = new Set(before);
  const n = new Set(now);
  return [...now.filter((l) => !b.has(l)).map((l) => `+ nftables chain ${l}`), ...before.filter((l) => !n.has(l)).map((l) => `- nftables chain ${l}`)];
}

/**
 * `nft -f` input deleting what an apply created and left empty: chains that were not in the
 * snapshot and hold no rule, then each table all of whose chains are such (and that has
 * nothing else, sets included: `hasOther`). Only from a full listing (the rule counts), read
 * just before: nft's `delete chain` also deletes the rules in it. Pure.
 */
export function skeletonCleanup(before: string[], now: SkeletonChain[], hasOther: (family: string, table: string) => boolean): string {
  const b = new Set(before);
  const extra = now.filter((c) => !b.has(skeletonLine(c)) && c.rules === 0);
  const lines = extra.map((c) => `delete chain ${c.family} ${c.table} ${c.name}`);
  const tables = [...new Set(extra.map((c) => `${c.family} ${c.table}`))];
  for (const t of tables) {
    const [family, table] = t.split(" ");
    const all = now.filter((c) => c.family === family && c.table === table);
    if (all.every((c) => extra.includes(c)) && !hasOther(family, table)) lines.push(`delete table ${family} ${table}`);
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** Tables of a full listing that hold sets, maps or flowtables (never deleted by a cleanup). Pure. */
export function tablesWithObjects(json: string): Set<string> {
  const items = (JSON.parse(json || "{}") as { nftables?: J[] }).nftables ?? [];
  const out = new Set<string>();
  for (const i of items)
    for (const k of ["set", "map", "flowtable", "counter", "quota", "limit", "ct helper"]) {
      const o = i[k] as J | undefined;
      if (o) out.add(`${o.family} ${o.table}`);
    }
  return out;
}

/** The skeleton now (one `nft -j list chains`); null where nft is not installed. */
export async function readSkeleton(target: Target): Promise<string[] | null> {
  if (!existsSync(BINARIES.nft)) return null;
  const r = await run(target, "nft", ["-j", "list", "chains"]);
  return skeletonLines(parseSkeleton(r.stdout));
}

/**
 * After a rollback: delete the empty chains and tables the apply created (one transaction,
 * from a listing read just before), then the differences that remain, as lines.
 */
export async function restoreSkeleton(target: Target, before: string[]): Promise<string[]> {
  if (!existsSync(BINARIES.nft)) return [];
  const now = await readSkeleton(target);
  if (now && skeletonDiff(before, now).length === 0) return [];
  const full = await run(target, "nft", ["-j", "list", "ruleset"]);
  const others = tablesWithObjects(full.stdout);
  const script = skeletonCleanup(before, parseSkeleton(full.stdout), (f, t) => others.has(`${f} ${t}`));
  if (script) await run(target, "nft", ["-f", "-"], { input: script, allowFailure: true });
  return skeletonDiff(before, (await readSkeleton(target)) ?? []);
}
