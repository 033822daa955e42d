"use client";
// One form for every entity: fields from a spec, submitted to a server action
// that answers {errors, message} (useActionState), values kept on error.
import { useMemo, useState } from "react";
import { SubmitButton, useKeptForm, type FormAction } from "./kept-form";
import type { FormState } from "@/lib/validation/form";
import { Field, type FieldSpec } from "./field";
import { checkField, schemaForFields } from "./field-check";



export function EntityForm({
  action, fields, initial, hidden, submitLabel = "Save", cancelHref,
}: {
  action: FormAction;
  fields: FieldSpec[];
  initial: Record<string, string>;
  hidden?: Record<string, string>;
  submitLabel?: string;
  cancelHref?: string;
}) {
  const { state, pending, formProps } = useKeptForm(action);
  // a field is checked when it is left; the server's answer (every error at once, the
  // whole-configuration checks included) wins for the value it judged
  const schema = useMemo(() => schemaForFields(fields.filter((f) => f.type !== "checkbox").map((f) => f.name)), [fields]);
  // each check remembers the server answer it was made after: a newer answer replaces it
  const [blurred, setBlurred] = useState<Record<string, { value: string; error: string | null; after: FormState }>>({});
  const onBlur = (e: React.FocusEvent<HTMLFormElement>) => {
    const el = e.target as EventTarget as HTMLInputElement;
    const spec = fields.find((f) => f.name === el.name);
    if (!schema || !spec || spec.type === "checkbox" || spec.type === "password") return;
    // leaving for the submit button: the server checks everything, and a message appearing or
    // vanishing now would move the button away from under the pointer before the click lands
    if ((e.relatedTarget as HTMLElement | null)?.closest("button[type=submit]")) return;
    const value = el.value;
    setBlurred((b) => ({ ...b, [el.name]: { value, error: checkField(schema, el.name, value), after: state } }));
  };
  const errorsOf = (name: string) => {
    const local = blurred[name];
    if (local && local.after === state && state.values?.[name] !== local.value) return local.error ? [local.error] : undefined;
    return state.errors?.[name];
  };
  const values = state.values ?? initial;
  const formErrors = state.errors?._form;
  const tone = state.ok ? "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" : "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200";
  return (
    <form {...formProps} noValidate onBlur={onBlur} className="space-y-4">
      {hidden && Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <div role="alert" aria-live="assertive">
        {(state.message || formErrors) && (
          <div className={`rounded-md border p-3 text-sm ${tone}`}>
            {state.message && <p className="font-medium">{state.message}</p>}
            {formErrors?.map((e) => <p key={e}>{e}</p>)}
          </div>
        )}
      </div>
      {/* remounted with the returned values: the server's answer is what the fields show (selects too) */}
      <div key={JSON.stringify(values)} className="grid gap-4 sm:grid-cols-2">
        {fields.map((f) => (
          <Field key={f.name} spec={f} value={values[f.name]} errors={errorsOf(f.name)} />
        ))}
      </div>
      <div className="flex items-center gap-3">
        <SubmitButton label={submitLabel} pending={pending} />
        {cancelHref && <a href={cancelHref} className="text-sm font-medium text-slate-600 hover:underline dark:text-slate-300">Cancel</a>}
      </div>
    </form>
  );
}
