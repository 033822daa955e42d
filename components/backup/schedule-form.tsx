"use client";
// Scheduled copies: off, daily or weekly, and how many to keep; errors at their field.
import { useActionState } from "react";
import type { FormState } from "@/lib/validation/form";

export function ScheduleForm({ action, initial }: { action: (prev: FormState, fd: FormData) => Promise<FormState>; initial: { every: string; keep: string } }) {
  const [state, submit, pending] = useActionState(action, { values: initial });
  const v = state.values ?? initial;
  const err = (k: string) => state.errors?.[k]?.[0];
  const input = "mt-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950";
  return (
    <form action={submit} className="flex flex-wrap items-start gap-4">
      <div>
        <label htmlFor="backup-every" className="block text-sm font-medium">
          Scheduled copies
        </label>
        <select id="backup-every" name="every" defaultValue={v.every} key={`e${v.every}`} className={input} aria-invalid={Boolean(err("every"))}>
          <option value="off">Off</option>
          <option value="daily">Daily</option>
          <option value="weekly">Weekly</option>
        </select>
        {err("every") && <p className="mt-1 text-sm text-red-600">{err("every")}</p>}
      </div>
      <div>
        <label htmlFor="backup-keep" className="block text-sm font-medium">
          Copies kept
        </label>
        <input
          id="backup-keep"
          name="keep"
          inputMode="numeric"
          defaultValue={v.keep}
          key={`k${v.keep}`}
          className={`${input} w-24`}
          aria-invalid={Boolean(err("keep"))}
          aria-describedby={err("keep") ? "backup-keep-error" : undefined}
        />
        <div aria-live="polite">
          {err("keep") && (
            <p id="backup-keep-error" className="mt-1 text-sm text-red-600">
              {err("keep")}
            </p>
          )}
        </div>
      </div>
      <div className="self-end">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60 dark:bg-slate-100 dark:text-slate-900"
        >
          Save schedule
        </button>
      </div>
      {state.message && (
        <p role="status" className="w-full text-sm text-emerald-700 dark:text-emerald-400">
          {state.message}
        </p>
      )}
    </form>
  );
}
