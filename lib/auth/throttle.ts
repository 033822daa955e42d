// Login throttling per account and per client address: after a few failures each
// attempt waits longer, then the account or address is locked for a while.
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

export async function loginThrottle(username: string, clientIp: string, now = Date.now()): Promise<Throttle> {
  const since = new Date(now - WINDOW_MS);
  const failures = async (where: { username?: string; clientIp?: string }) =>
    db.loginAttempt.findMany({ where: { ...where, ok: false, at: { gte: since } }, orderBy: { at: "asc" }, select: { at: true } });
  const [byUser, byIp] = await Promise.all([failures({ username }), failures({ clientIp })]);
  const worst = byUser.length >= byIp.length ? byUser : byIp;
  if (worst.length >= LOCK_AFTER) {
    const unlock = worst[worst.length - LOCK_AFTER].at.getTime() + WINDOW_MS;
    return { locked: true, delayMs: 0, retryAfterMs: Math.max(0, unlock - now) };
  }
  const over = worst.length - SLOW_AFTER + 1;
  return { locked: false, delayMs: over > 0 ? Math.min(8000, BASE_DELAY_MS * 2 ** over) : 0, retryAfterMs: 0 };
}

export async function recordLoginAttempt(username: string, clientIp: string, ok: boolean): Promise<void> {
  await db.loginAttempt.create({ data: { username: username.slice(0, 64), clientIp, ok } });
  // a success clears that account's failures from this address
  if (ok) await db.loginAttempt.deleteMany({ where: { username, clientIp, ok: false } });
}
