// `iptables-save -c` (or `ip6tables-save -c`) -> chains with their rules and counters, in order.
//   *mangle
//   :PREROUTING ACCEPT [0:0]        built-in chain: policy and counters
//   :SWYD-PRE - [0:0]               user chain: no policy
//   [5:175] -A PREROUTING -j SWYD-PRE
//   COMMIT
// Built-in chains are returned too, so the caller can find its hooks in them.
// Only the tables Switchyard manages (mangle, nat) are returned; the others
// are still checked for syntax. iptables-save lists the chains of a table
// built-ins first, then user chains sorted by name, and rules grouped by chain.
import type { IptChain, IptTable } from "../types";

export interface IptPolicy {
  table: IptTable;
  chain: string;
  policy: string;
  packets: number;
  bytes: number;
}

const OURS = new Set<string>(["mangle", "nat", "filter"]);
const CHAIN_LINE = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?$/;
const RULE_LINE = /^(?:\[(\d+):(\d+)\]\s+)?-A\s+(\S+)(?:\s+(.*))?$/;

/** `family` 6: ip6tables-save's output (the same format), its chains tagged family 6. */
export function parseIptablesSave(text: string, family: 4 | 6 = 4): { chains: IptChain[]; policies: IptPolicy[] } {
  const save = family === 6 ? "ip6tables-save" : "iptables-save";
  const chains: IptChain[] = [];
  const policies: IptPolicy[] = [];
  let table: string | undefined;
  let byName = new Map<string, IptChain>();
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const fail = (why: string) => {
      throw new Error(`${save} line ${i + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line === "" || line.startsWith("#")) return;
    if (line.startsWith("*")) {
      if (table) fail("table starts before COMMIT");
      table = line.slice(1);
      byName = new Map();
      return;
    }
    if (!table) fail("outside of a table");
    if (line === "COMMIT") {
      table = undefined;
      return;
    }
    const keep = OURS.has(table!);
    const decl = CHAIN_LINE.exec(line);
    if (decl) {
      const [, name, policy, packets, bytes] = decl;
      if (!keep) return;
      const chain: IptChain = { table: table as IptTable, name, rules: [], ...(family === 6 ? { family } : {}) };
      chains.push(chain);
      byName.set(name, chain);
      if (policy !== "-") {
        policies.push({ table: table as IptTable, chain: name, policy, packets: Number(packets ?? 0), bytes: Number(bytes ?? 0) });
      }
      return;
    }
    const rule = RULE_LINE.exec(line);
    if (!rule) fail("cannot parse");
    const [, packets, bytes, name, spec] = rule!;
    if (!keep) return;
    const chain = byName.get(name) ?? fail(`rule for undeclared chain ${name}`);
    chain.rules.push({
      spec: normalizeIptSpec(spec ?? ""),
      ...(packets !== undefined ? { packets: Number(packets), bytes: Number(bytes) } : {}),
    });
  });
  if (table) throw new Error(`${save}: table ${table} has no COMMIT`);
  return { chains, policies };
}

/**
 * Minimal normalisation: trim, and collapse runs of whitespace outside double
 * quotes to one space (iptables-save prints single spaces and quotes only
 * arguments with spaces, e.g. --comment "a b"). Nothing else: the renderer
 * emits the exact form iptables-save prints (/32, --set-xmark, option order;
 * see tests/fixtures/kernel/NORMALISATION.md), so a difference is a real one.
 */
export function normalizeIptSpec(spec: string): string {
  let out = "";
  let quoted = false;
  for (const ch of spec.trim()) {
    if (ch === '"' && !out.endsWith("\\")) quoted = !quoted; // iptables-save escapes quotes as \"
    if (!quoted && /\s/.test(ch)) {
      if (!out.endsWith(" ")) out += " ";
    } else {
      out += ch;
    }
  }
  return out;
}
