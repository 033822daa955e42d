// iptables as text: the exact iptables-restore input that apply feeds to
// `iptables-restore --noflush` (declaring our own chains replaces just them, in one transaction
// per table).
import type { IptChain, IptTable } from "@/lib/net/types";
import { assertToken } from "@/lib/net/routing/text";

function assertSpec(spec: string): string {
  if (!/^[A-Za-z0-9 _.:/!,-]+$/.test(spec)) throw new Error(`refusing to render iptables rule ${JSON.stringify(spec)}`);
  return spec;
}

/** iptables-restore input replacing exactly the given chains (nothing else is flushed under --noflush). */
export function renderIptablesRestore(chains: IptChain[], extraLines: Partial<Record<IptTable, string[]>> = {}): string {
  const out: string[] = [];
  for (const table of ["mangle", "nat", "filter"] as IptTable[]) {
    const mine = chains.filter((c) => c.table === table);
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
