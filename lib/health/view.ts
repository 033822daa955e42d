// The web UI's read of the monitor's state (IspHealth, HealthEvent, its revisions): the
// dashboard shows it, it never probes. A row the monitor has not refreshed for STALE_MS is
// "unknown" (the monitor is not running): never a stale green.
import "server-only";
import { currentUser } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { parseStoredConfig, type AppliedInfo } from "@/lib/engine/staged";
import { planFailover, type HealthView } from "./effective";
import { ispHealthInfo } from "./shown";
import type { HealthSnapshot } from "./view-types";

/** Health, recent events and where the monitor sends hosts now. Null without a session. */
export async function healthSnapshot(events = 20): Promise<HealthSnapshot | null> {
  if (!(await currentUser())) return null;
  const now = Date.now();
  const [rows, evs, base] = await Promise.all([
    db.ispHealth.findMany({ orderBy: { isp: "asc" } }),
    db.healthEvent.findMany({ orderBy: { id: "desc" }, take: events }),
    db.revision.findFirst({ where: { result: { in: ["applied", "unchanged"] }, source: { not: "monitor" } }, orderBy: { id: "desc" } }),
  ]);
  const config = parseStoredConfig(base?.config);
  const names = config ? config.isps.map((i) => i.name) : rows.map((r) => r.isp);
  const isps = ispHealthInfo(names, rows, now);
  const view: HealthView = Object.fromEntries(isps.map((i) => [i.isp, i.state === "unknown" ? undefined : { state: i.state }]));
  const f = config ? planFailover(config, view) : null;
  return {
    observedAt: new Date(now).toISOString(),
    monitorRunning: isps.some((i) => i.state !== "unknown"),
    isps,
    events: evs.map((e) => ({ id: e.id, at: e.at.toISOString(), isp: e.isp, from: e.from, to: e.to, reason: e.reason })),
    moves: f?.moves ?? [],
    defaultIsp: f?.defaultIsp ?? null,
  };
}

/**
 * The last apply a user made that verified (never a monitor failover: its config is the base
 * with hosts moved, and its proof is by route lookup only). Null without a session.
 */
export async function lastUserApplied(): Promise<AppliedInfo | null> {
  if (!(await currentUser())) return null;
  const rev = await db.revision.findFirst({ where: { result: { in: ["applied", "unchanged"] }, source: { not: "monitor" } }, orderBy: { id: "desc" } });
  const config = parseStoredConfig(rev?.config);
  if (!rev || !config) return null;
  let verification: AppliedInfo["verification"] = null;
  try {
    verification = rev.verification ? JSON.parse(rev.verification) : null;
  } catch {
    verification = null;
  }
  return { config, verification, revisionId: rev.id, at: rev.createdAt, actor: rev.actor };
}

export type TimelineItem =
  | { kind: "health"; at: Date; isp: string; from: string; to: string; reason: string }
  | { kind: "apply"; at: Date; revisionId: number; result: string; changes: number };

/** Health changes and the monitor's own applies, newest first. Empty without a session. */
export async function healthTimeline(limit = 50): Promise<TimelineItem[]> {
  if (!(await currentUser())) return [];
  const [evs, revs] = await Promise.all([
    db.healthEvent.findMany({ orderBy: { id: "desc" }, take: limit }),
    db.revision.findMany({ where: { source: "monitor" }, orderBy: { id: "desc" }, take: limit, select: { id: true, createdAt: true, result: true, plan: true } }),
  ]);
  const changes = (plan: string) => { try { return (JSON.parse(plan) as unknown[]).length; } catch { return 0; } };
  return [
    ...evs.map((e) => ({ kind: "health" as const, at: e.at, isp: e.isp, from: e.from, to: e.to, reason: e.reason })),
    ...revs.map((r) => ({ kind: "apply" as const, at: r.createdAt, revisionId: r.id, result: r.result, changes: changes(r.plan) })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}
