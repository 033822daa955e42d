// plan, the netfilter part: desired vs observed chains, hooks and sets, on owned objects only,
// across both backends (a backend switch installs one and removes the other in one apply). Pure.
import type { ObservedState } from "@/lib/net/observe";
import type { IptChain, IptHook, KernelState, PlanLine } from "@/lib/net/types";
import { hookLines, iptChainDeleteLine, iptChainLines, planHooks } from "./iptables/plan";
import { isNftChain } from "./chains";
import { nftChainDeleteLine, nftChainLines, nftHeadLines, nftTailLines, planNft, type NftPlan } from "./nftables/plan";
import { baseText } from "./nftables/text";

/** What one apply changes in the netfilter part. */
export interface FirewallPlan {
  /** iptables and nftables chains (table "nft") */
  chainsToReplace: IptChain[];
  chainsToDelete: IptChain[];
  /** nftables: Switchyard's table, its sets and maps */
  nft: NftPlan;
  hooksToAdd: IptHook[];
  hooksToDelete: IptHook[];
}

/** Two chains with the same rules in the same order (counters aside), and the same hook (nftables base chains). */
export const sameRules = (a: IptChain | undefined, b: IptChain | undefined): boolean =>
  Boolean(
    a &&
      b &&
      a.rules.length === b.rules.length &&
      a.rules.every((r, i) => r.spec === b.rules[i].spec) &&
      (a.base ? baseText(a.base) : "") === (b.base ? baseText(b.base) : ""),
  );

/** A chain's identity: its family too, so ip6tables' SWYD-PRE is not iptables' (nftables' and IPv4's carry none). */
export const chainKey = (c: IptChain): string => `${c.family ?? ""}|${c.table}|${c.name}`;

function planChains(desired: IptChain[], observed: IptChain[]) {
  const byKey = new Map(observed.map((c) => [chainKey(c), c]));
  const same = sameRules;
  const wanted = new Set(desired.map(chainKey));
  return {
    chainsToReplace: desired.filter((c) => {
      const o = byKey.get(chainKey(c));
      return !o || !same(c, o);
    }),
    chainsToDelete: observed.filter((c) => !wanted.has(chainKey(c))),
  };
}

export function planFirewall(desired: KernelState, observed: ObservedState | KernelState): FirewallPlan {
  const p = { ...planChains(desired.chains, observed.chains), nft: planNft(desired, observed), ...planHooks(desired.hooks, observed.hooks) };
  // deleting the table takes its chains with it
  return p.nft.deleteTable ? { ...p, chainsToDelete: p.chainsToDelete.filter((c) => !isNftChain(c)) } : p;
}

/** The plan lines of the netfilter part, in the order the plan shows them (between the rules added and the rules deleted). */
export function firewallPlanLines(p: FirewallPlan, observed: Pick<KernelState, "chains" | "sets">): PlanLine[] {
  const chainLines = (c: IptChain, before: IptChain | undefined) => (isNftChain(c) ? nftChainLines(c, before) : iptChainLines(c, before));
  return [
    ...nftHeadLines(p.nft),
    ...p.chainsToReplace.flatMap((c) =>
      chainLines(
        c,
        observed.chains.find((o) => chainKey(o) === chainKey(c)),
      ),
    ),
    ...hookLines(p),
    ...p.chainsToDelete.map((c) => (isNftChain(c) ? nftChainDeleteLine(c) : iptChainDeleteLine(c))),
    ...nftTailLines(p.nft, observed),
  ];
}
