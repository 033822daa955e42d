"use client";
// The policy form: name, its ISPs as rows (ISP, tier, weight; rows added and removed in
// place), sticky, the last resort and notes; the policy in words as it is typed. Answers
// of the server action ({errors, message}) land at their fields, row errors on their row.
import { useEffect, useRef, useState } from "react";
import { SubmitButton, useKeptForm, type FormAction } from "@/components/ui/kept-form";
import { Field } from "@/components/ui/field";
import { describePolicy } from "@/lib/net/render/targets";
import { policySchema } from "@/lib/validation/entities";
import { formValues, type FieldErrors } from "@/lib/validation/form";
import { MAX_MEMBERS, memberField, memberRows, policyInput, type MemberRow } from "./fields";

export interface IspChoice {
  name: string;
  enabled: boolean;
}

const control =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900";

function Errors({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <div id={id} aria-live="polite" aria-atomic="true">
      {errors?.map((e) => (
        <p key={e} className="mt-1 text-sm text-red-600 dark:text-red-400">
          {e}
        </p>
      ))}
    </div>
  );
}

/** One control of a member row, labelled on its own ("ISP", "Tier", "Weight") inside the row's group. */
function RowControl({
  name,
  label,
  errors,
  children,
}: {
  name: string;
  label: string;
  errors?: string[];
  children: (p: { id: string; name: string; "aria-invalid": boolean; "aria-describedby"?: string }) => React.ReactNode;
}) {
  const id = `f-${name}`;
  const invalid = Boolean(errors?.length);
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600 dark:text-slate-400">
        {label}
      </label>
      {children({ id, name, "aria-invalid": invalid, "aria-describedby": invalid ? `${id}-error` : undefined })}
      <Errors id={`${id}-error`} errors={errors} />
    </div>
  );
}

interface Row {
  key: number;
  init: MemberRow;
  errors: FieldErrors;
}

/** The server's errors of row i, keyed by the row's own field ("isp", "tier", "weight", "" for the row). */
function rowErrors(errors: FieldErrors, i: number): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) {
    if (k === `members.${i}`) out[""] = v;
    else if (k.startsWith(`members.${i}.`)) out[k.slice(`members.${i}.`.length)] = v;
  }
  return out;
}

/** The policy in words once its ISPs, tiers and weights parse (the name and notes do not change the words). */
function inWords(values: Record<string, string>): string | null {
  const p = policySchema.safeParse({ ...policyInput(values), name: "p", notes: "" });
  return p.success ? describePolicy(p.data) : null;
}

function PolicyFields({ values, errors, isps }: { values: Record<string, string>; errors: FieldErrors; isps: IspChoice[] }) {
  const [rows, setRows] = useState<Row[]>(() => memberRows(values).map((init, i) => ({ key: i, init, errors: rowErrors(errors, i) })));
  const nextKey = useRef(rows.length);
  const focusRow = useRef<number | null>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const [words, setWords] = useState<string | null>(() => inWords(values));
  const refresh = () => {
    const form = wrap.current?.closest("form");
    if (form) setWords(inWords(formValues(new FormData(form))));
  };
  useEffect(() => {
    refresh();
    if (focusRow.current !== null) document.getElementById(`f-${memberField(focusRow.current, "isp")}`)?.focus();
    focusRow.current = null;
  }, [rows]);

  const add = () => {
    const form = wrap.current?.closest("form");
    const now = form ? memberRows(formValues(new FormData(form))) : [];
    const free = isps.find((i) => !now.some((r) => r.isp === i.name))?.name ?? isps[0]?.name ?? "";
    const tier = Math.max(0, ...now.map((r) => Number(r.tier) || 0)) + 1;
    const key = nextKey.current++;
    focusRow.current = rows.length;
    setRows((r) => [...r, { key, init: { isp: free, tier: String(Math.min(tier, 8)), weight: "1" }, errors: {} }]);
  };
  const remove = (key: number) => setRows((r) => r.filter((x) => x.key !== key));
  const ispOptions = (current: string) => [
    ...(current && !isps.some((i) => i.name === current) ? [{ value: current, label: `${current} (no such ISP)` }] : []),
    ...isps.map((i) => ({ value: i.name, label: i.enabled ? i.name : `${i.name} (disabled)` })),
  ];

  return (
    <div ref={wrap} onChange={refresh} className="space-y-5">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          spec={{
            name: "name",
            label: "Name",
            placeholder: "fiber-first",
            help: "Letters, digits, '-' and '_'; it names the policy's chain (SWYD-P-name, in iptables or nftables)",
          }}
          value={values.name}
          errors={errors.name}
        />
      </div>

      <fieldset aria-describedby="members-help members-error" className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
        <legend className="px-1 text-sm font-medium">ISPs</legend>
        <p id="members-help" className="mb-3 text-xs text-slate-500 dark:text-slate-400">
          Tier 1 carries the traffic; a higher tier only when no ISP of the lower tiers is up (a failover order: one ISP per tier). ISPs in the same tier share
          new connections by their weights (balanced: 2 and 1 send two thirds through the first).
        </p>
        <ol className="space-y-3">
          {rows.map((row, i) => {
            const e = row.errors;
            const label = `ISP ${i + 1}`;
            return (
              <li key={row.key} role="group" aria-label={label} className="grid grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] items-start gap-2">
                <RowControl name={memberField(i, "isp")} label="ISP" errors={e.isp}>
                  {(p) => (
                    <select {...p} defaultValue={row.init.isp} className={control}>
                      {ispOptions(row.init.isp).map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  )}
                </RowControl>
                <RowControl name={memberField(i, "tier")} label="Tier" errors={e.tier}>
                  {(p) => <input {...p} defaultValue={row.init.tier} inputMode="numeric" autoComplete="off" className={`${control} font-mono`} />}
                </RowControl>
                <RowControl name={memberField(i, "weight")} label="Weight" errors={e.weight}>
                  {(p) => <input {...p} defaultValue={row.init.weight} inputMode="numeric" autoComplete="off" className={`${control} font-mono`} />}
                </RowControl>
                <button
                  type="button"
                  onClick={() => remove(row.key)}
                  className="mt-6 rounded-md px-2 py-2 text-sm font-medium text-red-600 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950"
                >
                  Remove<span className="sr-only"> {label}</span>
                </button>
                {e[""] && (
                  <div className="col-span-4">
                    <Errors id={`member-${row.key}-error`} errors={e[""]} />
                  </div>
                )}
              </li>
            );
          })}
        </ol>
        <Errors id="members-error" errors={errors.members} />
        <button
          type="button"
          onClick={add}
          disabled={rows.length >= MAX_MEMBERS || isps.length === 0}
          className="mt-3 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Add an ISP
        </button>
      </fieldset>

      <p className="text-sm" aria-live="polite">
        <span className="font-medium">In words: </span>
        {words ? <span>{words}</span> : <span className="text-slate-500 dark:text-slate-400">complete the fields above to see the policy in words</span>}
      </p>

      <div className="grid max-w-2xl gap-4">
        <Field
          spec={{
            name: "sticky",
            label: "Sticky",
            type: "checkbox",
            help: "Keeps each destination on one ISP (a hash of source and destination), for sites that break when the address changes, like banks and logins. Only matters when a tier balances several ISPs.",
          }}
          value={values.sticky}
          errors={errors.sticky}
        />
        <Field
          spec={{
            name: "lastResort",
            label: "When none of its ISPs is up",
            type: "select",
            options: [
              { value: "", label: "Unreachable: never leave via an ISP the policy does not allow" },
              ...isps.map((i) => ({ value: i.name, label: `Use ${i.name}${i.enabled ? "" : " (disabled)"} as the last resort` })),
            ],
            help: "Unreachable makes its hosts' connections fail rather than leave through another ISP",
          }}
          value={values.lastResort}
          errors={errors.lastResort}
        />
        <Field spec={{ name: "notes", label: "Notes", type: "textarea" }} value={values.notes} errors={errors.notes} />
      </div>
    </div>
  );
}

export function PolicyForm({
  action,
  isps,
  initial,
  hidden,
  submitLabel = "Save",
  cancelHref,
}: {
  action: FormAction;
  isps: IspChoice[];
  initial: Record<string, string>;
  hidden?: Record<string, string>;
  submitLabel?: string;
  cancelHref?: string;
}) {
  const { state, pending, formProps } = useKeptForm(action);
  const values = state.values ?? initial;
  const formErrors = state.errors?._form;
  return (
    <form {...formProps} noValidate className="space-y-5">
      {hidden && Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <div role="alert" aria-live="assertive">
        {(state.message || formErrors) && (
          <div className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
            {state.message && <p className="font-medium">{state.message}</p>}
            {formErrors?.map((e) => (
              <p key={e}>{e}</p>
            ))}
          </div>
        )}
      </div>
      {/* remounted with the returned values: the server's answer is what the fields show */}
      <PolicyFields key={JSON.stringify([values, state.errors])} values={values} errors={state.errors ?? {}} isps={isps} />
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
