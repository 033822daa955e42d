"use server";
// Dashboard actions. Moving a host is assignHostAction (app/(admin)/hosts/actions.ts).
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/guard";
import { discardStaged } from "@/lib/engine/staged";

/** Throw the staged changes away: the configuration becomes the last applied one again. */
export async function discardStagedAction(): Promise<{ error?: string; discarded?: number }> {
  const actor = await requireActor();
  const r = await discardStaged(actor);
  if (!r.ok) return { error: r.error };
  revalidatePath("/", "layout");
  return { discarded: r.discarded };
}
