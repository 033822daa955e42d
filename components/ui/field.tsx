// A labelled form control with its error messages tied to it (aria-describedby),
// announced when they appear (aria-live).
export type FieldSpec = {
  name: string;
  label: string;
  type?: "text" | "number" | "select" | "checkbox" | "textarea" | "password";
  options?: { value: string; label: string }[];
  help?: string;
  placeholder?: string;
  inputMode?: "numeric" | "decimal" | "text";
  /** shown (and so posted) only while the form's values as typed pass this (an ISP's IPv6-less choice while its prefix is empty) */
  shownWhen?: (values: Record<string, string>) => boolean;
};

const control =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900";

export function Field({ spec, value, errors }: { spec: FieldSpec; value?: string; errors?: string[] }) {
  const id = `f-${spec.name}`;
  const errId = `${id}-error`;
  const helpId = `${id}-help`;
  const invalid = Boolean(errors?.length);
  const describedBy = [spec.help ? helpId : "", invalid ? errId : ""].filter(Boolean).join(" ") || undefined;
  const common = { id, name: spec.name, "aria-invalid": invalid, "aria-describedby": describedBy };
  return (
    <div className={spec.type === "textarea" ? "sm:col-span-2" : ""}>
      {spec.type === "checkbox" ? (
        <label htmlFor={id} className="mt-6 flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" {...common} defaultChecked={value === "on" || value === "true"} className="h-4 w-4 rounded border-slate-300 text-indigo-600" />
          {spec.label}
        </label>
      ) : (
        <label htmlFor={id} className="block text-sm font-medium">
          {spec.label}
        </label>
      )}
      {spec.type === "select" ? (
        <select {...common} defaultValue={value ?? ""} className={control}>
          {spec.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : spec.type === "textarea" ? (
        <textarea {...common} defaultValue={value ?? ""} rows={3} className={control} />
      ) : spec.type === "checkbox" ? null : (
        <input
          {...common}
          type={spec.type === "password" ? "password" : "text"}
          inputMode={spec.inputMode}
          defaultValue={spec.type === "password" ? undefined : (value ?? "")}
          placeholder={spec.placeholder}
          autoComplete={spec.type === "password" ? "new-password" : "off"}
          spellCheck={false}
          className={`${control} ${spec.type === "password" ? "" : "font-mono"}`}
        />
      )}
      {spec.help && (
        <p id={helpId} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {spec.help}
        </p>
      )}
      <div id={errId} aria-live="polite" aria-atomic="true">
        {errors?.map((e) => (
          <p key={e} className="mt-1 text-sm text-red-600 dark:text-red-400">
            {e}
          </p>
        ))}
      </div>
    </div>
  );
}
