// Scheduled copies of the configuration file (the export, as `switchyard config export` writes
// it) in <data dir>/backups/, made by the monitor's long-running process: daily or weekly, the
// newest `keep` kept. The directory is 0700 and each copy 0600, as the database beside it
// (lib/data-files.ts): a copy names every host and address of the network. Whether a copy is
// due is judged from the newest file's time, so a restarted monitor neither skips nor repeats one.
import fs from "node:fs";
import path from "node:path";
import { databaseFile, databaseUrl } from "@/lib/db-url";
import { exportConfigFile } from "@/lib/data/config-file";
import { fileText } from "./restore";
import { loadBackupSchedule } from "./schedule-store";
import type { BackupScheduleInput } from "@/lib/validation/backup";

export const BACKUP_FILE = /^switchyard-config-\d{8}-\d{6}\.json$/;
const PERIOD_MS = { daily: 24 * 3600_000, weekly: 7 * 24 * 3600_000 } as const;

export const backupDir = (dbFile = databaseFile(databaseUrl())) => path.join(path.dirname(dbFile), "backups");

export interface BackupFile {
  name: string;
  at: Date;
  bytes: number;
}

/** The copies, newest first (only files named as this module names them). */
export function listBackups(dir = backupDir()): BackupFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => BACKUP_FILE.test(n))
    .map((name) => {
      const st = fs.statSync(path.join(dir, name));
      return { name, at: st.mtime, bytes: st.size };
    })
    .sort((a, b) => b.name.localeCompare(a.name));
}

/** Whether a copy is due now. Pure. */
export function backupDue(s: BackupScheduleInput, newest: Date | null, now: number): boolean {
  if (s.every === "off") return false;
  return !newest || now - newest.getTime() >= PERIOD_MS[s.every] - 60_000; // a minute early rather than a tick late
}

/** Write one copy now (0600 in a 0700 directory), then keep the newest `keep`. Returns its name. */
export async function writeBackup(keep: number, dir = backupDir(), now = new Date()): Promise<string> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const name = `switchyard-config-${stamp}.json`;
  const file = path.join(dir, name);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, fileText(await exportConfigFile()), { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file); // a half-written copy never carries a backup's name
  for (const old of listBackups(dir).slice(keep)) fs.rmSync(path.join(dir, old.name), { force: true });
  return name;
}

/** The monitor's check (at most once a minute): a copy when one is due. Never throws. */
export function scheduledBackups(log: (line: string) => void, dir?: string) {
  let checkedAt = 0;
  let running: Promise<void> | null = null;
  return (now = Date.now()) => {
    if (running || now - checkedAt < 60_000) return;
    checkedAt = now;
    running = (async () => {
      try {
        const s = await loadBackupSchedule();
        const d = dir ?? backupDir();
        if (!backupDue(s, listBackups(d)[0]?.at ?? null, now)) return;
        log(`backup: wrote ${path.join(d, await writeBackup(s.keep, d, new Date(now)))} (${s.every}, keeping ${s.keep})`);
      } catch (e) {
        log(`backup: the scheduled copy failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    })().finally(() => (running = null));
  };
}
