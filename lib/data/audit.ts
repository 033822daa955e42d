// The audit log: who changed what, with the values before and after.
import { db } from "@/lib/db";

export interface Actor {
  username: string;
  clientIp?: string;
}

type Tx = Pick<typeof db, "auditEvent">;

export async function recordAudit(
  tx: Tx, actor: Actor, action: string, target: string,
  before: unknown, after: unknown, result = "ok",
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actor: actor.username, clientIp: actor.clientIp ?? "", action, target, result,
      before: before == null ? null : JSON.stringify(before),
      after: after == null ? null : JSON.stringify(after),
    },
  });
}

export async function listAudit(limit = 200) {
  return db.auditEvent.findMany({ orderBy: { id: "desc" }, take: limit });
}

// --- refused logins: one row per burst, and a ceiling -----------------------------------------
// Anyone who can reach the login page can be refused, as often as they like: that must never
// grow the log (or push real events out of the export). Refusals from one address of one kind
// (wrong password: login.failed; refused by the throttle: login.locked) within a burst window
// are one row, its target saying how many, its `after` the count, the names tried and the last
// time. And rows of this unauthenticated origin are capped at the newest REFUSED_LOGIN_ROWS_MAX.
export const REFUSED_LOGIN_ACTIONS = ["login.failed", "login.locked"] as const;
export type RefusedLogin = (typeof REFUSED_LOGIN_ACTIONS)[number];
export const REFUSED_BURST_MS = 15 * 60_000;
export const REFUSED_LOGIN_ROWS_MAX = 1000;
const NAMES_KEPT = 10;

interface BurstDetail { attempts: number; users: string[]; first: string; last: string }

let refusals: Promise<unknown> = Promise.resolve();

/** A refused login, counted into its burst's row (one read-modify-write at a time). */
export function recordRefusedLogin(action: RefusedLogin, username: string, clientIp: string, result: string, now = new Date()): Promise<void> {
  const run = refusals.then(() => countRefusal(action, username.slice(0, 64), clientIp, result, now));
  refusals = run.catch(() => undefined);
  return run;
}

const burstTarget = (d: BurstDetail) => (d.attempts === 1 ? d.users[0] ?? "-" : `${d.users.join(", ") || "-"}${d.users.length >= NAMES_KEPT ? ", ..." : ""} (${d.attempts} attempts)`);

async function countRefusal(action: RefusedLogin, username: string, clientIp: string, result: string, now: Date) {
  const burst = await db.auditEvent.findFirst({ where: { action, clientIp, at: { gte: new Date(now.getTime() - REFUSED_BURST_MS) } }, orderBy: { id: "desc" } });
  // "" when server.mjs refused the post before its form was read
  const name = username;
  if (burst) {
    const d = parseBurst(burst.after, burst.target, burst.at);
    const detail: BurstDetail = { ...d, attempts: d.attempts + 1, users: !name || d.users.includes(name) || d.users.length >= NAMES_KEPT ? d.users : [...d.users, name], last: now.toISOString() };
    await db.auditEvent.update({ where: { id: burst.id }, data: { target: burstTarget(detail), after: JSON.stringify(detail) } });
    return;
  }
  const detail: BurstDetail = { attempts: 1, users: name ? [name] : [], first: now.toISOString(), last: now.toISOString() };
  await db.auditEvent.create({ data: { actor: name || "-", clientIp, action, target: burstTarget(detail), result, after: JSON.stringify(detail), at: now } });
  await capRefusedLogins();
}

function parseBurst(after: string | null, target: string, at: Date): BurstDetail {
  try {
    const d = JSON.parse(after ?? "") as BurstDetail;
    if (Number.isInteger(d.attempts) && Array.isArray(d.users)) return d;
  } catch { /* a row from before bursts were counted */ }
  return { attempts: 1, users: [target], first: at.toISOString(), last: at.toISOString() };
}

/** Only the newest REFUSED_LOGIN_ROWS_MAX rows of refused logins stay; real events are never touched. */
async function capRefusedLogins() {
  const where = { action: { in: [...REFUSED_LOGIN_ACTIONS] } };
  const edge = await db.auditEvent.findFirst({ where, orderBy: { id: "desc" }, skip: REFUSED_LOGIN_ROWS_MAX - 1, select: { id: true } });
  if (edge) await db.auditEvent.deleteMany({ where: { ...where, id: { lt: edge.id } } });
}
