// The whole pipeline for one apply: render -> observe -> plan -> apply -> verify
// (-> roll back if verification fails) -> a report. No database here: the
// caller records the revision (lib/engine/service.ts), the benchmark does not.
import type { GatewayConfig } from "@/lib/model";
import { lanSubnets6 } from "@/lib/net/render/ipv6";
import { render, activeIsps } from "@/lib/net/render";
import { applyDesired, restoreSnapshot, type ApplyInput, type ApplyOptions, type ApplyStepName, type StepEvent } from "@/lib/net/apply";
import { verifyKernel, type Probe, type VerifyReport } from "@/lib/net/verify";
import type { PlanLine } from "@/lib/net/plan";
import { cidrContains, parseCidr } from "@/lib/net/ipv4";
import { lansOf } from "@/lib/net/lans";
import { withJournal, type JournalEntry } from "@/lib/net/exec";
import { resolveFirewallOn } from "@/lib/net/firewall";
import type { ManagedTarget } from "./target";
import type { CanaryTargets } from "@/lib/net/canary/prove";
import { forcedFault } from "@/lib/failpoints";

export type { JournalEntry };

export type ApplyResultKind = "applied" | "unchanged" | "failed" | "rolled-back";

export interface ApplyReport {
  ok: boolean;
  result: ApplyResultKind;
  target: string;
  planLines: PlanLine[];
  movedHosts: string[];
  failedStep?: string;
  error?: string;
  rolledBack: boolean;
  restoredExactly?: boolean;
  /** after a rollback that is not exact: what still differs from before the apply, one line each */
  rollbackDifferences?: string[];
  verification?: VerifyReport;
  steps: StepEvent[];
  script: string;
  /** every command this apply ran, in order */
  journal: JournalEntry[];
  durationMs: number;
}

export interface RunOptions {
  probe?: Probe;
  /** undo the apply when verification fails (default true) */
  rollbackOnVerifyFailure?: boolean;
  /** testing aid: make this step fail (lib/failpoints.ts) */
  fault?: ApplyStepName | "verify";
  onStep?: (e: StepEvent) => void;
  /** the intent record: before the first kernel change, and after each step that made one */
  beforeChanges?: ApplyOptions["beforeChanges"];
  afterStep?: ApplyOptions["afterStep"];
  /** failback "keep" on the monitor's applies: established connections on an ISP that is up stay */
  keepFlowsOnUpIsps?: boolean;
  /** a feature's apply step: an adopted configuration's staged take over (lib/adopt takeoverStep) */
  extension?: ApplyInput["extension"];
  /** the probe targets of each ISP (its health targets): the canary proves every target through them */
  canaryTargets?: CanaryTargets;
}

/**
 * Addresses that must be on the gateway before applying: LAN, link and (for SNAT) NAT addresses.
 * Not those of a routed block: the ISP routes the block to the link address, SNAT to it needs no interface.
 */
export function requiredAddresses(config: GatewayConfig): Map<string, string> {
  const req = new Map<string, string>();
  for (const lan of lansOf(config)) for (const s of lan.subnets) req.set(parseCidr(s)!.address, lan.interface);
  // the gateway's IPv6 address on each LAN /64 (the hosts' router; its RA daemon announces the prefix)
  for (const s of lanSubnets6(config)) req.set(s.address, s.lan.interface);
  for (const isp of activeIsps(config)) {
    req.set(isp.linkAddress, isp.wanInterface);
    const routed = (a: string) => (isp.routedBlocks ?? []).some((b) => cidrContains(b, a));
    if (isp.natMode === "SNAT")
      for (const n of config.natAddresses.filter((n) => n.isp === isp.name && !routed(n.address))) req.set(n.address, isp.wanInterface);
  }
  return req;
}

export async function applyAndVerify(config: GatewayConfig, managed: ManagedTarget, opts: RunOptions = {}): Promise<ApplyReport> {
  const journal: JournalEntry[] = [];
  return withJournal(journal, () => runPipeline(config, managed, opts, journal));
}

async function runPipeline(userConfig: GatewayConfig, managed: ManagedTarget, opts: RunOptions, journal: JournalEntry[]): Promise<ApplyReport> {
  const started = performance.now();
  const config = await resolveFirewallOn(managed.target, userConfig);
  const rendered = render(config);
  const steps: StepEvent[] = [];
  const onStep = (e: StepEvent) => {
    steps.push(e);
    opts.onStep?.(e);
  };
  const base = { target: managed.label, script: rendered.script, steps, journal };
  const done = (r: Omit<ApplyReport, "target" | "script" | "steps" | "journal" | "durationMs">): ApplyReport => ({
    ...r,
    ...base,
    durationMs: Math.round(performance.now() - started),
  });

  // a step a test makes fail (lib/failpoints.ts): the option's, or the environment's
  const fault = forcedFault(opts.fault);
  const outcome = await applyDesired(
    { target: managed.target, desired: rendered.state, config, requiredAddresses: requiredAddresses(config), extension: opts.extension },
    {
      onStep,
      fault: fault === "verify" ? undefined : fault,
      beforeChanges: opts.beforeChanges,
      afterStep: opts.afterStep,
      keepFlowsOnUpIsps: opts.keepFlowsOnUpIsps,
    },
  );
  const common = { planLines: outcome.plan.lines, movedHosts: outcome.plan.movedHosts.map((h) => h.address) };
  if (!outcome.ok) {
    return done({
      ...common,
      ok: false,
      result: outcome.rolledBack ? "rolled-back" : "failed",
      failedStep: outcome.failedStep,
      error: outcome.error,
      rolledBack: outcome.rolledBack,
      restoredExactly: outcome.restoredExactly,
      rollbackDifferences: outcome.rollbackDifferences,
    });
  }

  onStep({ step: "verify", state: "running" });
  const t = performance.now();
  // the "verify" fault checks the NAT address against one nobody has, as a wrong SNAT would
  const probe: Probe | undefined =
    fault === "verify" && opts.probe
      ? async (a) => {
          const r = await opts.probe!(a);
          return r.ok ? { ok: true, seenAs: `${r.seenAs}-unexpected` } : r;
        }
      : opts.probe;
  const verification = await verifyKernel(managed.target, config, rendered.state, probe, opts.canaryTargets);
  onStep({
    step: "verify",
    state: verification.ok ? "ok" : "failed",
    durationMs: Math.round(performance.now() - t),
    detail: verification.summary,
  });
  if (verification.ok) {
    return done({
      ...common,
      ok: true,
      result: outcome.plan.empty && outcome.plan.movedHosts.length === 0 ? "unchanged" : "applied",
      rolledBack: false,
      verification,
    });
  }
  if (opts.rollbackOnVerifyFailure === false) {
    return done({ ...common, ok: false, result: "failed", failedStep: "verify", error: "verification failed", rolledBack: false, verification });
  }
  if (verification.upstreamOnly) {
    // the ruleset is what it should be; an ISP's internet is not there: undoing it would not bring it back
    return done({
      ...common,
      ok: false,
      result: "failed",
      failedStep: "verify",
      error: "verification failed: an ISP's upstream does not answer (kept: the ruleset is not at fault)",
      rolledBack: false,
      verification,
    });
  }
  onStep({ step: "rollback", state: "running" });
  const restored = await restoreSnapshot(managed.target, outcome.before);
  onStep({
    step: "rollback",
    state: restored.exact ? "ok" : "failed",
    detail: restored.exact ? "the gateway is back exactly as it was" : `rollback left differences: ${restored.differences.join("; ")}`,
  });
  return done({
    ...common,
    ok: false,
    result: "rolled-back",
    failedStep: "verify",
    error: "verification failed",
    rolledBack: true,
    restoredExactly: restored.exact,
    ...(restored.exact ? {} : { rollbackDifferences: restored.differences }),
    verification,
  });
}
