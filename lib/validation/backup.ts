// The scheduled-backup setting, one schema for the Backup page, the CLI and the import file's
// "backups" key: { "every": "off" | "daily" | "weekly", "keep": 1..100 }.
import { z } from "./zod";

export const BACKUPS_KEY = "backups";
export const BACKUP_EVERY = ["off", "daily", "weekly"] as const;

export const backupEvery = z.enum(BACKUP_EVERY, { error: "Choose off, daily or weekly" });
export const backupKeep = z.coerce
  .number({ error: "Enter how many copies to keep" })
  .int("Enter a whole number")
  .min(1, "Keep at least 1 copy")
  .max(100, "Keep at most 100 copies");

export const backupScheduleSchema = z.strictObject({ every: backupEvery, keep: backupKeep });
export type BackupScheduleInput = z.output<typeof backupScheduleSchema>;
export const BACKUP_DEFAULT: BackupScheduleInput = { every: "off", keep: 7 };
