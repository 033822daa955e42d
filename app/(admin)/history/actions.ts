"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/guard";
import { reapplyRevision } from "@/lib/engine/service";

/** Apply a past revision again (it becomes the staged configuration too), then show the new revision. */
export async function reapplyRevisionAction(id: number): Promise<{ error?: string }> {
  const actor = await requireActor();
  if (!Number.isInteger(id) || id < 1) return { error: "There is no such revision." };
  let revisionId: number;
  try {
    revisionId = (await reapplyRevision(id, { actor, source: "reapply" })).revisionId;
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  revalidatePath("/", "layout");
  redirect(`/history/${revisionId}`);
}
