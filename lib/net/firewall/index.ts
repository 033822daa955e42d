// lib/net/firewall: everything that knows iptables from nftables. The rest of lib/net and the
// engine ask these functions; no file outside this folder names a backend.
//   detect.ts      which backend a gateway uses (the setting, the kernel, the machine)
//   types.ts       the Firewall interface both backends implement
//   chains.ts      the names of Switchyard's chains (the same on both)
//   plan.ts        the netfilter part of a plan, across both backends (a switch holds both)
//   observe.ts     the netfilter part of an observe (iptables-save, the other variant, nft)
//   apply.ts       the firewall step of an apply and of a rollback
//   iptables/      render, text, plan lines, the backend object
//   nftables/      render, text, plan (table, sets), the backend object
import type { FirewallBackend } from "@/lib/model";
import type { Target } from "@/lib/net/exec";
import type { IptChain, KernelState } from "@/lib/net/types";
import { iptables } from "./iptables";
import { nftables } from "./nftables";
import type { Firewall } from "./types";

export * from "./detect";
/** the foreign rules of iptables' built-in chains (whatever backend Switchyard runs on): put back by a rollback */
export { builtinRestore as foreignChainRestore, builtinDifferences as foreignChainDifferences, builtinDelete as foreignChainDelete } from "./iptables/builtins";
/** load a foreign-chain input (iptables-restore --noflush); a rollback's restore goes on past a failure, a take over's delete does not */
export const loadForeignChains = (target: Target, input: string, opts = { allowFailure: true }) => iptables.load(target, input, opts);
export { CHAINS, chainSpecs } from "./chains";
export type { Firewall, FirewallPart, OldJob } from "./types";

/** Both backends, in the order an apply runs them (on a switch, nftables' change goes first). */
export const FIREWALLS: readonly Firewall[] = [nftables, iptables];

export const firewallFor = (backend: FirewallBackend): Firewall => (backend === "nftables" ? nftables : iptables);

/** The backend a chain belongs to. */
export const firewallOfChain = (chain: IptChain): Firewall => (nftables.owns(chain) ? nftables : iptables);

/** The backend a rendered state is for (a rendered state holds one backend's chains; one without chains counts as iptables). */
export const firewallOfState = (state: Pick<KernelState, "chains">): Firewall => (state.chains.some(nftables.owns) ? nftables : iptables);

/** Switchyard's chain of this name as a base chain of its own table (with its hook and priority), if the kernel runs one. */
export const ownBaseChain = (observed: Pick<KernelState, "chains">, name: string): IptChain | undefined =>
  observed.chains.find((c) => c.name === name && firewallOfChain(c).ownBaseChains);
