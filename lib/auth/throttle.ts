// Login throttling per (account, client address) and per client address: after a few
// failures each attempt waits longer, then that pair (or that address, trying many accounts)
// is locked for a while. Failures from one address never lock the account for another
// address, so nobody on the LAN can lock the admin out of the console (loopback) or their own
// machine.
//
// Atomic: an attempt is counted (written as a failure) and the limit enforced in one step
// under a lock, before the password is checked; a success turns its own row into a success.
// Twenty guesses sent at once are therefore counted one after the other, and those past
// the limit are refused without a password check. The lock is this process's (the one
// server process answers every login).
import { db } from "@/lib/db";

export const WINDOW_MS = 15 * 60_000;
export const SLOW_AFTER = 3;
export const LOCK_AFTER = 10;
/** first delay after SLOW_AFTER failures; doubles with each further failure, at most 8 s */
const BASE_DELAY_MS = Number(process.env.SWITCHYARD_LOGIN_DELAY_MS) >= 0 && process.env.SWITCHYARD_LOGIN_DELAY_MS ? Number(process.env.SWITCHYARD_LOGIN_DELAY_MS) : 250;

export interface Throttle {
  locked: boolean;
  delayMs: number;
  retryAfterMs: number;
}

export type Reservation = ({ locked: true } & Throttle) | ({ locked: false; attemptId: number } & Throttle);

let queue: Promise<unknown> = Promise.resolve();
/** One at a time: what runs inside sees every attempt counted before it. */
function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

export async function loginThrottle(username: string, clientIp: string, now = Date.now()): Promise<Throttle> {
  const since = new Date(now - WINDOW_MS);
  const failures = async (where: { username?: string; clientIp: string }) =>
    db.loginAttempt.findMany({ where: { ...where, ok: false, at: { gte: since } }, orderBy: { at: "asc" }, select: { at: true } });
  const [byPair, byIp] = await Promise.all([failures({ username, clientIp }), failures({ clientIp })]);
  const worst = byPair.length >= byIp.length ? byPair : byIp;
  if (worst.length >= LOCK_AFTER) {
    const unlock = worst[worst.length - LOCK_AFTER].at.getTime() + WINDOW_MS;
    return { locked: true, delayMs: 0, retryAfterMs: Math.max(0, unlock - now) };
  }
  const over = worst.length - SLOW_AFTER + 1;
  return { locked: false, delayMs: over > 0 ? Math.min(8000, BASE_DELAY_MS * 2 ** over) : 0, retryAfterMs: 0 };
}

/** Count this attempt (as a failure until it succeeds) unless the limit is reached: one step. */
export function reserveLoginAttempt(username: string, clientIp: string): Promise<Reservation> {
  return serialised(async () => {
    const t = await loginThrottle(username, clientIp);
    if (t.locked) return { ...t, locked: true as const };
    const row = await db.loginAttempt.create({ data: { username: username.slice(0, 64), clientIp, ok: false }, select: { id: true } });
    return { ...t, locked: false, attemptId: row.id };
  });
}

/** The password was right: the attempt is a success, and this pair's failures are forgiven. */
export async function loginSucceeded(attemptId: number, username: string, clientIp: string): Promise<void> {
  await serialised(async () => {
    await db.loginAttempt.update({ where: { id: attemptId }, data: { ok: true } });
    await db.loginAttempt.deleteMany({ where: { username, clientIp, ok: false } });
  });
}
