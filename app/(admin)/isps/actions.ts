"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/guard";
import { createIsp, deleteIsp, updateIsp } from "@/lib/data/isps";
import { fieldErrorsOf, formValues, ispSchema, type FormState } from "@/lib/validation";
import { idFrom } from "@/lib/validation/form";

export async function saveIspAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(fd);
  const parsed = ispSchema.safeParse({ ...values, enabled: values.enabled ?? "" });
  if (!parsed.success) return { values, errors: fieldErrorsOf(parsed.error), message: "Nothing was saved: check the highlighted fields." };
  const id = idFrom(values.id);
  const r = id ? await updateIsp(id, parsed.data, actor) : await createIsp(parsed.data, actor);
  if (!r.ok) return { values, errors: r.errors, message: "Nothing was saved: check the highlighted fields." };
  revalidatePath("/", "layout");
  redirect("/isps");
}

export async function deleteIspAction(id: number): Promise<{ error?: string }> {
  const actor = await requireActor();
  const r = await deleteIsp(id, actor);
  if (!r.ok) return { error: Object.values(r.errors).flat().join(" ") };
  revalidatePath("/", "layout");
  redirect("/isps");
}
