// The built-in iptables chains' foreign rules (an old admin's, Docker's): a take over deletes
// some, a rollback inserts them back where they were, and says what still differs. Pure.
import type { ObservedState } from "@/lib/net/observe";
import type { IptTable } from "@/lib/net/types";
import { FAULT_IPTABLES_LINE } from "@/lib/failpoints";
import { renderIptablesRestore } from "./text";

type Side = Pick<ObservedState, "builtins">;

/** what the renderer passes (no quotes: a rule with a quoted comment was never one a take over removed) */
const RESTORABLE_SPEC = /^[A-Za-z0-9 _.:/!,-]+$/;

/** iptables-restore --noflush input inserting the snapshot's missing built-in-chain rules at their old positions. */
export function builtinRestore(snapshot: Side, now: Side): { input: string; missing: number } {
  const extra: Partial<Record<IptTable, string[]>> = {};
  let missing = 0;
  for (const chain of snapshot.builtins) {
    const cur = now.builtins.find((c) => c.table === chain.table && c.name === chain.name)?.rules.map((r) => r.spec) ?? [];
    chain.rules.forEach(({ spec }, i) => {
      if (cur[i] === spec || cur.slice(i).includes(spec) || !RESTORABLE_SPEC.test(spec)) return;
      // inserted where it was: the rules before it are back in place by now
      (extra[chain.table as IptTable] ??= []).push(`-I ${chain.name} ${i + 1} ${spec}`);
      cur.splice(i, 0, spec);
      missing++;
    });
  }
  return { input: renderIptablesRestore([], extra), missing };
}

/** iptables-restore --noflush input deleting these foreign rules of the built-in chains (a take over), one transaction per table. */
export function builtinDelete(rules: { table: IptTable; chain: string; spec: string }[], fault = false): string {
  const extra: Partial<Record<IptTable, string[]>> = {};
  for (const r of rules) (extra[r.table] ??= []).push(`-D ${r.chain} ${r.spec}`);
  // testing aid (ApplyOptions.fault = "takeover"): the nat block fails after the rules, routes and mangle rules went
  if (fault) (extra.nat ??= []).push(FAULT_IPTABLES_LINE);
  return renderIptablesRestore([], extra);
}

/** Built-in iptables chains whose rules are not the snapshot's, in order (a take over deletes and re-inserts foreign rules there). */
export function builtinDifferences(snapshot: Side, now: Side): string[] {
  const out: string[] = [];
  for (const c of snapshot.builtins) {
    const was = c.rules.map((r) => r.spec);
    const is = now.builtins.find((x) => x.table === c.table && x.name === c.name)?.rules.map((r) => r.spec) ?? [];
    if (was.join("\n") === is.join("\n")) continue;
    const missing = was.filter((r) => !is.includes(r));
    const extra = is.filter((r) => !was.includes(r));
    out.push(...missing.map((r) => `- iptables -t ${c.table} -A ${c.name} ${r}`), ...extra.map((r) => `+ iptables -t ${c.table} -A ${c.name} ${r}`));
    if (!missing.length && !extra.length) out.push(`~ iptables -t ${c.table} ${c.name}: the same rules in another order`);
  }
  return out;
}
