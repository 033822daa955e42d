// Drift is found where the kernel is read against the last good revision (the Live page and the
// dashboard poll it, `switchyard status` reads it): told once when it appears, not at every read;
// told again only after it was gone (an apply fixed it) and came back.
import { db } from "@/lib/db";
import type { PlanLine } from "@/lib/net/plan";
import { emitEvent } from "./events";
import type { Target } from "@/lib/net/exec";
import { observeKernel } from "@/lib/net/observe";
import { applyLockHolder } from "@/lib/engine/lock";
import { lastGoodRevision } from "@/lib/data/revisions";
import { validateStoredConfig } from "@/lib/data/stored";
import { gatewayStatus } from "@/lib/engine/status";

const KEY = "drift";

/** Sum of a drift for a message: "2 routes, 1 rule differ: ~ route default via ... table 101; ...". */
export function driftSummary(lines: PlanLine[]): string {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.kind, (counts.get(l.kind) ?? 0) + 1);
  const what = [...counts].map(([k, n]) => `${n} ${k}${n === 1 ? "" : "s"}`).join(", ");
  const shown = lines
    .slice(0, 5)
    .map((l) => `${l.op} ${l.text}`)
    .join("; ");
  return `${what} differ${lines.length === 1 ? "s" : ""}${lines.length > 5 ? ` (first 5: ${shown})` : `: ${shown}`}`;
}

/** Note what a read found; raises "drift" when it appears (from none). Never throws. */
export async function noteDrift(lines: PlanLine[], revisionId: number | null, log: (line: string) => void = () => {}): Promise<void> {
  try {
    const drifting = lines.length > 0;
    const raise = await db.$transaction(async (tx) => {
      const row = await tx.notifyState.findUnique({ where: { key: KEY } });
      const was = row ? (JSON.parse(row.value) as { drifting: boolean }).drifting : false;
      if (was === drifting) return false;
      const value = JSON.stringify({ drifting, revisionId });
      await tx.notifyState.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
      return drifting;
    });
    if (raise) await emitEvent({ kind: "drift", summary: `${driftSummary(lines)}${revisionId === null ? "" : ` (against revision ${revisionId})`}` }, log);
  } catch (e) {
    log(`noting drift: ${e instanceof Error ? e.message : e}`);
  }
}

/** The monitor's check between applies (every DRIFT_EVERY_MS): the kernel against the last good revision. */
export const DRIFT_EVERY_MS = 60_000;

export async function checkDrift(target: Target, log: (line: string) => void): Promise<void> {
  const [lock, before] = await Promise.all([applyLockHolder(), lastGoodRevision()]);
  if (lock || !before) return; // an apply in between shows a kernel half way
  const v = validateStoredConfig(before.config);
  if (!v.ok) return;
  const observed = await observeKernel(target);
  const [lockAfter, after] = await Promise.all([applyLockHolder(), lastGoodRevision()]);
  if (lockAfter || after?.id !== before.id) return;
  await noteDrift(gatewayStatus(observed, v.config, null).drift ?? [], before.id, log);
}
