"use server";
// The LAN forms (Settings -> LANs): the admin first, then the one schema, then the data layer,
// which validates the whole configuration that would result; errors come back at the fields.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/guard";
import { addLan, deleteLan, updateLan } from "@/lib/data/lans";
import { lanSchema, type FormState } from "@/lib/validation";
import { fieldErrorsOf, formValues, renameErrors, usesFrom } from "@/lib/validation/form";

const NOT_SAVED = "Nothing was saved: check the highlighted fields.";

/** original: the LAN's name before this edit; null for a new LAN. */
export async function saveLanAction(original: string | null, _prev: FormState, fd: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(fd);
  const { isp, policy } = usesFrom(values.uses);
  const parsed = lanSchema.safeParse({
    name: values.name,
    interface: values.interface,
    subnets: values.subnets,
    subnets6: values.subnets6 ?? "",
    defaultIsp: isp,
    defaultPolicy: policy,
  });
  if (!parsed.success) return renameErrors({ values, errors: fieldErrorsOf(parsed.error), message: NOT_SAVED }, { defaultIsp: "uses", defaultPolicy: "uses" });
  const r = original === null ? await addLan(parsed.data, actor) : await updateLan(original, parsed.data, actor);
  if (!r.ok) return renameErrors({ values, errors: r.errors, message: NOT_SAVED }, { defaultIsp: "uses", defaultPolicy: "uses" });
  revalidatePath("/", "layout");
  redirect("/settings?saved=1");
}

export async function deleteLanAction(name: string): Promise<{ error?: string }> {
  const actor = await requireActor();
  const r = await deleteLan(name, actor);
  if (!r.ok) return { error: Object.values(r.errors).flat().join(" ") };
  revalidatePath("/", "layout");
  redirect("/settings");
}
