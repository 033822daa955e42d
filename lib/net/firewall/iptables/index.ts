// The iptables backend: Switchyard's chains in mangle, nat and filter (their names start with
// SWYD-) and one jump into each from a built-in chain. Applied with `iptables-restore
// --noflush`: declaring our own chains replaces just them, one transaction per table.
import { run } from "@/lib/net/exec";
import { FAULT_IPTABLES_LINE } from "@/lib/failpoints";
import { parseIptablesSave } from "@/lib/net/parse/iptables-save";
import type { IptChain, IptTable, PlanLine } from "@/lib/net/types";
import type { Firewall, FirewallPart, OldJob } from "../types";
import { CHAINS, chainSpecs } from "../chains";
import type { FirewallPlan } from "../plan";
import { renderIptables } from "./render";
import { renderIptablesRestore } from "./text";

const owns = (c: IptChain) => c.table !== "nft";

/** iptables-restore input for the chain and hook part of a plan. */
export function iptablesInput(plan: FirewallPlan, fault = false): string {
  const extra: Partial<Record<IptTable, string[]>> = {};
  const push = (t: IptTable, line: string) => (extra[t] ??= []).push(line);
  for (const h of plan.hooksToAdd) push(h.table, h.last ? `-A ${h.chain} ${h.spec}` : `-I ${h.chain} 1 ${h.spec}`);
  for (const h of plan.hooksToDelete) push(h.table, `-D ${h.chain} ${h.spec}`);
  // all flushed before any is deleted: a chain still jumped to by another (SWYD-PRE -> SWYD-MARK) cannot go
  const gone = plan.chainsToDelete.filter(owns);
  for (const c of gone) push(c.table as IptTable, `-F ${c.name}`);
  for (const c of gone) push(c.table as IptTable, `-X ${c.name}`);
  if (fault) push("nat", FAULT_IPTABLES_LINE);
  return renderIptablesRestore(plan.chainsToReplace.filter(owns), extra);
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
  fullInput: (state) => renderIptablesRestore(state.chains),
  scriptLines(state) {
    const lines = ["", "# Packet marks, connection marks and NAT, in Switchyard's own chains", "iptables-restore --noflush <<'EOF'"];
    lines.push(
      renderIptablesRestore(state.chains).trimEnd(),
      "EOF",
      "",
      "# One jump from each built-in chain into Switchyard's (the mark re-assertion goes last)",
    );
    for (const h of state.hooks) {
      const add = h.last ? `-A ${h.chain}` : `-I ${h.chain} 1`;
      lines.push(`iptables -t ${h.table} -C ${h.chain} ${h.spec} 2>/dev/null || iptables -t ${h.table} ${add} ${h.spec}`);
    }
    return lines;
  },
  applyInput: (plan, _observed, fault = false) => iptablesInput(plan, fault),
  load: (target, input, opts) => run(target, "iptables-restore", ["--noflush"], { input, allowFailure: opts?.allowFailure }),
  differs: (back) => iptablesInput(back) !== "",
  restoreInput: (_snapshot, back) => iptablesInput(back),
  summary(plan) {
    const swapped = plan.chainsToReplace.filter(owns).length;
    const removed = plan.chainsToDelete.filter(owns).length;
    return [
      swapped || plan.hooksToAdd.length ? `iptables: ${swapped} chains swapped, ${plan.hooksToAdd.length} hooks added` : "",
      removed ? `iptables: ${removed} chains removed` : "",
    ];
  },
  readChains: async (target) => parseIptablesSave((await run(target, "iptables-save", ["-t", "mangle"])).stdout).chains,
  swapInput: (changed) => renderIptablesRestore(changed),
  swapLines: (c): PlanLine[] => [
    { op: "~", kind: "chain", text: `iptables -t mangle ${c.name}: replaced as one transaction` },
    ...c.rules.map((r): PlanLine => ({ op: "+", kind: "chain", text: `-t mangle -A ${c.name} ${r.spec}` })),
  ],
  chainLabel: () => "iptables -t mangle",
  vanished: (desired, observed) =>
    desired.chains.length && !observed.chains.some(owns)
      ? "its iptables chains are gone (an `nft flush ruleset`, a firewall service reloading its own ruleset, or iptables-restore without --noflush)"
      : null,
  replacementOf,
};
