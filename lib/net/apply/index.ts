// apply: make the kernel match the desired state, in a handful of processes
// whatever the number of hosts, new before old, journaled, and undone on failure.
//
//   1 ip -batch        routes (replace) then new rules: tables are ready before rules point at them
//   2 firewall         nftables: one `nft -f`, the whole change to table inet switchyard as one
//                      transaction; iptables: one iptables-restore, our chains swapped in one
//                      transaction per table, hooks added (both when the backend switches: the
//                      new one installed, then the old one removed)
//   3 ip -batch        stale rules, then stale routes (old goes last: no gap for traffic)
//   + takeover         only for an adopted config: the old admin's objects it replaces, deleted now
//                      that the new state is in (an ApplyExtension: lib/adopt/takeover.ts)
//   + ra             router advertisements: Switchyard's own radvd made to match (lib/net/ra; only
//                      when RA is on, ours runs, or a LAN has a /64), its snapshot in `before.ra`
//   4 conntrack        flows whose mark is not their source's mark now (moved hosts, unlisted
//                      addresses after a default-ISP change): one listing, one batched delete
// If a step fails, the gateway is converged back to the snapshot taken before step 1.
import type { Target } from "@/lib/net/exec";
import { observeKernel, type ObservedState } from "@/lib/net/observe";
import { conntrackLines, movedName, planChanges, type Plan } from "@/lib/net/plan";
import type { GatewayConfig } from "@/lib/model";
import type { KernelState } from "@/lib/net/types";
import { applyFirewall, firewallSummary } from "@/lib/net/firewall/apply";
import { readSkeleton } from "@/lib/net/firewall/skeleton";
import { FAULT_ROUTE } from "@/lib/failpoints";
import { clearStaleFlows } from "./flows";
import { ipBatch, routeLine, ruleLine } from "./ip-batch";
import { precheck, precheckReads } from "./precheck";
import { restoreSnapshot, type RestoreResult } from "./rollback";
import { sysctlChanges, sysctlLine, writeSysctls } from "./sysctls";
import { applyRa, raRelevant, raSnapshot } from "@/lib/net/ra/apply";

export { clearFlows, clearStaleFlows, flowGone, listFlows, staleFlowDeletes } from "./flows";
export { mainDefaultNote } from "./precheck";
export { restoreSnapshot, type RestoreResult } from "./rollback";
export { OWNED_SYSCTLS, parseSysctl, sysctlChanges, sysctlKeys, sysctlLine, sysctlProblems } from "./sysctls";

export type ApplyStepName = "precheck" | "sysctls" | "routing" | "firewall" | "cleanup" | "takeover" | "ra" | "conntrack";

export interface StepEvent {
  step: ApplyStepName | "observe" | "plan" | "verify" | "rollback";
  state: "running" | "ok" | "failed" | "skipped";
  detail?: string;
  durationMs?: number;
}

export interface ApplyOptions {
  onStep?: (e: StepEvent) => void;
  /** testing aid: make this step fail with a command the kernel rejects */
  fault?: ApplyStepName;
  /** connections of moved hosts are cleared unless this is false */
  clearMovedConnections?: boolean;
  /** failback "keep": flows on an ISP that is up are left alone (see StaleOptions) */
  keepFlowsOnUpIsps?: boolean;
  /** called once the plan is known and the precheck passed, before the first kernel change (the intent record) */
  beforeChanges?: (before: ObservedState, plan: Plan) => Promise<void>;
  /** called after each step that changed the kernel (the intent's progress; a test's kill point) */
  afterStep?: (step: Exclude<ApplyStepName, "ra">) => Promise<void>;
}

export interface ApplyOutcome {
  ok: boolean;
  plan: Plan;
  before: ObservedState;
  failedStep?: ApplyStepName;
  error?: string;
  rolledBack: boolean;
  /** after a rollback: does the gateway equal the snapshot again (owned state, the foreign objects it touched, the netfilter skeleton)? */
  restoredExactly?: boolean;
  /** after a rollback that is not exact: what still differs, one line each */
  rollbackDifferences?: string[];
}

export interface ApplyInput {
  target: Target;
  desired: KernelState;
  /** for finding flows with a stale mark (they are cleared) */
  config?: GatewayConfig;
  /** address -> interface that must carry it before we apply (link and NAT addresses) */
  requiredAddresses?: Map<string, string>;
  /** a feature's own step run as "takeover" (adopt's take over of the old admin's objects) */
  extension?: ApplyExtension;
}

/**
 * A step a feature adds to the apply (lib/adopt's take over), run after the cleanup step, when
 * the new state is in: the core defines it, the feature implements it (the core never imports
 * a feature). A rollback puts back what it removed (the snapshot's foreign objects).
 */
export interface ApplyExtension {
  /** its part of the plan, against the snapshot: the plan with `takeover` and its lines */
  plan(plan: Plan, before: ObservedState, desired: KernelState): Plan;
  /** run it (`fault`, a testing aid: make the kernel refuse its last input); its detail line */
  run(target: Target, plan: Plan, fault: boolean): Promise<string>;
}

export async function applyDesired(input: ApplyInput, opts: ApplyOptions = {}): Promise<ApplyOutcome> {
  const { target, desired } = input;
  const emit = (e: StepEvent) => opts.onStep?.(e);
  const timed = async (step: StepEvent["step"], fn: () => Promise<string | void>) => {
    const t = performance.now();
    emit({ step, state: "running" });
    const detail = (await fn()) || undefined;
    emit({ step, state: "ok", detail, durationMs: Math.round(performance.now() - t) });
  };

  let before!: ObservedState;
  let plan!: Plan;
  const reads = precheckReads(target, input.config);
  reads.catch(() => undefined); // awaited (and its failure reported) by the precheck
  await timed("observe", async () => {
    const [observed, skeleton] = await Promise.all([observeKernel(target), readSkeleton(target)]);
    before = skeleton ? { ...observed, skeleton } : observed;
    // a configuration without IPv6 LANs and without our radvd: nothing read, nothing added
    if (raRelevant(input.config, target)) before = { ...before, ra: raSnapshot(target) };
    return `${before.rules.length} owned rules, ${before.routes.length} owned routes, ${before.chains.length} owned chains; ${before.foreign.rules.length + before.foreign.routes.length + before.foreign.chains.length} foreign objects left alone`;
  });
  await timed("plan", async () => {
    plan = planChanges(desired, before, input.config);
    if (input.extension) plan = input.extension.plan(plan, before, desired);
    return plan.empty ? "nothing to change" : `${plan.lines.length} changes`;
  });

  let current: ApplyStepName = "precheck";
  const steps: [ApplyStepName, () => Promise<string | void>][] = [
    [
      "precheck",
      async () => {
        const r = await precheck(reads, desired, plan, before, input.requiredAddresses ?? new Map(), input.config);
        const changes = sysctlChanges(r.sysctls);
        if (changes.length) {
          // the snapshot keeps what they were, so any rollback puts them back
          before = { ...before, sysctls: Object.fromEntries(changes.filter((c) => r.sysctls.has(c.key)).map((c) => [c.key, c.from])) };
          plan = { ...plan, sysctls: changes, empty: false, lines: [...changes.map(sysctlLine), ...plan.lines] };
        }
        return r.detail;
      },
    ],
    [
      "sysctls",
      async () => {
        const changes = plan.sysctls ?? [];
        await writeSysctls(target, Object.fromEntries(changes.map((c) => [c.key, c.to])));
        return changes.map((c) => `${c.key} = ${c.to} (was ${c.from})`).join("; ");
      },
    ],
    [
      "routing",
      async () => {
        const lines = [...plan.routesToReplace.map((r) => routeLine("replace", r)), ...plan.rulesToAdd.map((r) => ruleLine("add", r))];
        await ipBatch(target, opts.fault === "routing" ? [...lines, FAULT_ROUTE] : lines);
        return `${plan.routesToReplace.length} routes, ${plan.rulesToAdd.length} rules added`;
      },
    ],
    [
      "firewall",
      async () => {
        await applyFirewall(target, plan, before, opts.fault === "firewall");
        return firewallSummary(plan);
      },
    ],
    [
      "cleanup",
      async () => {
        const lines = [...plan.rulesToDelete.map((r) => ruleLine("del", r)), ...plan.routesToDelete.map((r) => routeLine("del", r))];
        await ipBatch(target, opts.fault === "cleanup" ? [...lines, FAULT_ROUTE] : lines);
        return `${plan.rulesToDelete.length} stale rules, ${plan.routesToDelete.length} stale routes removed`;
      },
    ],
    ["takeover", async () => input.extension!.run(target, plan, opts.fault === "takeover")],
    ["ra", async () => applyRa(target, input.config!, before.ra!)],
    [
      "conntrack",
      async () => {
        if (opts.clearMovedConnections === false || !input.config) return "skipped";
        const cleared = await clearStaleFlows(target, input.config, opts.keepFlowsOnUpIsps);
        plan = { ...plan, movedHosts: cleared, lines: [...plan.lines.filter((l) => l.kind !== "conntrack"), ...conntrackLines(cleared)] };
        const flows = cleared.reduce((n, h) => n + h.flows, 0);
        return cleared.length === 0
          ? "no connection carries a stale mark"
          : `${flows} connection${flows === 1 ? "" : "s"} of ${cleared.length} address${cleared.length === 1 ? "" : "es"} cleared (${cleared.map(movedName).join(", ")})`;
      },
    ],
  ];
  try {
    for (const [name, fn] of steps) {
      current = name;
      // the conntrack step always looks: after an interrupted apply the rules are new and the flows old
      if (name === "ra") {
        // whatever the kernel plan: a health change alone changes what is advertised
        if (before.ra && input.config) await timed(name, fn);
        continue;
      }
      if (name !== "precheck" && name !== "conntrack" && plan.empty) {
        emit({ step: name, state: "skipped", detail: "nothing to change" });
        continue;
      }
      if (name === "sysctls" && !plan.sysctls?.length) {
        emit({ step: name, state: "skipped", detail: "the owned sysctls are already set" });
        continue;
      }
      if (name === "takeover" && !plan.takeover?.lines.length) {
        emit({
          step: name,
          state: "skipped",
          detail: plan.takeover ? `nothing to take over (${plan.takeover.kept.join("; ") || "no old objects"})` : "no take over staged",
        });
        continue;
      }
      await timed(name, fn);
      if (name === "precheck") await opts.beforeChanges?.(before, plan);
      else await opts.afterStep?.(name);
    }
    return { ok: true, plan, before, rolledBack: false };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    emit({ step: current, state: "failed", detail: error });
    if (current === "precheck") return { ok: false, plan, before, failedStep: current, error, rolledBack: false };
    let restored: RestoreResult = { exact: false, differences: [] };
    await timed("rollback", async () => {
      restored = await restoreSnapshot(target, before);
      return restored.exact ? "the gateway is back exactly as it was" : `rollback left differences: ${restored.differences.join("; ")}`;
    });
    return {
      ok: false,
      plan,
      before,
      failedStep: current,
      error,
      rolledBack: true,
      restoredExactly: restored.exact,
      ...(restored.exact ? {} : { rollbackDifferences: restored.differences }),
    };
  }
}
