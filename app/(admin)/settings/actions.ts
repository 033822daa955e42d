"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/guard";
import { updateSettings } from "@/lib/data/settings";
import { fieldErrorsOf, formValues, settingsSchema, type FormState } from "@/lib/validation";

export async function saveSettingsAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(fd);
  const parsed = settingsSchema.safeParse(values);
  if (!parsed.success) return { values, errors: fieldErrorsOf(parsed.error), message: "Nothing was saved: check the highlighted fields." };
  const r = await updateSettings(parsed.data, actor);
  if (!r.ok) return { values, errors: r.errors, message: "Nothing was saved: check the highlighted fields." };
  revalidatePath("/", "layout");
  redirect("/settings?saved=1");
}
