// The apply lock on a real (temporary) SQLite database: one holder, a clear refusal,
// and a dead or expired holder taken over.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../helpers/processes";

let lock: typeof import("@/lib/engine/lock");
let db: typeof import("@/lib/db").db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const t = await tempDatabase("lock");
  cleanup = t.cleanup;
  process.env.DATABASE_URL = t.url;
  lock = await import("@/lib/engine/lock");
  db = (await import("@/lib/db")).db;
});
afterAll(async () => {
  await db.$disconnect();
  await cleanup();
});

describe("apply lock", () => {
  it("a second taker waits, then is refused with who holds it and since when", async () => {
    const held = await lock.acquireApplyLock("admin (ui, pid 1)");
    const t = Date.now();
    const err = await lock.acquireApplyLock("cli:root (cli)", { waitMs: 400 }).catch((e) => e);
    expect(Date.now() - t).toBeGreaterThanOrEqual(350);
    expect(err).toBeInstanceOf(lock.BusyError);
    expect(err.message).toMatch(/^admin \(ui, pid 1\) has been applying a configuration since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);
    expect(await lock.applyLockHolder()).toMatchObject({ holder: "admin (ui, pid 1)", pid: process.pid });
    await held.release();
    expect(await lock.applyLockHolder()).toBeNull();
  });

  it("a waiter gets the lock as soon as the holder releases it", async () => {
    const held = await lock.acquireApplyLock("first");
    setTimeout(() => void held.release(), 200);
    const second = await lock.acquireApplyLock("second", { waitMs: 5000 });
    expect(await second.stillHeld()).toBe(true);
    expect(await held.stillHeld()).toBe(false);
    await second.release();
  });

  it("20 takers at once: exactly one wins", async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => lock.acquireApplyLock(`t${i}`, { waitMs: 0 })));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof lock.acquireApplyLock>>>).value.release();
  });

  it("a holder whose process is gone (or whose pid was reused) is taken over; so is an expired lease", async () => {
    const me = lock.currentProcess();
    // same pid, another start time: a reused pid, not the owner
    await db.applyLock.create({ data: { id: 1, token: "dead", holder: "killed apply", pid: me.pid, pidStart: "1", expiresAt: new Date(Date.now() + 60_000) } });
    const a = await lock.acquireApplyLock("after a crash", { waitMs: 0 });
    await a.release();
    // a live owner whose lease expired (frozen)
    await db.applyLock.create({
      data: { id: 1, token: "frozen", holder: "frozen apply", pid: me.pid, pidStart: me.pidStart, expiresAt: new Date(Date.now() - 1000) },
    });
    const b = await lock.acquireApplyLock("after expiry", { waitMs: 0 });
    await b.release();
    // a live owner with a valid lease is respected
    await db.applyLock.create({
      data: { id: 1, token: "live", holder: "live apply", pid: me.pid, pidStart: me.pidStart, expiresAt: new Date(Date.now() + 60_000) },
    });
    await expect(lock.acquireApplyLock("intruder", { waitMs: 0 })).rejects.toThrow(/live apply has been applying/);
    await db.applyLock.deleteMany();
  });

  it("processAlive tells a live process from a dead one", () => {
    expect(lock.processAlive(lock.currentProcess())).toBe(true);
    expect(lock.processAlive({ pid: 4_194_000, pidStart: "5" })).toBe(false);
  });
});
