// Apply the staged configuration (or a past revision) and record the result.
// The UI, the CLI and boot all come through here, and so through the one apply
// lock (lib/engine/lock.ts), held from before the config is read until the
// revision is recorded, and through crash recovery (lib/engine/recovery.ts):
// what a dead apply left is converged before the next one starts.
import { db } from "@/lib/db";
import { getRevision, lastGoodRevision, leftAsIntended, newestRevision, recordRevision as insertRevision, userConfigOf } from "@/lib/data/revisions";
import { parseStoredConfig, validateStoredConfig } from "@/lib/data/stored";
import { formatIssues } from "@/lib/validation/issues";
import { emitEvent } from "@/lib/notify/events";
import { resolveFirewallOn } from "@/lib/net/firewall";
import { loadConfig, readTransaction, replaceConfig } from "@/lib/data/config";
import { recordAudit, type Actor } from "@/lib/data/audit";
import type { GatewayConfig } from "@/lib/model";
import type { StepEvent } from "@/lib/net/apply";
import { validateConfig } from "@/lib/validation";
import { applyAndVerify, type ApplyReport, type RunOptions } from "./run";
import { resolveTarget, type ManagedTarget } from "./target";
import { labHooks } from "./target-hooks";
import { writeRtTables } from "./rt-tables-file";
import { render } from "@/lib/net/render";
import { withApplyLock } from "./lock";
import { intentReached, writeIntent, type IntentStep } from "./intent";
import { failpoint } from "@/lib/failpoints";
import { ApplyNotRecordedError, dbFailure, recording } from "./db-failure";
import { recoverDeadIntents, recoverIntent, type Recovery } from "./recovery";
import { fastFailover } from "./fast-failover";
import { canonicalJson } from "./status";
import { canaryTargetsOf } from "./canary";
import { hasDynamicIsps } from "@/lib/net/dynamic";
import { runningConfig } from "./running";
import { loadLearned, recordLearned, revisionLearned } from "@/lib/data/learned";
import type { Target } from "@/lib/net/exec";
import { loadStagedTakeover } from "@/lib/adopt/store";
import type { Takeover } from "@/lib/adopt/types";
import { takeoverStep } from "@/lib/adopt/takeover";

export interface ApplyRequest {
  actor: Actor;
  source: "ui" | "cli" | "reapply" | "boot" | "monitor";
  managed?: ManagedTarget;
  onStep?: (e: StepEvent) => void;
  fault?: RunOptions["fault"];
  rollbackOnVerifyFailure?: boolean;
  /** how long to wait for another apply to finish (default SWITCHYARD_LOCK_WAIT_MS or 10 s) */
  lockWaitMs?: number;
  /** the monitor's applies: the user's configuration this one was derived from (stored as the revision's base) */
  base?: GatewayConfig;
  /** the admin's note for this apply, like a commit message (validated by revisionCommentSchema) */
  comment?: string;
  /**
   * The monitor's applies: false once what the apply was derived from is out of date (a newer
   * address event on a dynamic WAN). Asked before the first kernel change: the apply is then
   * abandoned (SupersededError), nothing changed, nothing recorded, and the newer state wins.
   */
  current?: () => boolean;
}

/** An apply abandoned before its first change because a newer state arrived (ApplyRequest.current). */
export class SupersededError extends Error {
  constructor() {
    super("superseded by a newer address event before any change: not applied");
    this.name = "SupersededError";
  }
}

export interface RecordedApply {
  revisionId: number;
  report: ApplyReport;
  /** interrupted applies of dead processes, converged before this one ran */
  recovered: Recovery[];
}

/**
 * The monitor's applies: like RecordedApply, but one that changed nothing (result "unchanged")
 * is not recorded (revisionId null): a flapping link or a monitor restart must not fill
 * History with revisions that say nothing. A user's apply is always recorded.
 */
export type DerivedApply = Omit<RecordedApply, "revisionId"> & { revisionId: number | null };

/** Monitor applies that changed nothing leave no revision (nor audit row). */
const skipsRecord = (req: ApplyRequest, report: ApplyReport) => req.source === "monitor" && report.result === "unchanged";

/** Only the monitor's applies go unrecorded: a user's always has its revision. */
function recordedOf(r: DerivedApply): RecordedApply {
  if (r.revisionId === null) throw new Error("an apply that had to be recorded was not");
  return { ...r, revisionId: r.revisionId };
}

/** Failback "keep": the monitor's applies leave established connections on ISPs that are up where they are. */
const keepsFlows = (req: ApplyRequest, user: GatewayConfig) => req.source === "monitor" && user.settings.failback === "keep";

/** Holding the lock: recover what dead applies left, then run fn. */
function locked<T>(req: ApplyRequest, fn: (recovered: Recovery[]) => Promise<T>): Promise<T> {
  return withApplyLock(`${req.actor.username} (${req.source}, pid ${process.pid})`, async () => fn(await recoverDeadIntents()), { waitMs: req.lockWaitMs });
}

/**
 * What the kernel should run for a user's configuration now (lib/engine/running.ts; the monitor
 * derives its own applies itself), with the learned addresses recorded and the failover said.
 */
async function withLiveHealth(config: GatewayConfig, req: ApplyRequest, target: Target): Promise<{ config: GatewayConfig; base?: GatewayConfig }> {
  if (req.source === "monitor") return { config, base: req.base };
  const last = hasDynamicIsps(config) ? await lastGoodRevision() : null;
  const r = await runningConfig(config, target, last ? parseStoredConfig(last.config, `the configuration of revision ${last.id}`) : null);
  if (hasDynamicIsps(config)) await recordLearned(config, r.learned);
  for (const p of r.learned.problems) req.onStep?.({ step: "plan", state: "ok", detail: `${p.isp}: ${p.message}` });
  if (r.moved.length) req.onStep?.({ step: "plan", state: "ok", detail: `failover in force (the monitor reports an ISP down): ${r.moved.join(", ")}` });
  return { config: r.config, ...(r.base ? { base: r.base } : {}) };
}

async function applyConfig(userConfig: GatewayConfig, req: ApplyRequest, recovered: Recovery[], takeover?: Takeover): Promise<DerivedApply> {
  const started = performance.now(); // the revision's duration is what the user waits for, the lab step included
  const managed = req.managed ?? resolveTarget();
  const { config, base } = await withLiveHealth(userConfig, req, managed.target);
  // the lab follows the config (lib/lab/apply-hooks.ts), and its test server proves the paths
  if (managed.labPrefix) await labHooks().beforeApply(config, managed.labPrefix, req.onStep);
  const probe = managed.labPrefix ? labHooks().probe(managed.labPrefix) : undefined;
  // the canary proves each target through its ISP's health targets; the monitor's applies verify by lookup only
  const canaryTargets = req.source === "monitor" ? undefined : await canaryTargetsOf(config, Boolean(managed.labPrefix));
  let intentId: number | null = null;
  let superseded = false;
  // the last step this apply finished, as it knows it: the intent's copy lags when writing it is what failed
  let reached: IntentStep | undefined;
  let report: ApplyReport;
  try {
    report = await applyAndVerify(config, managed, {
      probe,
      canaryTargets,
      onStep: req.onStep,
      fault: req.fault,
      rollbackOnVerifyFailure: req.rollbackOnVerifyFailure,
      extension: takeover && takeoverStep(takeover),
      // an ISP came back and the user chose to leave established connections where they are
      keepFlowsOnUpIsps: keepsFlows(req, base ?? config),
      beforeChanges: async (before) => {
        if (req.current && !req.current()) {
          superseded = true;
          throw new SupersededError();
        }
        intentId = await recording("the apply's intent (before its first change)", () =>
          writeIntent({ actor: req.actor, source: req.source, managed, config, before }),
        );
        reached = "intent";
        await failpoint("precheck");
      },
      afterStep: async (step) => {
        reached = step;
        // a failure here fails the step: the apply rolls back (lib/net/apply.ts)
        if (intentId !== null) await recording(`the apply's progress after the ${step} step`, () => intentReached(intentId!, step));
        await failpoint(step);
      },
    });
    if (report.ok && intentId !== null) {
      reached = "verified";
      await recording("that the apply verified", () => intentReached(intentId!, "verified"));
    }
  } catch (e) {
    // an unexpected error after the first change: converge back now rather than at the next start;
    // the error thrown says what the kernel runs now, and after which step the apply stopped
    const row = intentId === null ? null : await db.applyIntent.findUnique({ where: { id: intentId } });
    if (row) throw new Error((await recoverIntent(row, { reached, cause: e instanceof Error ? e.message : String(e) })).message);
    throw e;
  }
  // names for `ip` only once the kernel runs this config and it verified (a rollback keeps the old file)
  if (superseded) throw new SupersededError(); // the precheck stopped it: the kernel is untouched
  if (report.ok && managed.target.kind === "host") await writeRtTables(render(config).state.rtTables);
  await failpoint("verify");
  if (skipsRecord(req, report)) {
    // nothing changed: no revision, but the intent (if one was written) is done with
    if (intentId !== null) await db.applyIntent.deleteMany({ where: { id: intentId } });
    return { revisionId: null, report, recovered };
  }
  const revisionId = await recordRevision(req, config, base, report, intentId, Boolean(takeover), started).catch((e) => {
    throw new ApplyNotRecordedError(report, dbFailure(e));
  });
  if (report.result === "failed" || report.result === "rolled-back") {
    const message = `${report.failedStep ? `${report.failedStep} step: ` : ""}${report.error ?? report.result}${report.rolledBack ? (report.restoredExactly ? "; the previous state was restored exactly" : "; rolled back, with differences") : ""}`;
    await emitEvent({ kind: report.result === "failed" ? "apply-failed" : "apply-rolled-back", revisionId, actor: req.actor.username, message });
  }
  return { revisionId, report, recovered };
}

async function recordRevision(
  req: ApplyRequest,
  config: GatewayConfig,
  base: GatewayConfig | undefined,
  report: ApplyReport,
  intentId: number | null,
  takeover = false,
  started = performance.now(),
): Promise<number> {
  // the dynamic ISPs' addresses it ran with, and since when (lib/data/learned.ts)
  const learned = hasDynamicIsps(config) ? revisionLearned(config, await loadLearned()) : null;
  return db.$transaction(async (tx) => {
    const id = await insertRevision(tx, {
      actor: req.actor.username,
      source: req.source,
      target: report.target,
      config: JSON.stringify(config),
      base: base ? JSON.stringify(base) : null,
      ruleset: report.script,
      plan: JSON.stringify(report.planLines),
      result: report.result,
      error: report.error ?? null,
      verification: report.verification ? JSON.stringify(report.verification) : null,
      journal: JSON.stringify(report.journal),
      durationMs: Math.max(report.durationMs, Math.round(performance.now() - started)),
      comment: req.comment || null,
      learned: learned ? JSON.stringify(learned) : null,
    });
    await recordAudit(
      tx,
      req.actor,
      "apply",
      `revision ${id}`,
      null,
      { result: report.result, changes: report.planLines.length, failedStep: report.failedStep },
      report.ok ? "ok" : "failed",
    );
    if (intentId !== null) await tx.applyIntent.deleteMany({ where: { id: intentId } });
    // a take over is done once its apply verified (a failed one keeps it staged for the next try)
    if (takeover && report.ok) await tx.stagedTakeover.deleteMany();
    return id;
  });
}

function validStaged(config: unknown, what: string): GatewayConfig {
  const v = validateConfig(config);
  if (!v.ok) throw new Error(`${what} is not valid: ${formatIssues(v.issues)}`);
  return v.config;
}

/**
 * The staged configuration and its take over as they are once the lock is held (another apply
 * cannot restage it under us), read in one transaction: a re-stage by another process (an
 * import, an adoption) is seen whole or not at all.
 */
export async function applyStaged(req: ApplyRequest): Promise<RecordedApply> {
  return locked(req, async (recovered) => {
    const staged = await readTransaction(async (tx) => ({ config: await loadConfig(tx), takeover: await loadStagedTakeover(tx) }));
    return recordedOf(await applyConfig(validStaged(staged.config, "the staged configuration"), req, recovered, staged.takeover ?? undefined));
  });
}

/**
 * Re-apply a past revision. From the UI it becomes the staged configuration again
 * (what you see is what runs); at boot (restage: false) staged edits that were
 * never applied are left alone and only the kernel is brought back.
 */
export async function reapplyRevision(id: number, req: ApplyRequest, opts: { restage?: boolean } = {}): Promise<RecordedApply> {
  return locked(req, (recovered) => reapplyLocked(id, req, opts, recovered));
}

async function reapplyLocked(id: number, req: ApplyRequest, opts: { restage?: boolean }, recovered: Recovery[]): Promise<RecordedApply> {
  const rev = await getRevision(id);
  if (!rev) throw new Error(`there is no revision ${id}`);
  const v = validateStoredConfig(userConfigOf(rev));
  if (!v.ok) throw new Error(`revision ${id} no longer validates: ${formatIssues(v.issues, { paths: false })}`);
  if (opts.restage !== false) {
    await replaceConfig(v.config);
    await recordAudit(db, req.actor, "config.restore", `revision ${id}`, null, null);
  }
  return recordedOf(await applyConfig(v.config, { ...req, source: req.source === "boot" ? "boot" : "reapply" }, recovered));
}

/**
 * The boot path: the last revision that left the gateway as intended, chosen after
 * recovery (which may itself record the interrupted apply as that revision), or the
 * staged configuration when none has. The staged edits are left alone.
 */
export async function reapplyLastGood(req: ApplyRequest): Promise<RecordedApply & { lastGood: { id: number; createdAt: Date } | null }> {
  return locked(req, async (recovered) => {
    const last = await lastGoodRevision();
    const r = last
      ? await reapplyLocked(last.id, { ...req, source: "boot" }, { restage: false }, recovered)
      : recordedOf(await applyConfig(validStaged(await loadConfig(), "the staged configuration"), req, recovered));
    return { ...r, lastGood: last ? { id: last.id, createdAt: last.createdAt } : null };
  });
}

// the revision queries live in lib/data/revisions.ts; these names stay for the CLI
export { getRevision, lastGoodRevision, listRevisions, userConfigOf } from "@/lib/data/revisions";

/**
 * The monitor's failover: a configuration derived from an applied one (health in it), applied
 * and recorded like any other (from the monitor: unless it changed nothing, see DerivedApply).
 * When the kernel runs the last revision and only target chains change, only those are
 * rewritten (lib/engine/fast-failover.ts); else the full pipeline runs.
 */
export function applyDerivedConfig(config: GatewayConfig, req: ApplyRequest & { fast?: boolean }): Promise<DerivedApply> {
  return locked(req, async (recovered) => {
    if (req.current && !req.current()) throw new SupersededError(); // a newer state arrived while waiting for the lock
    const managed = req.managed ?? resolveTarget();
    const last = req.fast === false || recovered.length ? null : await newestRevision();
    const lastOk = last && leftAsIntended(last.result) && last.target === managed.label;
    const sameUser =
      lastOk && req.base && canonicalJson(parseStoredConfig(userConfigOf(last), `the configuration of revision ${last.id}`)) === canonicalJson(req.base);
    if (last && sameUser) {
      // both sides on the backend the gateway runs (auto resolved once, on the kernel)
      const prev = await resolveFirewallOn(managed.target, parseStoredConfig(last.config, `the configuration of revision ${last.id}`));
      const report = await fastFailover(prev, { ...config, firewallResolved: prev.firewallResolved }, managed, {
        onStep: req.onStep,
        keepFlowsOnUpIsps: keepsFlows(req, req.base ?? config),
      });
      if (report) return { revisionId: skipsRecord(req, report) ? null : await recordRevision(req, config, req.base, report, null), report, recovered };
    }
    return applyConfig(config, req, recovered);
  });
}
