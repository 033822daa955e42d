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
import { recordAudit } from "@/lib/data/audit";
import type { GatewayConfig } from "@/lib/model";
import { restoreSnapshot } from "@/lib/net/apply";
import { withJournal, type JournalEntry } from "@/lib/net/exec";
import { observeKernel, type ObservedState } from "@/lib/net/observe";
import { planChanges, type PlanLine } from "@/lib/net/plan";
import { render } from "@/lib/net/render";
import { acquireApplyLock, processAlive } from "./lock";
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

const when = (d: Date) => d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");

/** Converge and record one interrupted apply. The caller holds the apply lock. */
export async function recoverIntent(row: IntentRow): Promise<Recovery> {
  const managed = JSON.parse(row.target) as ManagedTarget;
  const config = JSON.parse(row.config) as GatewayConfig;
  const before = JSON.parse(row.before) as ObservedState;
  const started = performance.now();
  const journal: JournalEntry[] = [];
  let direction = "none" as Recovery["direction"];
  let exact = false as boolean;
  let differences: string[] = [];
  let planLines: PlanLine[] = [];
  let failure = "";
  await withJournal(journal, async () => {
    try {
      const now = await observeKernel(managed.target);
      if (row.step === "verified" && planChanges(render(withResolvedFirewall(config, now)).state, now).empty) {
        direction = "forward";
        exact = true;
        return;
      }
      planLines = planChanges(before, now).lines;
      direction = "back";
      ({ exact, differences } = await restoreSnapshot(managed.target, before));
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
    }
  });
  const where = row.step === "intent" ? "before its first kernel change finished" : row.step === "verified" ? "after it verified, before it was recorded" : `after the ${row.step} step`;
  const outcome = direction === "forward"
    ? "It had verified and the kernel still runs its configuration: recorded as applied."
    : direction === "back"
      ? exact ? "The gateway was put back exactly as it was before that apply." : `Putting the gateway back left differences: ${differences.join("; ")}.`
      : `The gateway could not be recovered: ${failure}`;
  const message = `An apply by ${row.actor} (${row.source}, pid ${row.pid}, started ${when(row.startedAt)}) on ${managed.label} was interrupted ${where}. ${outcome}`;
  const result = direction === "forward" ? "applied" : direction === "back" && exact ? "rolled-back" : "failed";
  const revisionId = await db.$transaction(async (tx) => {
    const rev = await tx.revision.create({
      data: {
        actor: RECOVERY_ACTOR.username, source: "recovery", target: managed.label,
        config: row.config, ruleset: render(config).script, plan: JSON.stringify(planLines),
        result, error: direction === "forward" ? null : message, verification: null,
        journal: JSON.stringify(journal), durationMs: Math.round(performance.now() - started),
      },
    });
    await recordAudit(tx, RECOVERY_ACTOR, "apply.recover", `revision ${rev.id}`,
      { intent: row.id, actor: row.actor, source: row.source, pid: row.pid, startedAt: row.startedAt, interruptedAfter: row.step },
      { direction, exact, message }, result === "failed" ? "failed" : "ok");
    await tx.applyIntent.deleteMany({ where: { id: row.id } });
    return rev.id;
  });
  return {
    intentId: row.id, revisionId, direction, exact, interruptedAfter: row.step, actor: row.actor, source: row.source,
    pid: row.pid, startedAt: row.startedAt, target: managed.label, message,
  };
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

/** The last recovery, for status. */
export async function lastRecovery() {
  return db.revision.findFirst({ where: { source: "recovery" }, orderBy: { id: "desc" } });
}
