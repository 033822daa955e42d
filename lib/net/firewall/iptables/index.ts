// The iptables backend: Switchyard's chains in mangle, nat and filter (their names start with
// SWYD-) and one jump into each from a built-in chain. Applied with `iptables-restore
// --noflush`: declaring our own chains replaces just them, one transaction per table. With IPv6
// the same for ip6tables (chains and hooks of family 6): one transaction per family and table.
import { run, type Target } from "@/lib/net/exec";
import type { Family } from "@/lib/net/family";
import { FAULT_IPTABLES_LINE } from "@/lib/failpoints";
import { parseIptablesSave } from "@/lib/net/parse/iptables-save";
import type { IptChain, IptTable, PlanLine } from "@/lib/net/types";
import type { Firewall, FirewallPart, OldJob } from "../types";
import { CHAINS, chainSpecs } from "../chains";
import type { FirewallPlan } from "../plan";
import { renderIptables } from "./render";
import { joinFamilies, renderIptablesRestore, splitFamilies } from "./text";

const owns = (c: IptChain) => c.table !== "nft";
const toolOf = (c: { family?: 6 }) => (c.family === 6 ? "ip6tables" : "iptables");

/** One family's iptables-restore input for the chain and hook part of a plan. */
function familyInput(plan: FirewallPlan, family: Family, fault: boolean): string {
  const extra: Partial<Record<IptTable, string[]>> = {};
  const push = (t: IptTable, line: string) => (extra[t] ??= []).push(line);
  const mine = <T extends { family?: 6 }>(x: T) => (x.family ?? 4) === family;
  for (const h of plan.hooksToAdd.filter(mine)) push(h.table, h.last ? `-A ${h.chain} ${h.spec}` : `-I ${h.chain} 1 ${h.spec}`);
  for (const h of plan.hooksToDelete.filter(mine)) push(h.table, `-D ${h.chain} ${h.spec}`);
  // all flushed before any is deleted: a chain still jumped to by another (SWYD-PRE -> SWYD-MARK) cannot go
  const gone = plan.chainsToDelete.filter(owns).filter(mine);
  for (const c of gone) push(c.table as IptTable, `-F ${c.name}`);
  for (const c of gone) push(c.table as IptTable, `-X ${c.name}`);
  if (fault) push("nat", FAULT_IPTABLES_LINE);
  return renderIptablesRestore(plan.chainsToReplace.filter(owns), extra, family);
}

/** The input for the chain and hook part of a plan: iptables-restore's, then ip6tables-restore's (./text.ts joinFamilies). */
export const iptablesInput = (plan: FirewallPlan, fault = false): string => joinFamilies(familyInput(plan, 4, fault), familyInput(plan, 6, false));

/** Both families' chains as their two restore inputs, joined. */
const chainsInput = (chains: IptChain[]): string => joinFamilies(renderIptablesRestore(chains), renderIptablesRestore(chains, {}, 6));

/** iptables-restore, then ip6tables-restore: each family's tables are separate transactions (a failing v6 input leaves the v4 one applied). */
async function load(target: Target, input: string, opts?: { allowFailure?: boolean }): Promise<{ exitCode: number }> {
  const { v4, v6 } = splitFamilies(input);
  const r4 = v4 || !v6 ? await run(target, "iptables-restore", ["--noflush"], { input: v4, allowFailure: opts?.allowFailure }) : { exitCode: 0 };
  if (!v6) return r4;
  const r6 = await run(target, "ip6tables-restore", ["--noflush"], { input: v6, allowFailure: opts?.allowFailure });
  return { exitCode: r4.exitCode || r6.exitCode };
}

/** What a plan does to one family's chains and hooks, for the apply step's line. */
function familySummary(plan: FirewallPlan, family: Family): string[] {
  const mine = <T extends { family?: 6 }>(x: T) => (x.family ?? 4) === family;
  const tool = family === 6 ? "ip6tables" : "iptables";
  const swapped = plan.chainsToReplace.filter(owns).filter(mine).length;
  const added = plan.hooksToAdd.filter(mine).length;
  const removed = plan.chainsToDelete.filter(owns).filter(mine).length;
  return [swapped || added ? `${tool}: ${swapped} chains swapped, ${added} hooks added` : "", removed ? `${tool}: ${removed} chains removed` : ""];
}

/** The take over's replacement of an old rule, as the iptables command that adds Switchyard's. */
function replacementOf(desired: FirewallPart, job: OldJob): string | null {
  const own = (chain: string, spec: string | undefined) => (spec ? `iptables -A ${chain} ${spec}` : null);
  if (job.kind === "mark") {
    const marks = chainSpecs(desired, CHAINS.mark);
    const everyoneElse = marks.find((s) => s.startsWith("-m mark --mark 0x0/"));
    return own(CHAINS.mark, (job.host ? marks.find((s) => s.startsWith(`-s ${job.host}/32 `)) : undefined) ?? everyoneElse);
  }
  const post = job.out ? chainSpecs(desired, CHAINS.post).filter((s) => s.includes(` -o ${job.out} `)) : [];
  return own(CHAINS.post, (job.host ? post.find((s) => s.startsWith(`-s ${job.host}/32 `)) : undefined) ?? post.at(-1));
}

export const iptables: Firewall = {
  name: "iptables",
  ownBaseChains: false,
  owns,
  render: renderIptables,
  fullInput: (state) => chainsInput(state.chains),
  scriptLines(state) {
    const lines = ["", "# Packet marks, connection marks and NAT, in Switchyard's own chains", "iptables-restore --noflush <<'EOF'"];
    lines.push(renderIptablesRestore(state.chains).trimEnd(), "EOF");
    const v6 = renderIptablesRestore(state.chains, {}, 6);
    if (v6) lines.push("", "# The same for IPv6 (marks by MAC, the prefix translations)", "ip6tables-restore --noflush <<'EOF'", v6.trimEnd(), "EOF");
    lines.push("", "# One jump from each built-in chain into Switchyard's (the mark re-assertion goes last)");
    for (const h of state.hooks) {
      const add = h.last ? `-A ${h.chain}` : `-I ${h.chain} 1`;
      const tool = h.family === 6 ? "ip6tables" : "iptables";
      lines.push(`${tool} -t ${h.table} -C ${h.chain} ${h.spec} 2>/dev/null || ${tool} -t ${h.table} ${add} ${h.spec}`);
    }
    return lines;
  },
  applyInput: (plan, _observed, fault = false) => iptablesInput(plan, fault),
  load,
  differs: (back) => iptablesInput(back) !== "",
  restoreInput: (_snapshot, back) => iptablesInput(back),
  summary: (plan) => [...familySummary(plan, 4), ...familySummary(plan, 6)],
  // ip6tables' mangle too (its chains tagged family 6; empty where it has none)
  readChains: async (target) => {
    const [v4, v6] = await Promise.all([
      run(target, "iptables-save", ["-t", "mangle"]),
      run(target, "ip6tables-save", ["-t", "mangle"], { allowFailure: true }),
    ]);
    return [...parseIptablesSave(v4.stdout).chains, ...(v6.exitCode === 0 ? parseIptablesSave(v6.stdout, 6).chains : [])];
  },
  swapInput: (changed) => chainsInput(changed),
  swapLines: (c): PlanLine[] => [
    { op: "~", kind: "chain", text: `${toolOf(c)} -t mangle ${c.name}: replaced as one transaction` },
    ...c.rules.map((r): PlanLine => ({ op: "+", kind: "chain", text: `-t mangle -A ${c.name} ${r.spec}` })),
  ],
  chainLabel: (c) => `${toolOf(c)} -t mangle`,
  vanished: (desired, observed) =>
    desired.chains.length && !observed.chains.some(owns)
      ? "its iptables chains are gone (an `nft flush ruleset`, a firewall service reloading its own ruleset, or iptables-restore without --noflush)"
      : null,
  replacementOf,
};
