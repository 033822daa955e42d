// nftables text: the `nft -f` input apply runs (one transaction: all of it or nothing), and
// the table as an admin reads it on the Ruleset page.
import { NFT_TABLE, type IptChain, type KernelState, type NftBase, type NftElement, type NftSet } from "@/lib/net/types";

/** Defence in depth, as assertSpec is for iptables: a rule holds only what render writes. */
function assertNft(spec: string): string {
  if (!/^[A-Za-z0-9 _.:/!=&|@,{}"<>-]+$/.test(spec) || /\bjson:/.test(spec)) throw new Error(`refusing to render nft rule ${JSON.stringify(spec)}`);
  return spec;
}
function assertName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) throw new Error(`refusing to render nft name ${JSON.stringify(name)}`);
  return name;
}

export const baseText = (b: NftBase) => `type ${b.type} hook ${b.hook} priority ${b.priority}; policy ${b.policy};`;
const setHead = (s: NftSet) => `type ${s.type}${s.map ? ` : ${s.map}` : ""};${s.counter ? " counter;" : ""}`;
export const elementText = (e: { key: string; value?: string }) => (e.value === undefined ? e.key : `${e.key} : ${e.value}`);

/** What one apply changes in Switchyard's table. */
export interface NftChange {
  /** the table is created first if missing (`add table` is a no-op when it exists) */
  ensureTable: boolean;
  /** delete the whole table (the backend switched to iptables) */
  deleteTable: boolean;
  chainsToReplace: IptChain[];
  chainsToDelete: IptChain[];
  setChanges: NftSetChange[];
  setsToDelete: NftSet[];
  /** the chains of the table now (replaced ones are flushed, not added) */
  existingChains: Map<string, IptChain>;
}

/** A set or map brought to its desired elements one element at a time (the others keep their counters). */
export interface NftSetChange {
  set: NftSet;
  /** the set is not there yet */
  create: boolean;
  add: NftElement[];
  /** elements that go, or whose value changes (removed, then added with the new value) */
  remove: NftElement[];
}

/**
 * The `nft -f` input for a change: flush what changes, add what is new (objects, then
 * elements, then rules: everything a rule points at exists before it), delete what goes
 * last (its references were flushed above). A base chain whose hook changed is deleted and
 * added again. nft checks and commits the whole file as one transaction.
 */
export function renderNftScript(c: NftChange): string {
  const t = NFT_TABLE;
  if (c.deleteTable) return `delete table ${t}\n`;
  const out: string[] = [];
  if (c.ensureTable) out.push(`add table ${t}`);
  const hookOf = (ch: IptChain | undefined) => (ch?.base ? baseText(ch.base) : "");
  const existing = (ch: IptChain) => c.existingChains.has(ch.name);
  const rehooked = c.chainsToReplace.filter((ch) => existing(ch) && hookOf(c.existingChains.get(ch.name)) !== hookOf(ch));
  for (const ch of c.chainsToReplace) if (existing(ch)) out.push(`flush chain ${t} ${assertName(ch.name)}`);
  for (const s of c.setChanges)
    if (s.remove.length) out.push(`delete element ${t} ${assertName(s.set.name)} { ${s.remove.map((e) => assertNft(e.key)).join(", ")} }`);
  for (const ch of rehooked) out.push(`delete chain ${t} ${ch.name}`);
  for (const ch of c.chainsToReplace) {
    if (!existing(ch) || rehooked.includes(ch)) out.push(`add chain ${t} ${assertName(ch.name)}${ch.base ? ` { ${baseText(ch.base)} }` : ""}`);
  }
  for (const { set, create } of c.setChanges) if (create) out.push(`add ${set.map ? "map" : "set"} ${t} ${assertName(set.name)} { ${setHead(set)} }`);
  for (const { set, add } of c.setChanges) if (add.length) out.push(`add element ${t} ${set.name} { ${add.map((e) => assertNft(elementText(e))).join(", ")} }`);
  for (const ch of c.chainsToReplace) for (const r of ch.rules) out.push(`add rule ${t} ${ch.name} ${assertNft(r.spec)}`);
  for (const ch of c.chainsToDelete) out.push(`flush chain ${t} ${assertName(ch.name)}`);
  for (const s of c.setsToDelete) out.push(`delete ${s.map ? "map" : "set"} ${t} ${assertName(s.name)}`);
  for (const ch of c.chainsToDelete) out.push(`delete chain ${t} ${ch.name}`);
  return out.length ? `${out.join("\n")}\n` : "";
}

/** The whole table as `nft list table` shows it (and as `nft -f` takes it). */
export function renderNftTable(chains: IptChain[], sets: NftSet[]): string {
  const out = [`table ${NFT_TABLE} {`];
  for (const s of sets) {
    out.push(`\t${s.map ? "map" : "set"} ${s.name} {`, `\t\ttype ${s.type}${s.map ? ` : ${s.map}` : ""}`);
    if (s.counter) out.push("\t\tcounter");
    if (s.elements.length) out.push(`\t\telements = { ${s.elements.map(elementText).join(",\n\t\t\t     ")} }`);
    out.push("\t}", "");
  }
  chains.forEach((ch, i) => {
    out.push(`\tchain ${ch.name} {`);
    if (ch.base) out.push(`\t\t${baseText(ch.base)}`);
    for (const r of ch.rules) out.push(`\t\t${r.spec}`);
    out.push("\t}");
    if (i < chains.length - 1) out.push("");
  });
  out.push("}");
  return `${out.join("\n")}\n`;
}

/** `nft -f` input that replaces Switchyard's table whole, in one transaction (create, delete, define). */
export function renderNftReplace(state: Pick<KernelState, "chains" | "sets">): string {
  return `add table ${NFT_TABLE}\ndelete table ${NFT_TABLE}\n${renderNftTable(
    state.chains.filter((c) => c.table === "nft"),
    state.sets ?? [],
  )}`;
}
