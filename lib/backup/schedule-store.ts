// The scheduled-backup setting (table BackupSchedule, one row; none = off, keep 7).
import { db } from "@/lib/db";
import { BACKUP_DEFAULT, type BackupScheduleInput } from "@/lib/validation/backup";

type Tx = Pick<typeof db, "backupSchedule">;

export async function loadBackupSchedule(tx: Tx = db): Promise<BackupScheduleInput> {
  const row = await tx.backupSchedule.findUnique({ where: { id: 1 } });
  return row ? { every: row.every as BackupScheduleInput["every"], keep: row.keep } : { ...BACKUP_DEFAULT };
}

export async function writeBackupSchedule(tx: Tx, s: BackupScheduleInput): Promise<void> {
  await tx.backupSchedule.upsert({ where: { id: 1 }, create: { id: 1, ...s }, update: s });
}
