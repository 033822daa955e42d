// Scheduled copies (lib/backup/scheduled.ts) and their setting in the import file: due daily or
// weekly from the newest copy's time (a restart neither skips nor repeats), written 0600 in a
// 0700 backups/ folder, the newest `keep` kept; "backups" in the config file round-trips, a bad
// value is refused at its path and nothing is imported.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../helpers/processes";

let t: Awaited<ReturnType<typeof tempDatabase>>;
let db: typeof import("@/lib/db").db;
let cf: typeof import("@/lib/data/config-file");
let scheduled: typeof import("@/lib/backup/scheduled");
const H = 3600_000;

beforeAll(async () => {
  t = await tempDatabase("backups");
  process.env.DATABASE_URL = t.url;
  ({ db } = await import("@/lib/db"));
  cf = await import("@/lib/data/config-file");
  expect(await cf.importConfigFile((await import("@/lib/examples")).classicOffice)).toMatchObject({ ok: true });
  scheduled = await import("@/lib/backup/scheduled");
});
afterAll(async () => {
  await db?.$disconnect();
  await t?.cleanup();
});

describe("when a copy is due", () => {
  const now = Date.parse("2026-12-07T12:00:00Z");
  it("never when off; at once with no copy; daily after a day, weekly after a week", () => {
    const { backupDue } = scheduled;
    expect(backupDue({ every: "off", keep: 7 }, null, now)).toBe(false);
    expect(backupDue({ every: "daily", keep: 7 }, null, now)).toBe(true);
    expect(backupDue({ every: "daily", keep: 7 }, new Date(now - 23 * H), now)).toBe(false);
    expect(backupDue({ every: "daily", keep: 7 }, new Date(now - 24 * H), now)).toBe(true);
    expect(backupDue({ every: "weekly", keep: 7 }, new Date(now - 6 * 24 * H), now)).toBe(false);
    expect(backupDue({ every: "weekly", keep: 7 }, new Date(now - 7 * 24 * H), now)).toBe(true);
  });
});

describe("the monitor's scheduled copies", () => {
  it("writes the export 0600 into a 0700 backups/ folder once when due, and keeps the newest N", async () => {
    const dir = path.join(t.dir, "backups");
    const lines: string[] = [];
    // off: nothing
    let tick = scheduled.scheduledBackups((l) => lines.push(l), dir);
    tick(Date.now());
    await new Promise((r) => setTimeout(r, 200));
    expect(fs.existsSync(dir)).toBe(false);

    const { writeBackupSchedule } = await import("@/lib/backup/schedule-store");
    await writeBackupSchedule(db, { every: "daily", keep: 2 });
    tick = scheduled.scheduledBackups((l) => lines.push(l), dir);
    tick(Date.now());
    await expect.poll(() => scheduled.listBackups(dir).length).toBe(1);
    expect(lines.at(-1)).toMatch(/^backup: wrote .*switchyard-config-\d{8}-\d{6}\.json \(daily, keeping 2\)$/);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const [first] = scheduled.listBackups(dir);
    expect(fs.statSync(path.join(dir, first.name)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(path.join(dir, first.name), "utf8"))).toEqual(await cf.exportConfigFile());
    // a restarted monitor, the copy an hour old: not due again
    const again = scheduled.scheduledBackups((l) => lines.push(l), dir);
    again(Date.now() + H);
    await new Promise((r) => setTimeout(r, 200));
    expect(scheduled.listBackups(dir)).toHaveLength(1);

    fs.writeFileSync(path.join(dir, "notes.txt"), "mine"); // not a copy: never removed
    for (const at of ["2026-12-08T12:00:00Z", "2026-12-09T12:00:00Z", "2026-12-10T12:00:00Z"]) await scheduled.writeBackup(2, dir, new Date(at));
    expect(scheduled.listBackups(dir).map((c) => c.name)).toEqual(["switchyard-config-20261210-120000.json", "switchyard-config-20261209-120000.json"]);
    expect(fs.existsSync(path.join(dir, "notes.txt"))).toBe(true);
  });
});

describe("the schedule in the configuration file", () => {
  it("is exported when on, imported with the file, and a bad value is refused at its path with nothing changed", async () => {
    const { writeBackupSchedule, loadBackupSchedule } = await import("@/lib/backup/schedule-store");
    await writeBackupSchedule(db, { every: "weekly", keep: 4 });
    const file = await cf.exportConfigFile();
    expect(file.backups).toEqual({ every: "weekly", keep: 4 });
    await writeBackupSchedule(db, { every: "off", keep: 7 });
    expect((await cf.exportConfigFile()).backups).toBeUndefined(); // off: the file as before
    expect(await cf.importConfigFile(file)).toMatchObject({ ok: true });
    expect(await loadBackupSchedule()).toEqual({ every: "weekly", keep: 4 });

    const r = await cf.importConfigFile({ ...file, hosts: [], backups: { every: "hourly", keep: 0 } });
    expect(r).toMatchObject({ ok: false });
    if (r.ok) return;
    expect(r.issues).toEqual(
      expect.arrayContaining([
        { path: ["backups", "every"], message: "Choose off, daily or weekly" },
        { path: ["backups", "keep"], message: "Keep at least 1 copy" },
      ]),
    );
    expect((await cf.exportConfigFile()).hosts).toHaveLength(file.hosts.length);
    // without the key: the schedule is left as it is
    const { backups: _b, ...without } = file;
    expect(await cf.importConfigFile(without)).toMatchObject({ ok: true });
    expect(await loadBackupSchedule()).toEqual({ every: "weekly", keep: 4 });
  });
});
