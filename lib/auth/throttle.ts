// Login throttling. Failures are counted in four budgets per window, and reaching any of them
// locks what it counts for the rest of the window:
//   - per (account, client address)             LOCK_AFTER     (after SLOW_AFTER each attempt waits longer)
//   - per client address, over every account    LOCK_AFTER     (one address trying many names)
//   - per account, all LAN addresses together   ACCOUNT_LOCK_AFTER (many addresses guessing one password)
//   - per account, from the console (127.0.0.1 or ::1): the console's own budget, CONSOLE_LOCK_AFTER
// Any number of addresses together therefore make at most ACCOUNT_LOCK_AFTER guesses at an
// account per window, and then lock it for everyone but the console: a browser on the gateway
// itself or an SSH tunnel to it (ssh -L arrives from 127.0.0.1) keeps its own budget, which only
// local processes can spend. Other loopback addresses (127.0.0.2 ...) count as the LAN: anyone
// on the machine can bind them. (A reverse proxy not listed in SWITCHYARD_TRUSTED_PROXIES makes
// every client look like the console: docs/security.md.)
//
// Atomic: an attempt is counted (written as a failure) and the limits enforced in one step,
// serialised in this process, before the password is checked; a success turns its own row
// into a success. Guesses sent at once are counted one after the other, and those past a limit
// are refused without a password check. The server process answers every login.
//
// Cheap when locked: a lock, once found, is kept in memory (with its end), so a locked address
// or account is answered at once, without a database query, a queue, or the password hash.
import { db } from "@/lib/db";
import { recordRefusedLogin } from "@/lib/data/audit";

export const WINDOW_MS = 15 * 60_000;
export const SLOW_AFTER = 3;
export const LOCK_AFTER = 10;
export const ACCOUNT_LOCK_AFTER = 20;
export const CONSOLE_LOCK_AFTER = 10;
/** first delay after SLOW_AFTER failures; doubles with each further failure, at most 8 s */
const BASE_DELAY_MS =
  Number(process.env.SWITCHYARD_LOGIN_DELAY_MS) >= 0 && process.env.SWITCHYARD_LOGIN_DELAY_MS ? Number(process.env.SWITCHYARD_LOGIN_DELAY_MS) : 250;

export interface Throttle {
  locked: boolean;
  delayMs: number;
  retryAfterMs: number;
}

export type Reservation = ({ locked: true } & Throttle) | ({ locked: false; attemptId: number } & Throttle);

/** Which shared budget of an account an address spends: the console's or everyone else's. */
export const poolOf = (clientIp: string) => (clientIp === "127.0.0.1" || clientIp === "::1" ? "console" : "lan");

// --- locks known to this process: key -> when it ends (ms) -------------------------------
const locks = new Map<string, number>();
const MAX_LOCKS = 20_000;
const lockKeys = (username: string, clientIp: string) => [`ip ${clientIp}`, `pair ${username} ${clientIp}`, `account ${poolOf(clientIp)} ${username}`];

/** The lock in memory that refuses this attempt: ms until it ends, or 0. */
export function knownLock(username: string, clientIp: string, now = Date.now()): number {
  let until = 0;
  for (const k of lockKeys(username, clientIp)) {
    const end = locks.get(k);
    if (end === undefined) continue;
    if (end <= now) locks.delete(k);
    else until = Math.max(until, end);
  }
  return until ? until - now : 0;
}

function remember(key: string, end: number, now: number) {
  if (locks.size >= MAX_LOCKS) {
    for (const [k, e] of locks) if (e <= now) locks.delete(k);
    // still full (an address flood): the oldest go; the database still holds their failures
    for (const k of locks.keys()) {
      if (locks.size < MAX_LOCKS) break;
      locks.delete(k);
    }
  }
  locks.set(key, end);
}

/**
 * For server.mjs: ms left on this address's own lock (or 0). It answers a login form post from a
 * locked address before Next renders the page (which costs far more than the refusal, and a
 * flood of them held every other login up); the refusal is counted in the audit log as any other.
 */
function addressLock(clientIp: string): number {
  const now = Date.now();
  const end = locks.get(`ip ${clientIp}`) ?? 0;
  if (end <= now) return 0;
  void recordRefusedLogin("login.locked", "", clientIp, "refused").catch(() => undefined);
  return end - now;
}
(globalThis as { switchyardAddressLock?: (clientIp: string) => number }).switchyardAddressLock = addressLock;

/** Tests that empty the LoginAttempt table forget this process's memory of locks too. */
export function forgetLoginLocks() {
  locks.clear();
}

let queue: Promise<unknown> = Promise.resolve();
/** One at a time: what runs inside sees every attempt counted before it. */
function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/** Failures in the window as [key, times]; the locks they make, and the delay before the next check. */
export async function loginThrottle(username: string, clientIp: string, now = Date.now()): Promise<Throttle & { lockedKeys: [string, number][] }> {
  const since = new Date(now - WINDOW_MS);
  const failures = async (where: { username?: string; clientIp?: string }) =>
    db.loginAttempt.findMany({ where: { ...where, ok: false, at: { gte: since } }, orderBy: { at: "asc" }, select: { at: true, clientIp: true } });
  const [byPair, byIp, byAccount] = await Promise.all([failures({ username, clientIp }), failures({ clientIp }), failures({ username })]);
  const pool = poolOf(clientIp);
  const byPool = byAccount.filter((f) => poolOf(f.clientIp) === pool);
  const [ipKey, pairKey, accountKey] = lockKeys(username, clientIp);
  const budgets: [string, { at: Date }[], number][] = [
    [pairKey, byPair, LOCK_AFTER],
    [ipKey, byIp, LOCK_AFTER],
    [accountKey, byPool, pool === "console" ? CONSOLE_LOCK_AFTER : ACCOUNT_LOCK_AFTER],
  ];
  const lockedKeys: [string, number][] = [];
  for (const [key, list, limit] of budgets) {
    if (list.length >= limit) lockedKeys.push([key, list[list.length - limit].at.getTime() + WINDOW_MS]);
  }
  if (lockedKeys.length) {
    const unlock = Math.max(...lockedKeys.map(([, end]) => end));
    return { locked: true, delayMs: 0, retryAfterMs: Math.max(0, unlock - now), lockedKeys };
  }
  // slow down one address's own guesses; the account's shared budget never slows the admin
  const over = Math.max(byPair.length, byIp.length) - SLOW_AFTER + 1;
  return { locked: false, delayMs: over > 0 ? Math.min(8000, BASE_DELAY_MS * 2 ** over) : 0, retryAfterMs: 0, lockedKeys };
}

let lastPrune = 0;
/** Attempts older than the window decide nothing: they go (at most once a minute), so the table stays small. */
async function prune(now: number) {
  if (now - lastPrune < 60_000) return;
  lastPrune = now;
  await db.loginAttempt.deleteMany({ where: { at: { lt: new Date(now - WINDOW_MS) } } });
}

/** Count this attempt (as a failure until it succeeds) unless a limit is reached: one step. */
export function reserveLoginAttempt(username: string, clientIp: string): Promise<Reservation> {
  const known = knownLock(username, clientIp);
  if (known) return Promise.resolve({ locked: true, delayMs: 0, retryAfterMs: known });
  return serialised(async () => {
    const now = Date.now();
    // another attempt queued before this one may have found the lock meanwhile
    const known = knownLock(username, clientIp, now);
    if (known) return { locked: true as const, delayMs: 0, retryAfterMs: known };
    await prune(now);
    const { lockedKeys, ...t } = await loginThrottle(username, clientIp, now);
    if (t.locked) {
      for (const [key, end] of lockedKeys) remember(key, end, now);
      return { ...t, locked: true as const };
    }
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

// --- the password hash: one at a time per address ------------------------------------------
const hashing = new Map<string, Promise<unknown>>();

/**
 * Run the password check for this address after the address's previous one: its up to
 * LOCK_AFTER reserved guesses take turns instead of filling the thread pool that every other
 * address's login needs too.
 */
export function oneHashAtATime<T>(clientIp: string, fn: () => Promise<T>): Promise<T> {
  const before = hashing.get(clientIp) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.catch(() => undefined);
  hashing.set(clientIp, tail);
  void tail.then(() => {
    if (hashing.get(clientIp) === tail) hashing.delete(clientIp);
  });
  return run;
}
