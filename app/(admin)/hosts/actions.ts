"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/guard";
import { assignHost, createHost, deleteHost, updateHost } from "@/lib/data/hosts";
import { fieldErrorsOf, formValues, hostSchema, ispName, type FormState } from "@/lib/validation";
import { idFrom } from "@/lib/validation/form";

export async function saveHostAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(fd);
  const parsed = hostSchema.safeParse(values);
  if (!parsed.success) return { values, errors: fieldErrorsOf(parsed.error), message: "Nothing was saved: check the highlighted fields." };
  const id = idFrom(values.id);
  const r = id ? await updateHost(id, parsed.data, actor) : await createHost(parsed.data, actor);
  if (!r.ok) return { values, errors: r.errors, message: "Nothing was saved: check the highlighted fields." };
  revalidatePath("/", "layout");
  redirect("/hosts");
}

export async function deleteHostAction(id: number): Promise<{ error?: string }> {
  const actor = await requireActor();
  const r = await deleteHost(id, actor);
  if (!r.ok) return { error: Object.values(r.errors).flat().join(" ") };
  revalidatePath("/", "layout");
  redirect("/hosts");
}

/** Drag and drop: move a host to an ISP, or back to the default ISP ("" or null). No redirect. */
export async function assignHostAction(hostId: number, isp: string | null): Promise<{ error?: string }> {
  const actor = await requireActor();
  const id = idFrom(String(hostId));
  const name = isp === null || isp === "" ? null : ispName.safeParse(isp);
  if (!id || (name && !name.success)) return { error: "That host or ISP does not exist." };
  const r = await assignHost(id, name ? name.data : null, actor);
  if (!r.ok) return { error: Object.values(r.errors).flat().join(" ") };
  revalidatePath("/", "layout");
  return {};
}
