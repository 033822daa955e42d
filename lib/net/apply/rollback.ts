// Rollback: converge the gateway back to the snapshot an apply took before its first change:
// the owned state, the owned sysctls, the foreign objects it removed or replaced, and the
// netfilter skeleton its iptables-nft calls created; then say whether it is exact.
import type { Target } from "@/lib/net/exec";
import { observeKernel, type ObservedState } from "@/lib/net/observe";
import { planChanges } from "@/lib/net/plan";
import { restoreFirewall } from "@/lib/net/firewall/apply";
import { foreignChainDifferences, loadForeignChains } from "@/lib/net/firewall";
import { restoreSkeleton } from "@/lib/net/firewall/skeleton";
import { foreignDifferences, foreignRestore } from "./foreign";
import { ipBatch, routeLine, ruleLine } from "./ip-batch";
import { writeSysctls } from "./sysctls";
import { restoreRa } from "@/lib/net/ra/apply";

export interface RestoreResult {
  exact: boolean;
  /** what still differs from the snapshot, one line each ("+ ip rule ...", "- iptables -t mangle -A ...") */
  differences: string[];
}

/** Converge the owned state back to a snapshot; -force so one bad line does not stop the rest. */
export async function restoreSnapshot(target: Target, snapshot: ObservedState): Promise<RestoreResult> {
  if (snapshot.sysctls) await writeSysctls(target, snapshot.sysctls).catch(() => undefined);
  const now = await observeKernel(target);
  const back = planChanges(snapshot, now);
  await ipBatch(target, [...back.routesToReplace.map((r) => routeLine("replace", r)), ...back.rulesToAdd.map((r) => ruleLine("add", r))], true).catch(
    () => undefined,
  );
  await restoreFirewall(target, snapshot, back, now).catch(() => undefined);
  await ipBatch(target, [...back.rulesToDelete.map((r) => ruleLine("del", r)), ...back.routesToDelete.map((r) => routeLine("del", r))], true).catch(
    () => undefined,
  );
  // foreign objects the apply removed (a take over) or replaced in place: back where they were
  if (foreignRestore(snapshot, now).missing > 0) {
    const foreign = foreignRestore(snapshot, await observeKernel(target));
    await ipBatch(target, foreign.ipLines, true).catch(() => undefined);
    if (foreign.iptablesInput) await loadForeignChains(target, foreign.iptablesInput);
  }
  // tables and built-in chains the apply's iptables-nft calls created: removed while empty, else named
  const skeleton = snapshot.skeleton
    ? await restoreSkeleton(target, snapshot.skeleton).catch((e) => [`nftables chains not compared: ${e instanceof Error ? e.message : e}`])
    : [];
  // router advertisements (lib/net/ra): our radvd's file and process as they were
  const ra = snapshot.ra ? await restoreRa(target, snapshot.ra) : [];
  const after = await observeKernel(target);
  const owned = planChanges(snapshot, after).lines.map((l) => `${l.op} ${l.text}`);
  const differences = [...owned, ...foreignDifferences(snapshot, after), ...foreignChainDifferences(snapshot, after), ...skeleton, ...ra];
  return { exact: differences.length === 0, differences };
}
