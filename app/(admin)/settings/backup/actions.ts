"use server";
// Restore from the UI: preview (diff against the staged configuration), then stage. Each action
// checks the session itself; the file's text is validated whole by lib/backup/restore.ts.
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/guard";
import { previewRestore, stageRestore, type Preview } from "@/lib/backup/restore";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/data/audit";
import { loadBackupSchedule, writeBackupSchedule } from "@/lib/backup/schedule-store";
import { backupScheduleSchema } from "@/lib/validation/backup";
import { fieldErrorsOf, type FormState } from "@/lib/validation/form";

export type ScheduleState = FormState;

export async function previewRestoreAction(text: string): Promise<Preview> {
  await requireActor();
  return previewRestore(text);
}

export async function stageRestoreAction(text: string, fileName: string): Promise<{ ok: true; counts: string } | { ok: false; errors: string[] }> {
  const actor = await requireActor();
  const r = await stageRestore(text, actor, typeof fileName === "string" ? fileName : "");
  if (r.ok) revalidatePath("/", "layout");
  return r;
}

/** The scheduled copies: off, daily or weekly, and how many to keep (the same schema as the CLI and the import file). */
export async function saveBackupScheduleAction(_prev: ScheduleState, fd: FormData): Promise<ScheduleState> {
  const actor = await requireActor();
  const values = { every: String(fd.get("every") ?? ""), keep: String(fd.get("keep") ?? "") };
  const parsed = backupScheduleSchema.safeParse(values);
  if (!parsed.success) return { values, errors: fieldErrorsOf(parsed.error) };
  await db.$transaction(async (tx) => {
    const before = await loadBackupSchedule(tx);
    await writeBackupSchedule(tx, parsed.data);
    await recordAudit(tx, actor, "backup.schedule", "backups", before, parsed.data);
  });
  revalidatePath("/settings/backup");
  return {
    ok: true,
    values,
    message:
      parsed.data.every === "off"
        ? "Scheduled copies are off."
        : `A copy ${parsed.data.every === "daily" ? "every day" : "every week"}, the newest ${parsed.data.keep} kept (written by the monitor).`,
  };
}
