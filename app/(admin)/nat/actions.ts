"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/guard";
import { createNatAddress, deleteNatAddress, updateNatAddress } from "@/lib/data/nat";
import { fieldErrorsOf, formValues, natAddressSchema, type FormState } from "@/lib/validation";
import { idFrom } from "@/lib/validation/form";

export async function saveNatAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(fd);
  const parsed = natAddressSchema.safeParse({ ...values, isDefault: values.isDefault ?? "" });
  if (!parsed.success) return { values, errors: fieldErrorsOf(parsed.error), message: "Nothing was saved: check the highlighted fields." };
  const id = idFrom(values.id);
  const r = id ? await updateNatAddress(id, parsed.data, actor) : await createNatAddress(parsed.data, actor);
  if (!r.ok) return { values, errors: r.errors, message: "Nothing was saved: check the highlighted fields." };
  revalidatePath("/", "layout");
  redirect("/nat");
}

/** Refused (with the reason, shown in the delete dialog) when it is the only default of an SNAT ISP. */
export async function deleteNatAction(id: number): Promise<{ error?: string }> {
  const actor = await requireActor();
  const r = await deleteNatAddress(id, actor);
  if (!r.ok) return { error: `Nothing was deleted. ${Object.values(r.errors).flat().join(" ")}` };
  revalidatePath("/", "layout");
  redirect("/nat");
}
