"use client";
// One form for every entity: fields from a spec, submitted to a server action
// that answers {errors, message} (useActionState), values kept on error.
import { useMemo, useState } from "react";
import { SubmitButton, useKeptForm, type FormAction } from "./kept-form";
import type { FormState } from "@/lib/validation/form";
import { Field, type FieldSpec } from "./field";
import { checkField, schemaForFields } from "./field-check";

/** More fields of the same form under their own legend (an ISP's health checks), saved by the same submit. */
export interface FormSection {
  legend: string;
  description?: string;
  fields: FieldSpec[];
  /** the form's notice is shown at the top of this section (default: the first section) */
  notice?: boolean;
}

const checkable = (fields: FieldSpec[]) => fields.filter((f) => f.type !== "checkbox").map((f) => f.name);

export function EntityForm({
  action,
  fields,
  initial,
  hidden,
  submitLabel = "Save",
  cancelHref,
  sections = [],
  notice,
}: {
  action: FormAction;
  fields: FieldSpec[];
  initial: Record<string, string>;
  hidden?: Record<string, string>;
  submitLabel?: string;
  cancelHref?: string;
  sections?: FormSection[];
  /** a warning from the values as typed now (not an error: it does not stop the save), shown at the top of the section marked `notice` (else the first) */
  notice?: (values: Record<string, string>) => React.ReactNode;
}) {
  const { state, pending, formProps } = useKeptForm(action);
  // a field is checked when it is left; the server's answer (every error at once, the
  // whole-configuration checks included) wins for the value it judged
  // (each section is its own schema's fields)
  const schemas = useMemo(
    () => [fields, ...sections.map((s) => s.fields)].map((fs) => ({ names: new Set(fs.map((f) => f.name)), schema: schemaForFields(checkable(fs)) })),
    [fields, sections],
  );
  const schemaOf = (name: string) => schemas.find((s) => s.names.has(name))?.schema ?? null;
  const allFields = useMemo(() => [...fields, ...sections.flatMap((s) => s.fields)], [fields, sections]);
  // each check remembers the server answer it was made after: a newer answer replaces it
  const [blurred, setBlurred] = useState<Record<string, { value: string; error: string | null; after: FormState }>>({});
  const onBlur = (e: React.FocusEvent<HTMLFormElement>) => {
    const el = e.target as EventTarget as HTMLInputElement;
    const spec = allFields.find((f) => f.name === el.name);
    const schema = schemaOf(el.name);
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
  // what the fields hold now, for the notice (the fields are uncontrolled)
  // (a newer server answer remounts the fields with its values: it replaces what was typed before it)
  const [typed, setTyped] = useState<{ values: Record<string, string>; after: FormState } | null>(null);
  const conditional = allFields.some((f) => f.shownWhen);
  const onChange = (e: React.FormEvent<HTMLFormElement>) => {
    if (notice || conditional)
      setTyped({
        values: Object.fromEntries([...new FormData(e.currentTarget).entries()].filter((x): x is [string, string] => typeof x[1] === "string")),
        after: state,
      });
  };
  const current = typed && typed.after === state ? typed.values : values;
  const shown = notice?.(current);
  const visible = (fs: FieldSpec[]) => fs.filter((f) => !f.shownWhen || f.shownWhen(current));
  const noticeAt = Math.max(
    0,
    sections.findIndex((s) => s.notice),
  );
  const formErrors = state.errors?._form;
  const tone = state.ok
    ? "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
    : "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200";
  return (
    <form {...formProps} noValidate onBlur={onBlur} onChange={onChange} className="space-y-4">
      {hidden && Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <div role="alert" aria-live="assertive">
        {(state.message || formErrors) && (
          <div className={`rounded-md border p-3 text-sm ${tone}`}>
            {state.message && <p className="font-medium">{state.message}</p>}
            {formErrors?.map((e) => (
              <p key={e}>{e}</p>
            ))}
          </div>
        )}
      </div>
      {/* remounted with the returned values: the server's answer is what the fields show (selects too) */}
      <div key={JSON.stringify(values)} className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          {visible(fields).map((f) => (
            <Field key={f.name} spec={f} value={values[f.name]} errors={errorsOf(f.name)} />
          ))}
        </div>
        {sections.map((s, n) => (
          <fieldset key={s.legend} className="rounded-md border border-slate-200 p-4 dark:border-slate-700">
            <legend className="px-1 text-sm font-semibold">{s.legend}</legend>
            {s.description && <p className="mb-3 text-xs text-slate-600 dark:text-slate-300">{s.description}</p>}
            {shown && n === noticeAt && (
              <div
                role="status"
                className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
              >
                {shown}
              </div>
            )}
            <div className="grid gap-4 sm:grid-cols-2">
              {visible(s.fields).map((f) => (
                <Field key={f.name} spec={f} value={values[f.name]} errors={errorsOf(f.name)} />
              ))}
            </div>
          </fieldset>
        ))}
      </div>
      <div className="flex items-center gap-3">
        <SubmitButton label={submitLabel} pending={pending} />
        {cancelHref && (
          <a href={cancelHref} className="text-sm font-medium text-slate-600 hover:underline dark:text-slate-300">
            Cancel
          </a>
        )}
      </div>
    </form>
  );
}
