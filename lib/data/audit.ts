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
/** refusals queued and not yet written, by kind and address: a flood adds to one, not to the queue */
const waiting = new Map<string, { attempts: number; users: string[]; done: Promise<void> }>();

/**
 * A refused login, counted into its burst's row (one read-modify-write at a time). Refusals that
 * arrive while one of theirs is still queued are added to it, so the queue (and the memory it
 * holds) never outgrows the number of addresses, however fast a flood that is not waited for
 * (server.mjs's early answer) comes in.
 */
export function recordRefusedLogin(action: RefusedLogin, username: string, clientIp: string, result: string): Promise<void> {
  const key = `${action} ${clientIp}`;
  const name = username.slice(0, 64); // "" when server.mjs refused the post before its form was read
  const queued = waiting.get(key);
  if (queued) {
    queued.attempts++;
    if (name && !queued.users.includes(name) && queued.users.length < NAMES_KEPT) queued.users.push(name);
    return queued.done;
  }
  const entry = { attempts: 1, users: name ? [name] : [], done: Promise.resolve() };
  waiting.set(key, entry);
  entry.done = refusals.then(() => {
    waiting.delete(key);
    return countRefusals(action, entry.attempts, entry.users, clientIp, result, new Date());
  });
  refusals = entry.done.catch(() => undefined);
  return entry.done;
}

const burstTarget = (d: BurstDetail) => (d.attempts === 1 ? d.users[0] ?? "-" : `${d.users.join(", ") || "-"}${d.users.length >= NAMES_KEPT ? ", ..." : ""} (${d.attempts} attempts)`);

async function countRefusals(action: RefusedLogin, attempts: number, names: string[], clientIp: string, result: string, now: Date) {
  const burst = await db.auditEvent.findFirst({ where: { action, clientIp, at: { gte: new Date(now.getTime() - REFUSED_BURST_MS) } }, orderBy: { id: "desc" } });
  if (burst) {
    const d = parseBurst(burst.after, burst.target, burst.at);
    const users = [...d.users, ...names.filter((n) => !d.users.includes(n))].slice(0, NAMES_KEPT);
    const detail: BurstDetail = { ...d, attempts: d.attempts + attempts, users, last: now.toISOString() };
    await db.auditEvent.update({ where: { id: burst.id }, data: { target: burstTarget(detail), after: JSON.stringify(detail) } });
    return;
  }
  const detail: BurstDetail = { attempts, users: names, first: now.toISOString(), last: now.toISOString() };
  await db.auditEvent.create({ data: { actor: names[0] ?? "-", clientIp, action, target: burstTarget(detail), result, after: JSON.stringify(detail), at: now } });
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
