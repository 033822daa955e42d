// plan, iptables backend: the jumps from the built-in chains into Switchyard's, and the plan
// lines for its chains. Pure.
import type { IptChain, IptHook, PlanLine } from "@/lib/net/types";

const hookKey = (h: IptHook) => `${h.family ?? ""}|${h.table}|${h.chain}|${h.spec}`;
/** the tool a line names: ip6tables for IPv6's chains and hooks */
const tool = (x: { family?: 6 }) => (x.family === 6 ? "ip6tables" : "iptables");

export function planHooks(desired: IptHook[], observed: IptHook[]) {
  const wanted = new Set(desired.map(hookKey));
  const counted = new Map<string, number>();
  const hooksToDelete: IptHook[] = [];
  for (const h of observed) {
    const n = (counted.get(hookKey(h)) ?? 0) + 1;
    counted.set(hookKey(h), n);
    // a hook we no longer want, or a second copy of one we do (someone re-ran a script)
    if (!wanted.has(hookKey(h)) || n > 1) hooksToDelete.push(h);
  }
  const hooksToAdd = desired.filter((h) => !counted.has(hookKey(h)));
  // The mark re-assertion only works last: a rule appended after it is moved behind (appended anew, the old one deleted).
  for (const h of desired.filter((d) => d.last)) {
    const o = observed.find((x) => hookKey(x) === hookKey(h));
    if (o && o.last === false && !hooksToDelete.includes(o)) {
      hooksToAdd.push(h);
      hooksToDelete.push(o);
    }
  }
  return { hooksToAdd, hooksToDelete };
}

export const hookLines = (p: { hooksToAdd: IptHook[]; hooksToDelete: IptHook[] }): PlanLine[] => [
  ...p.hooksToAdd.map(
    (h): PlanLine => ({ op: "+", kind: "hook", text: `${tool(h)} -t ${h.table} ${h.last ? "-A" : "-I"} ${h.chain}${h.last ? "" : " 1"} ${h.spec}` }),
  ),
  ...p.hooksToDelete.map((h): PlanLine => ({ op: "-", kind: "hook", text: `${tool(h)} -t ${h.table} -D ${h.chain} ${h.spec}` })),
];

export function iptChainLines(c: IptChain, before: IptChain | undefined): PlanLine[] {
  if (!before)
    return [
      { op: "+", kind: "chain", text: `${tool(c)} -t ${c.table} -N ${c.name} (${c.rules.length} rules)` },
      ...c.rules.map((r): PlanLine => ({ op: "+", kind: "chain", text: `-t ${c.table} -A ${c.name} ${r.spec}` })),
    ];
  const old = new Set(before.rules.map((r) => r.spec));
  const now = new Set(c.rules.map((r) => r.spec));
  const out: PlanLine[] = [{ op: "~", kind: "chain", text: `${tool(c)} -t ${c.table} ${c.name}: replaced as one transaction` }];
  for (const r of before.rules) if (!now.has(r.spec)) out.push({ op: "-", kind: "chain", text: `-t ${c.table} -A ${c.name} ${r.spec}` });
  for (const r of c.rules) if (!old.has(r.spec)) out.push({ op: "+", kind: "chain", text: `-t ${c.table} -A ${c.name} ${r.spec}` });
  return out;
}

export const iptChainDeleteLine = (c: IptChain): PlanLine => ({
  op: "-",
  kind: "chain",
  text: `${tool(c)} -t ${c.table} -X ${c.name} (${c.rules.length} rules)`,
});
