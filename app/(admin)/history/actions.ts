"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { PlanPayload } from "@/lib/engine/plan-types";
import { requireActor } from "@/lib/auth/guard";
import { diffConfigs, type ConfigChange } from "@/lib/config-diff";
import { recordAudit } from "@/lib/data/audit";
import { loadConfig } from "@/lib/data/config";
import { db } from "@/lib/db";
import { getRevision, lastApplied, setRevisionComment, userConfigOf } from "@/lib/data/revisions";
import { validateStoredConfig } from "@/lib/data/stored";
import { planPreview } from "@/lib/engine/plan-preview";
import { reapplyRevision } from "@/lib/engine/service";
import "@/lib/lab/apply-hooks"; // on a lab target, the lab plugs into the apply (lib/engine/target-hooks.ts)
import { resolveTarget } from "@/lib/engine/target";
import { formatIssues } from "@/lib/validation/issues";
import { revisionCommentSchema } from "@/lib/validation/revision";

const validId = (id: unknown): id is number => typeof id === "number" && Number.isInteger(id) && id >= 1 && id <= 2_147_483_647;

/** Apply a past revision again (it becomes the staged configuration too), then show the new revision. */
export async function reapplyRevisionAction(id: number, comment?: string): Promise<{ error?: string }> {
  const actor = await requireActor();
  if (!validId(id)) return { error: "There is no such revision." };
  const c = revisionCommentSchema.optional().safeParse(comment);
  if (!c.success) return { error: c.error.issues[0].message };
  let revisionId: number;
  try {
    revisionId = (await reapplyRevision(id, { actor, source: "reapply", comment: c.data || `re-applied revision #${id}` })).revisionId;
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  revalidatePath("/", "layout");
  redirect(`/history/${revisionId}`);
}

export interface ReapplyPreview {
  /** what re-applying replaces in the staged configuration (staged -> the revision's) */
  replacesStaged: ConfigChange[];
  /** the kernel plan and predictions, as "Apply & verify" shows them (its stagedChanges: what runs now -> the revision's) */
  plan: PlanPayload;
}

/** What re-applying revision `id` would do, before it does it: the config diff and the kernel changes. */
export async function previewReapplyAction(id: number): Promise<{ error: string } | ReapplyPreview> {
  await requireActor();
  if (!validId(id)) return { error: "There is no such revision." };
  const rev = await getRevision(id);
  if (!rev) return { error: "There is no such revision." };
  const v = validateStoredConfig(userConfigOf(rev));
  if (!v.ok) return { error: `Revision ${id} no longer validates: ${formatIssues(v.issues, { paths: false })}` };
  const [staged, applied] = await Promise.all([loadConfig(), lastApplied()]);
  return { replacesStaged: diffConfigs(staged, v.config), plan: await planPreview(resolveTarget(), v.config, applied?.config ?? null) };
}

export interface CommentState {
  ok?: boolean;
  error?: string;
  comment?: string;
}

/** Set or change a revision's comment afterwards (an empty one removes it); audited. */
export async function saveRevisionCommentAction(id: number, _prev: CommentState, fd: FormData): Promise<CommentState> {
  const actor = await requireActor();
  if (!validId(id)) return { error: "There is no such revision." };
  const raw = fd.get("comment");
  const c = revisionCommentSchema.safeParse(typeof raw === "string" ? raw : "");
  if (!c.success) return { error: c.error.issues[0].message, comment: typeof raw === "string" ? raw : "" };
  const before = await getRevision(id);
  if (!before) return { error: "There is no such revision." };
  await db.$transaction(async (tx) => {
    await setRevisionComment(tx, id, c.data || null);
    await recordAudit(tx, actor, "revision.comment", `revision ${id}`, { comment: before.comment }, { comment: c.data || null });
  });
  revalidatePath("/history");
  revalidatePath(`/history/${id}`);
  return { ok: true, comment: c.data };
}
