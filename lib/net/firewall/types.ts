// The firewall backend interface: what the core (render, plan, apply, rollback, the fast
// failover, status) asks of a netfilter backend. Two implementations: ./iptables and ./nftables.
// The backend is chosen once per apply (./detect.ts) and carried in the rendered state; a plan
// during a switch holds both backends' objects (the new one installed, the old one removed).
import type { GatewayConfig } from "@/lib/model";
import type { Target } from "@/lib/net/exec";
import type { IptChain, KernelState, PlanLine } from "@/lib/net/types";
import type { FirewallPlan } from "./plan";

export type FirewallPart = Pick<KernelState, "chains" | "hooks" | "sets">;

/** What an old hand-made object did, as the take over (lib/adopt/takeover.ts) reads it: it marked new
 *  connections (one host's, or everyone else's), or NATed them out of an interface (one host's, or all). */
export type OldJob = { kind: "mark"; host?: string } | { kind: "nat"; out?: string; host?: string };

export interface Firewall {
  readonly name: "iptables" | "nftables";
  /** true: Switchyard's chains are base chains of its own table, at fixed hook priorities (they run beside
   *  iptables' tables, by priority); false: they run where a jump from a built-in chain puts them */
  readonly ownBaseChains: boolean;
  /** is this chain one of this backend's? */
  owns(chain: IptChain): boolean;
  /** config -> this backend's part of the desired state. Pure. */
  render(config: GatewayConfig): FirewallPart;
  /** the input that installs the whole part on a gateway without it (the Ruleset page's "firewall input") */
  fullInput(state: FirewallPart): string;
  /** the readable script's netfilter part (the Ruleset page), starting with a blank line */
  scriptLines(state: FirewallPart): string[];
  /** this backend's share of a plan as its tool's input ("" = nothing to do); `fault` (a testing aid) makes the kernel refuse it */
  applyInput(plan: FirewallPlan, observed: FirewallPart, fault?: boolean): string;
  /** feed an input to the backend's tool (one transaction per table or ruleset) */
  load(target: Target, input: string, opts?: { allowFailure?: boolean }): Promise<{ exitCode: number }>;
  /** does a rollback plan touch this backend? */
  differs(back: FirewallPlan): boolean;
  /** the rollback input that puts this backend's part back to the snapshot, given what the kernel holds now */
  restoreInput(snapshot: FirewallPart & { nftTable?: boolean }, back: FirewallPlan, now: FirewallPart & { nftTable?: boolean }): string;
  /** the apply step's detail for this backend's share of a plan ("" when it has none) */
  summary(plan: FirewallPlan): string[];
  /** the fast failover: read this backend's target chains now (one process) */
  readChains(target: Target): Promise<IptChain[]>;
  /** the fast failover: swap only these chains, as one transaction */
  swapInput(changed: IptChain[], current: IptChain[]): string;
  /** the fast failover's plan lines for a chain it refills */
  swapLines(chain: IptChain): PlanLine[];
  /** "nft chain" / "iptables -t mangle": what a drifted target chain is, before its name */
  chainLabel(chain: IptChain): string;
  /** why this backend's part is missing from the kernel, when it is (the status page's "vanished"), else null */
  vanished(desired: FirewallPart, observed: FirewallPart & { nftTable?: boolean }): string | null;
  /** the take over: Switchyard's object in the desired state that does an old object's job, as this backend
   *  writes it (the host's rule or map element, else the rule for everyone else; the NAT rule out of that
   *  interface, the host's or else the interface's last); null when there is none */
  replacementOf(desired: FirewallPart, job: OldJob): string | null;
}
