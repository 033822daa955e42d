"use server";
// Restore from the UI: preview (diff against the staged configuration), then stage. Each action
// checks the session itself; the file's text is validated whole by lib/backup/restore.ts.
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/guard";
import { previewRestore, stageRestore, type Preview } from "@/lib/backup/restore";

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
