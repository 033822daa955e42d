// One apply at a time across every process that applies (web server, CLI, boot,
// the monitor): a lease row in SQLite. Row 1 exists while someone holds it.
// - take: INSERT row 1; if it exists and its owner is dead (pid gone, or reused
//   by another process: its start time differs) or the lease expired, swap it in
//   one UPDATE ... WHERE token = <the token we saw>: of two takers only one wins.
// - hold: the lease is renewed while the holder's event loop runs, so a live apply
//   never expires; a frozen or killed one does.
// - wait: a second apply waits (SWITCHYARD_LOCK_WAIT_MS, default 10 s), then is
//   refused with who holds the lock and since when.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { db } from "@/lib/db";

const LEASE_MS = 60_000;
const RENEW_MS = 10_000;
const POLL_MS = 100;

export interface ProcessOwner {
  pid: number;
  pidStart: string;
}

/** Field 22 of /proc/PID/stat (start time in clock ticks); "" when /proc cannot tell. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) may hold spaces and parentheses: count from the last ")"
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
  } catch {
    return null;
  }
}

export function currentProcess(): ProcessOwner {
  return { pid: process.pid, pidStart: startTimeOf(process.pid) ?? "" };
}

/** Is this process still running (and still the same process, not a reused pid)? */
export function processAlive(owner: ProcessOwner): boolean {
  const start = startTimeOf(owner.pid);
  if (start === null) {
    try {
      process.kill(owner.pid, 0);
      return !owner.pidStart; // /proc unreadable for it: trust kill(0) only if we never knew a start time
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "EPERM";
    }
  }
  return !owner.pidStart || start === owner.pidStart;
}

export class BusyError extends Error {
  constructor(
    public holder: string,
    public since: Date,
  ) {
    super(
      `${holder} has been applying a configuration since ${since
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z")}. Wait for it to finish, then try again.`,
    );
    this.name = "BusyError";
  }
}

export interface HeldLock {
  token: string;
  /** false once another process took the lease over (ours expired) */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

export function lockWaitMs(env = process.env): number {
  const n = Number(env.SWITCHYARD_LOCK_WAIT_MS);
  return Number.isFinite(n) && n >= 0 ? n : 10_000;
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === "P2002" || /UNIQUE constraint/i.test(String((e as Error)?.message));

/** One attempt: the lock, or the row of whoever holds it. */
async function tryTake(holder: string, token: string): Promise<{ ok: true } | { ok: false; holder: string; since: Date }> {
  const me = currentProcess();
  const data = { token, holder, pid: me.pid, pidStart: me.pidStart, since: new Date(), expiresAt: new Date(Date.now() + LEASE_MS) };
  try {
    await db.applyLock.create({ data: { id: 1, ...data } });
    return { ok: true };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  const row = await db.applyLock.findUnique({ where: { id: 1 } });
  if (!row) return tryTake(holder, token); // released between our insert and our read
  const stale = row.expiresAt.getTime() < Date.now() || !processAlive(row);
  if (!stale) return { ok: false, holder: row.holder, since: row.since };
  const swapped = await db.applyLock.updateMany({ where: { id: 1, token: row.token }, data });
  return swapped.count === 1 ? { ok: true } : { ok: false, holder: row.holder, since: row.since };
}

export async function acquireApplyLock(holder: string, opts: { waitMs?: number } = {}): Promise<HeldLock> {
  const token = randomUUID();
  const deadline = Date.now() + (opts.waitMs ?? lockWaitMs());
  for (;;) {
    const r = await tryTake(holder, token);
    if (r.ok) break;
    if (Date.now() >= deadline) throw new BusyError(r.holder, r.since);
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
  const renew = setInterval(() => {
    db.applyLock.updateMany({ where: { id: 1, token }, data: { expiresAt: new Date(Date.now() + LEASE_MS) } }).catch(() => undefined);
  }, RENEW_MS);
  renew.unref();
  return {
    token,
    stillHeld: async () => (await db.applyLock.count({ where: { id: 1, token } })) === 1,
    release: async () => {
      clearInterval(renew);
      // never thrown over what the holder has to say (a full disk fails this write too): a lease
      // left behind is taken over at once when this process is gone, else when it expires
      await db.applyLock.deleteMany({ where: { id: 1, token } }).catch(() => undefined);
    },
  };
}

/** Run fn holding the apply lock: from before observe until the revision is recorded. */
export async function withApplyLock<T>(holder: string, fn: () => Promise<T>, opts: { waitMs?: number } = {}): Promise<T> {
  const lock = await acquireApplyLock(holder, opts);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/** Who holds the lock now, if anyone alive does. */
export async function applyLockHolder(): Promise<{ holder: string; since: Date; pid: number } | null> {
  const row = await db.applyLock.findUnique({ where: { id: 1 } });
  if (!row || row.expiresAt.getTime() < Date.now() || !processAlive(row)) return null;
  return { holder: row.holder, since: row.since, pid: row.pid };
}
