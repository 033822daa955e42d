// The shape every entity form action shares: the admin first, then the schema,
// then the data layer (which validates the whole resulting config), then
// revalidate and go back to the list. Actions stay one call each.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { requireActor } from "@/lib/auth/guard";
import type { Actor } from "@/lib/data/audit";
import type { ChangeResult } from "@/lib/data/config";
import { fieldErrorsOf, formValues, idFrom, type FormState } from "@/lib/validation/form";

const NOT_SAVED = "Nothing was saved: check the highlighted fields.";

export interface EntityWrites<T> {
  create?: (input: T, actor: Actor) => Promise<ChangeResult>;
  update: (id: number, input: T, actor: Actor) => Promise<ChangeResult>;
}

export async function saveEntity<T>(
  fd: FormData, schema: z.ZodType<T>, writes: EntityWrites<T>, listPath: string,
  prepare: (values: Record<string, string>) => Record<string, unknown> = (v) => v,
): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(fd);
  const parsed = schema.safeParse(prepare(values));
  if (!parsed.success) return { values, errors: fieldErrorsOf(parsed.error), message: NOT_SAVED };
  const id = idFrom(values.id);
  const r = id || !writes.create ? await writes.update(id ?? 1, parsed.data, actor) : await writes.create(parsed.data, actor);
  if (!r.ok) return { values, errors: r.errors, message: NOT_SAVED };
  revalidatePath("/", "layout");
  redirect(withNotice(listPath, values.name ?? values.address));
}

/** The list page says what was saved (components/ui/staged.tsx SavedNotice). */
function withNotice(listPath: string, label: string | undefined): string {
  if (listPath.includes("saved=") || !label) return listPath;
  return `${listPath}${listPath.includes("?") ? "&" : "?"}saved=${encodeURIComponent(label.slice(0, 100))}`;
}

export async function deleteEntity(id: number, remove: (id: number, actor: Actor) => Promise<ChangeResult>, listPath: string, refusedPrefix = ""): Promise<{ error?: string }> {
  const actor = await requireActor();
  const r = await remove(id, actor);
  if (!r.ok) return { error: `${refusedPrefix}${Object.values(r.errors).flat().join(" ")}` };
  revalidatePath("/", "layout");
  redirect(listPath);
}
