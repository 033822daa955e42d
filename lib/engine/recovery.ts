// Crash recovery: an intent left by a process that died mid-apply (SIGKILL, power
// loss) is found on the next start of any entry point (server, CLI, boot apply),
// the gateway is converged, and the outcome is recorded as a revision (source
// "recovery") and an audit event.
//
// Direction: BACK to the snapshot taken before the first change, except when the
// apply had already verified (only its record was missing) and the kernel still
// runs its config exactly: then FORWARD, i.e. that verified state is recorded as
// applied. Why back: the snapshot is an exact list of kernel objects that ran
// before, restored by the same code as a rollback; the target was never proven
// (verification had not passed), and going forward would mean running again an
// apply whose process just died, perhaps because of it. Why forward after
// verification: undoing a change that is live and proven would throw away a good
// state the admin asked for (what `apply --last-good` used to do after such a kill).
import { withResolvedFirewall } from "@/lib/net/firewall";
import { db } from "@/lib/db";
import { emitEvent } from "@/lib/notify/events";
import { recordAudit } from "@/lib/data/audit";
import { lastGoodRevision, recordRevision as insertRevision } from "@/lib/data/revisions";
import { parseStoredConfig } from "@/lib/data/stored";
import type { GatewayConfig } from "@/lib/model";
import { clearFlows, restoreSnapshot } from "@/lib/net/apply";
import { withJournal, type JournalEntry } from "@/lib/net/exec";
import { observeKernel, type ObservedState } from "@/lib/net/observe";
import { conntrackLines, planChanges, type MovedHost, type PlanLine } from "@/lib/net/plan";
import { hasIpv6 } from "@/lib/net/render/ipv6";
import { render } from "@/lib/net/render";
import { undoneFlows } from "@/lib/net/undone-flows";
import { acquireApplyLock, BusyError, processAlive } from "./lock";
import type { IntentStep } from "./intent";
import { dbFailure } from "./db-failure";
import type { ManagedTarget } from "./target";

export const RECOVERY_ACTOR = { username: "recovery" };

export interface Recovery {
  intentId: number;
  revisionId: number;
  /** back: to the snapshot; forward: the verified target kept; none: the gateway could not be read or changed */
  direction: "back" | "forward" | "none";
  exact: boolean;
  interruptedAfter: string;
  actor: string;
  source: string;
  pid: number;
  startedAt: Date;
  target: string;
  message: string;
}

type IntentRow = NonNullable<Awaited<ReturnType<typeof db.applyIntent.findFirst>>>;

const when = (d: Date) =>
  d
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");

type RecoveryFacts = Omit<Recovery, "revisionId" | "intentId">;

/** A recovery that converged the kernel but could not record it (the database refused the write: a full disk). */
export class RecoveryNotRecordedError extends Error {
  constructor(
    public recovery: RecoveryFacts,
    public reason: string,
  ) {
    super(`${recovery.message} Recording this failed (${reason}): the next start of Switchyard records it.`);
    this.name = "RecoveryNotRecordedError";
  }
}

/** What the kernel ran before the interrupted apply: the last revision that left it as intended before that apply started. */
async function configBefore(row: IntentRow): Promise<GatewayConfig | null> {
  const rev = await lastGoodRevision({ before: row.startedAt });
  return rev ? parseStoredConfig(rev.config, `the configuration of revision ${rev.id}`) : null;
}

const stepWords = (step: string) =>
  step === "intent" ? "before its first kernel change finished" : step === "verified" ? "after it verified, before it was recorded" : `after the ${step} step`;

const flowWords = (cleared: MovedHost[]) => {
  const n = cleared.reduce((s, h) => s + h.flows, 0);
  return n === 0
    ? ""
    : ` ${n} connection${n === 1 ? "" : "s"} opened under the interrupted configuration (${cleared.map((h) => h.name ?? h.address).join(", ")}) cleared: they reconnect through the restored paths.`;
};

function backWords(exact: boolean, undid: boolean, step: string, differences: string[] = []): string {
  if (!exact)
    return `Kernel rolled back, but putting the gateway back left differences: ${differences.join("; ") || "compare it with the last applied revision"}.`;
  if (undid) return "Kernel rolled back: the gateway was put back exactly as it was before that apply.";
  // after a change: its own process rolled it back, then could not record that (a full disk), so its record lags
  return `The gateway was already as it was before that apply${step === "intent" ? "" : " (its own process had rolled it back)"}: nothing to undo.`;
}

export interface RecoverOptions {
  /** the last step the apply knew it had finished (its own record may lag: writing it is what failed) */
  reached?: IntentStep;
  /** why the apply stopped, when its own process recovers it (a database write that failed) */
  cause?: string;
}

/** Converge and record one interrupted apply. The caller holds the apply lock. */
export async function recoverIntent(row: IntentRow, opts: RecoverOptions = {}): Promise<Recovery> {
  const managed = JSON.parse(row.target) as ManagedTarget;
  const config = parseStoredConfig(row.config, `the configuration of the interrupted apply (intent ${row.id})`);
  const before = JSON.parse(row.before) as ObservedState;
  const step = opts.reached ?? row.step;
  const started = performance.now();
  const journal: JournalEntry[] = [];
  let direction = "none" as Recovery["direction"];
  let exact = false as boolean;
  let differences: string[] = [];
  let planLines: PlanLine[] = [];
  let cleared: MovedHost[] = [];
  let failure = "";
  let flowFailure = "";
  let undid = false;
  await withJournal(journal, async () => {
    try {
      const now = await observeKernel(managed.target);
      // forward only when the apply's own process did not stop it (it could not record, so it undoes)
      if (!opts.cause && step === "verified" && planChanges(render(withResolvedFirewall(config, now)).state, now).empty) {
        direction = "forward";
        exact = true;
        return;
      }
      planLines = planChanges(before, now).lines;
      undid = planLines.length > 0;
      direction = "back";
      ({ exact, differences } = await restoreSnapshot(managed.target, before));
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
      return;
    }
    try {
      // connections opened while the interrupted rules ran keep their marks: cleared, as an apply clears a moved host's
      const previous = await configBefore(row);
      // IPv6 flows are listed (with their sources' MACs) when either configuration routes IPv6
      const listing = hasIpv6(config) ? config : previous && hasIpv6(previous) ? previous : undefined;
      cleared = await clearFlows(managed.target, (flows) => undoneFlows(config, previous, flows), listing);
      planLines = [...planLines, ...conntrackLines(cleared)];
    } catch (e) {
      flowFailure = ` Clearing the connections opened under it failed: ${e instanceof Error ? e.message : String(e)}.`;
    }
  });
  const outcome =
    direction === "forward"
      ? "It had verified and the kernel still runs its configuration: recorded as applied."
      : direction === "back"
        ? backWords(exact, undid, step, differences) + flowWords(cleared) + flowFailure
        : `The gateway could not be recovered: ${failure}`;
  const message = `An apply by ${row.actor} (${row.source}, pid ${row.pid}, started ${when(row.startedAt)}) on ${managed.label} was interrupted ${stepWords(step)}${!opts.reached && direction === "back" && !undid && step !== "intent" ? " (the last step it recorded)" : ""}${opts.cause ? ` (${opts.cause})` : ""}. ${outcome}`;
  const result = direction === "forward" ? "applied" : direction === "back" && exact ? "rolled-back" : "failed";
  const recovery = {
    direction,
    exact,
    interruptedAfter: step,
    actor: row.actor,
    source: row.source,
    pid: row.pid,
    startedAt: row.startedAt,
    target: managed.label,
    message,
  };
  const revisionId = await recordRecovery(row, recovery, { config, planLines, journal, result, started }).catch((e) => {
    throw new RecoveryNotRecordedError(recovery, dbFailure(e));
  });
  await emitEvent({ kind: "recovery", revisionId, message });
  return { intentId: row.id, revisionId, ...recovery };
}

async function recordRecovery(
  row: IntentRow,
  r: RecoveryFacts,
  x: { config: GatewayConfig; planLines: PlanLine[]; journal: JournalEntry[]; result: string; started: number },
): Promise<number> {
  const { direction, exact, message } = r;
  const { config, planLines, journal, result, started } = x;
  return db.$transaction(async (tx) => {
    const id = await insertRevision(tx, {
      actor: RECOVERY_ACTOR.username,
      source: "recovery",
      target: r.target,
      config: row.config,
      ruleset: render(config).script,
      plan: JSON.stringify(planLines),
      result,
      error: direction === "forward" ? null : message,
      verification: null,
      journal: JSON.stringify(journal),
      durationMs: Math.round(performance.now() - started),
    });
    await recordAudit(
      tx,
      RECOVERY_ACTOR,
      "apply.recover",
      `revision ${id}`,
      { intent: row.id, actor: row.actor, source: row.source, pid: row.pid, startedAt: row.startedAt, interruptedAfter: r.interruptedAfter },
      { direction, exact, message },
      result === "failed" ? "failed" : "ok",
    );
    await tx.applyIntent.deleteMany({ where: { id: row.id } });
    return id;
  });
}

/** Every interrupted apply whose process is gone. The caller holds the apply lock. */
export async function recoverDeadIntents(): Promise<Recovery[]> {
  const out: Recovery[] = [];
  for (const row of await db.applyIntent.findMany({ orderBy: { id: "asc" } })) {
    if (!processAlive(row)) out.push(await recoverIntent(row));
  }
  return out;
}

/** At the start of an entry point (server, CLI): recover what a dead apply left, under the lock. */
export async function recoverInterrupted(opts: { waitMs?: number } = {}): Promise<Recovery[]> {
  const pending = await db.applyIntent.findMany({ select: { pid: true, pidStart: true } });
  if (!pending.some((r) => !processAlive(r))) return [];
  const lock = await acquireApplyLock(`recovery (pid ${process.pid})`, opts);
  try {
    return await recoverDeadIntents();
  } finally {
    await lock.release();
  }
}

let inFlight: Promise<Recovery[]> | null = null;

/**
 * Between requests (the web server) and at every tick (the monitor): an apply whose process is
 * gone is recovered now, not at the next start of something. Never waits for the lock: whoever
 * holds it recovers dead applies before its own (lib/engine/service.ts). One at a time per process.
 */
export function recoverAbandoned(): Promise<Recovery[]> {
  inFlight ??= recoverInterrupted({ waitMs: 0 })
    .catch((e) => {
      if (e instanceof BusyError) return [];
      throw e;
    })
    .finally(() => (inFlight = null));
  return inFlight;
}
