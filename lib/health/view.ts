// The web UI's read of the monitor's state (IspHealth, HealthEvent, its revisions): the
// dashboard shows it, it never probes. A row the monitor has not refreshed for STALE_MS is
// "unknown" (the monitor is not running): never a stale green.
import { newerCanary } from "./canary-watch";
import "server-only";
import { currentUser } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import {
  lastApplied,
  lastGoodRevision,
  lastRevisionWithCanary,
  monitorApplyAfter,
  monitorRevisions,
  newestRevisionSummary,
  type AppliedInfo,
} from "@/lib/data/revisions";
import { readStoredConfig } from "@/lib/data/stored";
import { loadConfig } from "@/lib/data/config";
import { applyLockHolder } from "@/lib/engine/lock";
import type { CanaryReport, VerifyReport } from "@/lib/net/verify";
import { cappedIsps } from "@/lib/usage/caps";
import { planFailover, type HealthView } from "./effective";
import { ispHealthInfo } from "./shown";
import { loadHealth } from "./store";
import type { HealthSnapshot } from "./view-types";

// A verification report can be large (a verdict per host): parse each revision's once.
const reports = new Map<number, VerifyReport | null>();
function reportOf(rev: { id: number; verification: string | null } | null): VerifyReport | null {
  if (!rev) return null;
  if (!reports.has(rev.id)) {
    let r: VerifyReport | null = null;
    try {
      r = rev.verification ? (JSON.parse(rev.verification) as VerifyReport) : null;
    } catch {
      r = null;
    }
    if (reports.size > 20) reports.clear();
    reports.set(rev.id, r);
  }
  return reports.get(rev.id) ?? null;
}

/** How far back (in revisions) a canary report is looked for: revisions without one (old ones, a rollback) do not hide it. */
const CANARY_LOOKBACK = 50;
let canaryCache: { latestId: number; report: CanaryReport | null } | null = null;

/** The canary report of the newest revision that has one, looked up once per new revision. */
async function lastCanary(latestId: number): Promise<CanaryReport | null> {
  if (canaryCache?.latestId === latestId) return canaryCache.report;
  const rev = await lastRevisionWithCanary(latestId - CANARY_LOOKBACK);
  const report = reportOf(rev)?.canary ?? null;
  canaryCache = { latestId, report };
  return report;
}

/**
 * Health, recent events, where the monitor sends hosts now, the newest revision and whether
 * someone is applying (every open page polls this to follow anyone's apply). Null without a session.
 */
export async function healthSnapshot(events = 20): Promise<HealthSnapshot | null> {
  if (!(await currentUser())) return null;
  const now = Date.now();
  const [rows, evs, base, latest, applying] = await Promise.all([
    loadHealth(),
    db.healthEvent.findMany({ orderBy: { id: "desc" }, take: events }),
    lastGoodRevision({ byUser: true }),
    newestRevisionSummary(),
    applyLockHolder(),
  ]);
  const config = readStoredConfig(base?.config);
  // before the first apply: the ISPs of the staged config, none of them measured
  const names = config ? config.isps.map((i) => i.name) : (await loadConfig()).isps.map((i) => i.name);
  const isps = ispHealthInfo(names, rows, now, { applied: Boolean(config) });
  const view: HealthView = Object.fromEntries(isps.map((i) => [i.isp, i.state === "unknown" ? undefined : { state: i.state }]));
  // an ISP over its monthly cap (last resort) is where its hosts no longer go (lib/usage/caps.ts)
  if (config) for (const isp of await cappedIsps(now)) view[isp] = { state: view[isp]?.state ?? "up", capped: true };
  const f = config ? planFailover(config, view) : null;
  // the newest proof: the monitor's canary between applies (CanaryRun), or the last apply's
  const [fromApply, run] = await Promise.all([
    latest ? lastCanary(latest.id) : null,
    db.canaryRun.findFirst({ orderBy: { id: "desc" }, select: { report: true } }),
  ]);
  const canary = newerCanary(run ? (JSON.parse(run.report) as CanaryReport) : null, fromApply);
  const monitorRev = base ? await monitorApplyAfter(base.id) : null;
  // the ISPs whose outage (going down or coming back) the monitor's applies followed since then
  const changed =
    monitorRev && base
      ? await db.healthEvent.findMany({
          where: { at: { gt: base.createdAt }, OR: [{ from: "down" }, { to: "down" }] },
          distinct: ["isp"],
          select: { isp: true },
        })
      : [];
  return {
    observedAt: new Date(now).toISOString(),
    monitorRunning: isps.some((i) => i.state !== "unknown"),
    isps,
    events: evs.map((e) => ({ id: e.id, at: e.at.toISOString(), isp: e.isp, from: e.from, to: e.to, reason: e.reason })),
    moves: f?.moves ?? [],
    defaultIsp: f?.defaultIsp ?? null,
    applied: base && config ? { revisionId: base.id, at: base.createdAt.toISOString(), actor: base.actor } : null,
    latest: latest ? { id: latest.id, result: latest.result, source: latest.source, actor: latest.actor, at: latest.createdAt.toISOString() } : null,
    applying: applying ? { holder: applying.holder, since: applying.since.toISOString() } : null,
    canary,
    monitorApply: monitorRev
      ? {
          revisionId: monitorRev.id,
          at: monitorRev.createdAt.toISOString(),
          hosts: (reportOf(monitorRev)?.hosts ?? []).map(({ name, ok, isp, proof, provenBy, seenAs }) => ({ name, ok, isp, proof, provenBy, seenAs })),
          isps: changed.map((e) => e.isp),
        }
      : null,
  };
}

/**
 * The last apply a user made that verified (never a monitor failover: its config is the base
 * with hosts moved, and its proof is by route lookup only). Null without a session.
 */
export async function lastUserApplied(): Promise<AppliedInfo | null> {
  if (!(await currentUser())) return null;
  return lastApplied({ byUser: true });
}

export type TimelineItem =
  | { kind: "health"; at: Date; isp: string; from: string; to: string; reason: string }
  | { kind: "apply"; at: Date; revisionId: number; result: string; changes: number };

/** Health changes and the monitor's own applies, newest first. Empty without a session. */
export async function healthTimeline(limit = 50): Promise<TimelineItem[]> {
  if (!(await currentUser())) return [];
  const [evs, revs] = await Promise.all([db.healthEvent.findMany({ orderBy: { id: "desc" }, take: limit }), monitorRevisions(limit)]);
  const changes = (plan: string) => {
    try {
      return (JSON.parse(plan) as unknown[]).length;
    } catch {
      return 0;
    }
  };
  return [
    ...evs.map((e) => ({ kind: "health" as const, at: e.at, isp: e.isp, from: e.from, to: e.to, reason: e.reason })),
    ...revs.map((r) => ({ kind: "apply" as const, at: r.createdAt, revisionId: r.id, result: r.result, changes: changes(r.plan) })),
  ]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, limit);
}
