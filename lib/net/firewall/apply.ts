// The firewall step of an apply, and its part of a rollback, across both backends: on a switch,
// the new backend's state goes in and the old one's goes out in the same step.
import type { Target } from "@/lib/net/exec";
import type { ObservedState } from "@/lib/net/observe";
import type { KernelState } from "@/lib/net/types";
import { FIREWALLS } from "./index";
import type { FirewallPlan } from "./plan";

/** The firewall part of a plan, each backend in FIREWALLS' order; the fault (a testing aid) goes into the last input that runs, so the one before it has applied. */
export async function applyFirewall(target: Target, plan: FirewallPlan, observed: KernelState, fault = false): Promise<void> {
  const inputs = FIREWALLS.map((fw) => ({ fw, input: fw.applyInput(plan, observed) }));
  const last = inputs.map((x) => x.input !== "").lastIndexOf(true);
  const faultAt = last < 0 ? 0 : last;
  for (const [i, { fw, input }] of inputs.entries()) {
    const text = fault && i === faultAt ? fw.applyInput(plan, observed, true) : input;
    if (text) await fw.load(target, text);
  }
}

/** What the firewall step did, for its step line. */
export const firewallSummary = (plan: FirewallPlan): string =>
  FIREWALLS.flatMap((fw) => fw.summary(plan))
    .filter(Boolean)
    .join("; ") || "nothing to change";

/**
 * The firewall part of a rollback. nftables: the snapshot's table loaded whole in one
 * transaction (or the table deleted, if there was none), so it lists exactly as before,
 * chain order included; iptables: the differing chains swapped back. `now`: the kernel as the
 * rollback observed it (its routing batch before this step leaves netfilter as it was).
 */
export async function restoreFirewall(target: Target, snapshot: ObservedState, back: FirewallPlan, now: ObservedState): Promise<void> {
  for (const fw of FIREWALLS) {
    if (!fw.differs(back)) continue;
    const input = fw.restoreInput(snapshot, back, now);
    if (input) await fw.load(target, input, { allowFailure: true });
  }
}
