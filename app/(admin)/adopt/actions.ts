"use server";
// Import from this gateway: stage the proposal (read again from the kernel here), and drop a
// staged take over. Each action checks the session first; the config goes through the same
// validation as every config write (replaceConfig, all or nothing).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/guard";
import { adoptionFingerprint } from "@/lib/adopt/fingerprint";
import { inferAdoption } from "@/lib/adopt/infer";
import { readGateway } from "@/lib/adopt/read";
import { dropStagedTakeover, stageAdoption } from "@/lib/adopt/store";
import { resolveTarget } from "@/lib/engine/target";
import { adoptFormSchema } from "@/lib/validation/adopt";
import { fieldErrorsOf, formValues, type FormState } from "@/lib/validation/form";
import { formatIssues } from "@/lib/validation/issues";

export async function stageAdoptionAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(fd);
  const parsed = adoptFormSchema.safeParse(values);
  if (!parsed.success) return { values, errors: fieldErrorsOf(parsed.error), message: "Nothing was staged." };
  const managed = resolveTarget();
  let adoption;
  try {
    adoption = inferAdoption(await readGateway(managed.target));
  } catch (e) {
    return { values, message: `Could not read the gateway: ${e instanceof Error ? e.message : String(e)}. Nothing was staged.` };
  }
  if (!adoption.config) return { values, message: `${adoption.nothing ?? "Nothing to adopt."} Nothing was staged.` };
  if (adoptionFingerprint(adoption) !== parsed.data.fingerprint)
    return { values, message: "The gateway changed since this page was read: look at the new proposal and stage again. Nothing was staged." };
  const r = await stageAdoption(adoption.config, {
    actor,
    source: managed.label,
    takeover: parsed.data.takeover ? [...adoption.takeover, ...adoption.kept] : null,
  });
  if (!r.ok) return { values, message: `The proposal does not validate, nothing was staged: ${formatIssues(r.issues)}` };
  revalidatePath("/", "layout");
  redirect("/adopt?staged=1");
}

export async function dropTakeoverAction(): Promise<void> {
  const actor = await requireActor();
  await dropStagedTakeover(actor);
  revalidatePath("/", "layout");
  redirect("/adopt?dropped=1");
}
