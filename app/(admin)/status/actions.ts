"use server";
// The Live kernel page's one write: put the kernel back to the last good revision after drift.
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/guard";
import { lastGoodRevision } from "@/lib/data/revisions";
import { reapplyRevision } from "@/lib/engine/service";
import "@/lib/lab/apply-hooks"; // on a lab target, the lab plugs into the apply (lib/engine/target-hooks.ts)
import { BusyError } from "@/lib/engine/lock";

export type ReapplyResult = { ok: true; message: string; revisionId: number } | { ok: false; message: string };

/** Without a session this sends to the login page before anything happens, like every action. */
export async function reapplyLastGoodAction(): Promise<ReapplyResult> {
  const actor = await requireActor();
  const last = await lastGoodRevision();
  if (!last) return { ok: false, message: "Nothing applied yet: use Apply & verify on the dashboard." };
  try {
    // one apply at a time: another in progress (web or CLI) makes this wait, then refuses (BusyError)
    const { revisionId, report } = await reapplyRevision(last.id, { actor, source: "ui" });
    revalidatePath("/", "layout");
    if (!report.ok) {
      return {
        ok: false,
        message: `Re-applying revision #${last.id} ${report.result}${report.failedStep ? ` at ${report.failedStep}` : ""}: ${report.error ?? "see History"} (recorded as revision #${revisionId}).`,
      };
    }
    const what =
      report.result === "unchanged"
        ? "nothing needed changing"
        : `${report.planLines.length} change${report.planLines.length === 1 ? "" : "s"} applied and verified`;
    return { ok: true, revisionId, message: `Revision #${last.id} re-applied as revision #${revisionId}: ${what}.` };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, message: e instanceof BusyError ? why : `Re-applying revision #${last.id} failed: ${why}` };
  }
}
