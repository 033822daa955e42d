// `switchyard backup [list] | now | schedule off|daily|weekly [--keep N]`: the scheduled copies of
// the configuration in the data directory (lib/backup/scheduled.ts), written by the monitor.
import path from "node:path";
import type { Command } from "@/lib/cli/args";
import type { Actor } from "@/lib/data/audit";

type BackupCommand = Extract<Command, { name: "backup" }>;
interface Io {
  json: boolean;
  actor: Actor;
  out: (text?: string) => void;
}

export async function backupCommand(cmd: BackupCommand, { json, actor, out }: Io): Promise<number> {
  const { backupDir, listBackups, writeBackup } = await import("@/lib/backup/scheduled");
  const store = await import("@/lib/backup/schedule-store");
  const schedule = await store.loadBackupSchedule();
  const dir = backupDir();
  if (cmd.action === "list") {
    const copies = listBackups(dir);
    if (json)
      out(JSON.stringify({ ok: true, dir, schedule, copies: copies.map((c) => ({ file: path.join(dir, c.name), at: c.at, bytes: c.bytes })) }, null, 2));
    else {
      out(`Scheduled copies: ${schedule.every === "off" ? "off" : `${schedule.every}, the newest ${schedule.keep} kept`} (in ${dir}).`);
      for (const c of copies) out(`  ${path.join(dir, c.name)}  ${c.bytes} bytes`);
      if (!copies.length) out("  no copies yet");
    }
    return 0;
  }
  if (cmd.action !== "schedule") {
    const name = await writeBackup(schedule.keep, dir);
    if (json) out(JSON.stringify({ ok: true, file: path.join(dir, name) }, null, 2));
    else out(`Wrote ${path.join(dir, name)} (the newest ${schedule.keep} copies kept).`);
    return 0;
  }
  const next = { every: cmd.every, keep: cmd.keep ?? schedule.keep };
  const { db } = await import("@/lib/db");
  const { recordAudit } = await import("@/lib/data/audit");
  await db.$transaction(async (tx) => {
    await store.writeBackupSchedule(tx, next);
    await recordAudit(tx, actor, "backup.schedule", "backups", schedule, next);
  });
  if (json) out(JSON.stringify({ ok: true, schedule: next }, null, 2));
  else
    out(
      next.every === "off"
        ? "Scheduled copies are off."
        : `A copy ${next.every === "daily" ? "every day" : "every week"} into ${dir}, the newest ${next.keep} kept (written by the running monitor).`,
    );
  return 0;
}
