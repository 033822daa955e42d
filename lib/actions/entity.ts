// The shape every entity form action shares: the admin first, then the schema,
// then the data layer (which validates the whole resulting config), then
// revalidate and go back to the list. Actions stay one call each.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { requireActor } from "@/lib/auth/guard";
import type { Actor } from "@/lib/data/audit";
import { withoutWriting, type ChangeResult } from "@/lib/data/config";
import { fieldErrorsOf, formValues, idFrom, type FieldErrors, type FormState } from "@/lib/validation/form";

const NOT_SAVED = "Nothing was saved: check the highlighted fields.";

export interface EntityWrites<T, E = undefined> {
  create?: (input: T, actor: Actor, extra?: E) => Promise<ChangeResult>;
  update: (id: number, input: T, actor: Actor, extra?: E) => Promise<ChangeResult>;
}

/** A second set of fields on the same form, saved by the same write (an ISP's health checks). */
export interface ExtraFields<E> {
  schema: z.ZodType<E>;
  /** its fields out of the form's values */
  pick: (values: Record<string, string>) => unknown;
}

export async function saveEntity<T, E = undefined>(
  fd: FormData,
  schema: z.ZodType<T>,
  writes: EntityWrites<T, E>,
  listPath: string,
  prepare: (values: Record<string, string>) => Record<string, unknown> = (v) => v,
  extra?: ExtraFields<E>,
): Promise<FormState> {
  const actor = await requireActor();
  const values = formValues(fd);
  const prepared = prepare(values);
  const parsed = schema.safeParse(prepared);
  const more = extra?.schema.safeParse(extra.pick(values));
  const id = idFrom(values.id);
  if (!parsed.success || (more && !more.success)) {
    // every error at once: the whole-config checks run too (the data layer validates the resulting
    // configuration, which fails on this entity's own schema, so nothing can be written)
    // (withoutWriting: validated only, never written, whatever the raw values are)
    const whole = await withoutWriting(() => (id || !writes.create ? writes.update(id ?? 1, prepared as T, actor) : writes.create(prepared as T, actor))).catch(
      () => ({ ok: true as const }),
    );
    const own = mergeErrors(parsed.success ? {} : fieldErrorsOf(parsed.error), more && !more.success ? fieldErrorsOf(more.error) : {});
    return { values, errors: mergeErrors(own, whole.ok ? {} : whole.errors), message: NOT_SAVED };
  }
  const e = more?.data;
  const r = id || !writes.create ? await writes.update(id ?? 1, parsed.data, actor, e) : await writes.create(parsed.data, actor, e);
  if (!r.ok) return { values, errors: r.errors, message: NOT_SAVED };
  revalidatePath("/", "layout");
  redirect(withNotice(listPath));
}

/** The field's own error first, then what the whole configuration says about the other fields. */
function mergeErrors(own: FieldErrors, whole: FieldErrors): FieldErrors {
  const out: FieldErrors = { ...own };
  for (const [k, msgs] of Object.entries(whole)) if (!out[k]) out[k] = msgs;
  return out;
}

/** The list page says that it was saved (components/ui/staged.tsx SavedNotice: a key, never the name). */
function withNotice(listPath: string): string {
  if (listPath.includes("saved=")) return listPath;
  return `${listPath}${listPath.includes("?") ? "&" : "?"}saved=1`;
}

export async function deleteEntity(
  id: number,
  remove: (id: number, actor: Actor) => Promise<ChangeResult>,
  listPath: string,
  refusedPrefix = "",
): Promise<{ error?: string }> {
  const actor = await requireActor();
  const r = await remove(id, actor);
  if (!r.ok) return { error: `${refusedPrefix}${Object.values(r.errors).flat().join(" ")}` };
  revalidatePath("/", "layout");
  redirect(listPath);
}
