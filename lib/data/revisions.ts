// Every query of the revisions (one row per apply: who, what ran, the result, the proof).
// Not "server-only": the engine, the monitor and the CLI read them too.
import { db } from "@/lib/db";
import type { VerifyReport } from "@/lib/net/verify";
import { readStoredConfig } from "./stored";
import type { GatewayConfig } from "@/lib/model";

/** The results of an apply that left the gateway as intended (its config is what the kernel runs). */
const GOOD = ["applied", "unchanged"];
export const leftAsIntended = (result: string) => GOOD.includes(result);

/** The monitor's failovers are revisions too; "by a user" is every other source. */
const byUserWhere = (byUser?: boolean) => (byUser ? { source: { not: "monitor" } } : {});

/** A revision's configuration as the user made it (a failover apply records the one it was derived from). */
export const userConfigOf = (rev: { config: string; base: string | null }) => rev.base ?? rev.config;

/**
 * The last apply that left the gateway as intended: by a user only (never a monitor failover)
 * with `byUser`; the last one started by `before` with it (what ran before an interrupted apply).
 */
export function lastGoodRevision(opts: { byUser?: boolean; before?: Date } = {}) {
  return db.revision.findFirst({
    where: { result: { in: GOOD }, ...byUserWhere(opts.byUser), ...(opts.before ? { createdAt: { lte: opts.before } } : {}) },
    orderBy: { id: "desc" },
  });
}

/** When the gateway first ran a configuration as intended (null: never). */
export async function firstGoodAt(): Promise<Date | null> {
  return (await db.revision.findFirst({ where: { result: { in: GOOD } }, orderBy: { id: "asc" }, select: { createdAt: true } }))?.createdAt ?? null;
}

/** The newest revision whatever its result (by a user only with `byUser`). */
export function newestRevision(opts: { byUser?: boolean } = {}) {
  return db.revision.findFirst({ where: byUserWhere(opts.byUser), orderBy: { id: "desc" } });
}

/** The newest revision without its large texts (what a status line or a metric needs). */
export function newestRevisionSummary() {
  return db.revision.findFirst({ orderBy: { id: "desc" }, select: { id: true, createdAt: true, actor: true, source: true, result: true, durationMs: true } });
}

export async function newestRevisionId(): Promise<number | null> {
  return (await db.revision.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? null;
}

export function listRevisions(limit = 100) {
  return db.revision.findMany({ orderBy: { id: "desc" }, take: limit });
}

export function getRevision(id: number) {
  return db.revision.findUnique({ where: { id } });
}

/** The revision just before `id` (what that one changed is the difference). */
export function revisionBefore(id: number) {
  return db.revision.findFirst({ where: { id: { lt: id } }, orderBy: { id: "desc" } });
}

export function countRevisions() {
  return db.revision.count();
}

/** One page of the history, newest first: `take` rows from `skip`, with the fields its list shows. */
export function revisionRows(skip: number, take: number) {
  return db.revision.findMany({ orderBy: { id: "desc" }, skip, take, select: { id: true, createdAt: true, actor: true, source: true, target: true, result: true, plan: true, durationMs: true, comment: true, config: true } });
}

/** How many revisions ended with each result, and every duration (for the metrics). */
export function revisionResultCounts() {
  return db.revision.groupBy({ by: ["result"], _count: { _all: true } });
}

export function revisionDurations() {
  return db.revision.findMany({ select: { durationMs: true } });
}

/** The monitor's own applies, newest first. */
export function monitorRevisions(limit: number) {
  return db.revision.findMany({ where: { source: "monitor" }, orderBy: { id: "desc" }, take: limit, select: { id: true, createdAt: true, result: true, plan: true } });
}

/** The newest failover the monitor applied after revision `id`. */
export function monitorApplyAfter(id: number) {
  return db.revision.findFirst({ where: { id: { gt: id }, source: "monitor", result: "applied" }, orderBy: { id: "desc" }, select: { id: true, createdAt: true, verification: true } });
}

/** The newest revision whose verification has a canary report (only among ids above `above`, when given). */
export function lastRevisionWithCanary(above?: number) {
  return db.revision.findFirst({
    where: { ...(above === undefined ? {} : { id: { gt: above } }), verification: { contains: '"canary"' } },
    orderBy: { id: "desc" }, select: { id: true, verification: true },
  });
}

type RevisionTx = Pick<typeof db, "revision">;
type RevisionData = Parameters<typeof db.revision.create>[0]["data"];

/** Record an apply (in the caller's transaction, beside its audit entry); its id. */
export async function recordRevision(tx: RevisionTx, data: RevisionData): Promise<number> {
  return (await tx.revision.create({ data })).id;
}

/** Set or remove (null) a revision's comment, in the caller's transaction. */
export async function setRevisionComment(tx: RevisionTx, id: number, comment: string | null): Promise<void> {
  await tx.revision.update({ where: { id }, data: { comment } });
}

export interface AppliedInfo {
  config: GatewayConfig;
  /** how that apply proved itself (null for old revisions without a report) */
  verification: VerifyReport | null;
  revisionId: number;
  at: Date;
  actor: string;
}

/**
 * The configuration of the last apply that verified, with where it came from. By default the
 * user's configuration (a failover the monitor applied on top is not a staged change); with
 * `byUser`, the last apply a user made and the configuration it ran (a user's apply during a
 * failover ran one derived from theirs).
 */
export async function lastApplied(opts: { byUser?: boolean } = {}): Promise<AppliedInfo | null> {
  const rev = await lastGoodRevision({ byUser: opts.byUser });
  const config = readStoredConfig(rev ? (opts.byUser ? rev.config : userConfigOf(rev)) : null);
  if (!rev || !config) return null;
  let verification: VerifyReport | null = null;
  try {
    verification = rev.verification ? (JSON.parse(rev.verification) as VerifyReport) : null;
  } catch {
    verification = null;
  }
  return { config, verification, revisionId: rev.id, at: rev.createdAt, actor: rev.actor };
}
