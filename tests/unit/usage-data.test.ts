// Usage against a real temporary SQLite database: totals that survive a monitor restart and
// a counter reset, days split at local midnight, and a cap's warnings each sent once a month.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../helpers/processes";

let dir: string;
let db: typeof import("@/lib/db").db;
let traffic: typeof import("@/lib/usage/traffic");
let caps: typeof import("@/lib/usage/caps");

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-usage-"));
  const url = `file:${path.join(dir, "test.db")}`;
  process.env.DATABASE_URL = url;
  const migrated = await prisma(["migrate", "deploy"], { DATABASE_URL: url });
  if (migrated.exitCode !== 0) throw new Error(migrated.stderr);
  ({ db } = await import("@/lib/db"));
  traffic = await import("@/lib/usage/traffic");
  caps = await import("@/lib/usage/caps");
});
afterAll(async () => {
  await db?.$disconnect();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.$transaction([
    db.ispTraffic.deleteMany(),
    db.ispCounter.deleteMany(),
    db.ispCap.deleteMany(),
    db.ispCapWarning.deleteMany(),
    db.notifyEvent.deleteMany(),
  ]);
});

const TZ = "UTC";
const LTE = [{ name: "lte", wanInterface: "wan-c" }];
const at = (d: number, h: number, m = 0) => Date.UTC(2026, 11, d, h, m);
const read = (tx: number, rx: number) => ({ "wan-c": { tx, rx } });

describe("traffic totals", () => {
  it("survive a monitor restart (the last reading is stored) and a counter reset (a drop counts from 0)", async () => {
    await traffic.recordTraffic(read(5_000, 50_000), LTE, at(7, 10), TZ); // baseline
    await traffic.recordTraffic(read(6_000, 70_000), LTE, at(7, 10, 1), TZ);
    // the monitor restarts: recordTraffic keeps nothing in memory, the stored reading carries on
    const again = traffic;
    await again.recordTraffic(read(6_500, 71_000), LTE, at(7, 11), TZ);
    // an apply recreated the chain: the counters start again near 0
    await again.recordTraffic(read(300, 2_000), LTE, at(7, 11, 1), TZ);
    await again.recordTraffic(null, LTE, at(7, 11, 2), TZ); // nothing readable: nothing changes
    expect(await traffic.trafficByDay("lte", "2026-12-01")).toEqual([{ day: "2026-12-07", tx: 1_000 + 500 + 300, rx: 20_000 + 1_000 + 2_000 }]);
  });

  it("bytes go to the local day of their reading; the month sums its days", async () => {
    await traffic.recordTraffic(read(0, 0), LTE, at(1, 0), TZ); // Dec 1st 00:00 baseline
    await traffic.recordTraffic(read(100, 1_000), LTE, at(1, 23, 59), TZ);
    await traffic.recordTraffic(read(300, 4_000), LTE, at(2, 0, 1), TZ);
    expect(await traffic.trafficByDay("lte", "2026-12-01")).toEqual([
      { day: "2026-12-01", tx: 100, rx: 1_000 },
      { day: "2026-12-02", tx: 200, rx: 3_000 },
    ]);
    expect((await traffic.trafficOfMonth("2026-12")).get("lte")).toEqual({ tx: 300, rx: 4_000 });
    expect((await traffic.trafficOfMonth("2026-11")).get("lte")).toBeUndefined();
  });
});

describe("monthly caps", () => {
  it("send each warning once per threshold and month; last resort above 100 % makes the ISP capped", async () => {
    await caps.writeCapRow(db, "lte", { capBytes: 10_000_000, warnPct: [80, 90, 100], lastResort: true });
    const use = async (bytes: number, t: number) => {
      await db.ispTraffic.upsert({
        where: { isp_day: { isp: "lte", day: traffic.dayKey(t, TZ) } },
        create: { isp: "lte", day: traffic.dayKey(t, TZ), txBytes: bytes, rxBytes: 0 },
        update: { txBytes: { increment: bytes } },
      });
      return caps.checkCaps(t, () => {}, TZ);
    };
    expect(await use(7_000_000, at(7, 10))).toEqual([]);
    expect(await use(1_500_000, at(7, 11))).toEqual([]); // 85 %: the 80 % warning
    expect(await use(0, at(7, 12))).toEqual([]); // checked again: nothing new
    expect(await use(2_000_000, at(8, 9))).toEqual(["lte"]); // 105 %: 90 and 100 % at once, and capped
    expect(await use(0, at(8, 10))).toEqual(["lte"]);
    const sent = (await db.notifyEvent.findMany({ orderBy: { id: "asc" } })).map((e) => JSON.parse(e.payload));
    expect(sent.map((e) => [e.kind, e.isp, e.percent, e.month])).toEqual([
      ["usage-cap", "lte", 80, "2026-12"],
      ["usage-cap", "lte", 90, "2026-12"],
      ["usage-cap", "lte", 100, "2026-12"],
    ]);
    expect(sent[2]).toMatchObject({ usedBytes: 10_500_000, capBytes: 10_000_000 });
    // a new month starts from nothing: not capped, no warning
    expect(await use(0, Date.UTC(2027, 0, 1, 0, 1))).toEqual([]);
    expect(await db.notifyEvent.count()).toBe(3);
  });

  it("without last resort an ISP over its cap is warned about but never capped", async () => {
    await caps.writeCapRow(db, "lte", { capBytes: 1_000_000, warnPct: [100], lastResort: false });
    await db.ispTraffic.create({ data: { isp: "lte", day: "2026-12-07", txBytes: 2_000_000, rxBytes: 0 } });
    expect(await caps.checkCaps(at(7, 12), () => {}, TZ)).toEqual([]);
    expect(await db.notifyEvent.count()).toBe(1);
  });
});

describe("an ISP's figures", () => {
  it("read alone (its page) still see the other ISPs that carried its hosts while it was down", async () => {
    const { usageOf } = await import("@/lib/usage/view");
    const now = at(7, 12);
    await db.ispSample.deleteMany();
    const rows = [];
    for (let t = now - 3_600_000; t < now; t += 10_000) {
      rows.push({ at: new Date(t), resolution: 10, isp: "ISP1", state: t >= now - 1_800_000 && t < now - 1_200_000 ? "down" : "up" });
      rows.push({ at: new Date(t), resolution: 10, isp: "ISP2", state: "up" });
    }
    await db.ispSample.createMany({ data: rows });
    const [u] = await usageOf(["ISP1"], { now, among: ["ISP1", "ISP2"], timeZone: TZ });
    expect(u.uptime["24h"]).toMatchObject({ measuredMs: 3_600_000, downMs: 600_000, onBackupMs: 600_000, outages: 1 });
    expect(u.outages).toEqual([{ start: now - 1_800_000, end: now - 1_200_000, ongoing: false }]);
  });
});
