// The names of Switchyard's own netfilter chains: the same on both backends (iptables chains in
// mangle, nat and filter; chains of the nftables table inet switchyard). Pure, with no import of
// a backend or of exec: client components may import it.
import { CHAIN_PREFIX, type IptChain } from "@/lib/net/types";

export const CHAINS = {
  pre: `${CHAIN_PREFIX}PRE`,
  mark: `${CHAIN_PREFIX}MARK`,
  post: `${CHAIN_PREFIX}POST`,
  acct: `${CHAIN_PREFIX}ACCT`,
  tail: `${CHAIN_PREFIX}TAIL`,
  guard: `${CHAIN_PREFIX}GUARD`,
} as const;

/** Is this chain one of Switchyard's nftables table (table "nft"), not an iptables chain? Pure: the Live page's client component tells them apart with it. */
export const isNftChain = (c: Pick<IptChain, "table">): boolean => c.table === "nft";

/** The rules of Switchyard's chain of this name in a state, as their specs (none when it has no such chain). */
export const chainSpecs = (state: { chains: IptChain[] }, name: string): string[] => state.chains.find((c) => c.name === name)?.rules.map((r) => r.spec) ?? [];
