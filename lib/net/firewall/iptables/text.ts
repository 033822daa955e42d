// iptables as text: the exact iptables-restore input that apply feeds to
// `iptables-restore --noflush` (declaring our own chains replaces just them, in one transaction
// per table).
import type { IptChain, IptTable } from "@/lib/net/types";
import { assertToken } from "@/lib/net/routing/text";
import type { Family } from "@/lib/net/family";

/**
 * The iptables backend's input for both families as one text (what apply, rollback and the fast
 * failover hand to `load`): the IPv4 part, then, after this line, the IPv6 part. iptables-restore
 * reads a line starting with "#" as a comment; `load` splits there and runs one
 * iptables-restore and one ip6tables-restore, each a transaction per table.
 */
export const IP6_MARK = "# ip6tables-restore --noflush";

/** The two families' inputs as one text ("" when both are empty; no marker without an IPv6 part, so IPv4-only input is as before). */
export const joinFamilies = (v4: string, v6: string, mark = IP6_MARK): string => (v6 ? `${v4}${v4 && !v4.endsWith("\n") ? "\n" : ""}${mark}\n${v6}` : v4);

/** The inverse of joinFamilies. */
export function splitFamilies(input: string, mark = IP6_MARK): { v4: string; v6: string } {
  const head = `${mark}\n`;
  if (input.startsWith(head)) return { v4: "", v6: input.slice(head.length) };
  const i = input.indexOf(`\n${head}`);
  return i < 0 ? { v4: input, v6: "" } : { v4: input.slice(0, i + 1), v6: input.slice(i + 1 + head.length) };
}

function assertSpec(spec: string): string {
  if (!/^[A-Za-z0-9 _.:/!,-]+$/.test(spec)) throw new Error(`refusing to render iptables rule ${JSON.stringify(spec)}`);
  return spec;
}

/**
 * iptables-restore input replacing exactly the given chains (nothing else is flushed under --noflush);
 * family 6: ip6tables-restore's, from the chains of family 6 (each family's input holds only its own).
 */
export function renderIptablesRestore(chains: IptChain[], extraLines: Partial<Record<IptTable, string[]>> = {}, family: Family = 4): string {
  const out: string[] = [];
  for (const table of ["mangle", "nat", "filter"] as IptTable[]) {
    const mine = chains.filter((c) => c.table === table && (c.family ?? 4) === family);
    const extra = extraLines[table] ?? [];
    if (mine.length === 0 && extra.length === 0) continue;
    out.push(`*${table}`);
    for (const c of mine) out.push(`:${assertToken(c.name, "chain")} - [0:0]`);
    for (const c of mine) for (const r of c.rules) out.push(`-A ${c.name} ${assertSpec(r.spec)}`);
    out.push(...extra.map(assertSpec));
    out.push("COMMIT");
  }
  return out.length ? `${out.join("\n")}\n` : "";
}
