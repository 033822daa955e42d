"use client";
// Create a metrics token; the token is shown here once (only its hash is kept), with a copy button.
import { useActionState } from "react";
import type { TokenFormState } from "@/app/(admin)/settings/metrics/actions";

export function TokenForm({ action }: { action: (prev: TokenFormState, fd: FormData) => Promise<TokenFormState> }) {
  const [state, submit, pending] = useActionState(action, {});
  const error = state.errors?.name?.[0];
  return (
    <div className="space-y-3">
      <form action={submit} className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="token-name" className="block text-sm font-medium">
            Token name
          </label>
          <input
            id="token-name"
            name="name"
            required
            maxLength={40}
            placeholder="prometheus"
            aria-invalid={Boolean(error)}
            aria-describedby={error ? "token-name-error" : undefined}
            className="mt-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950"
          />
        </div>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
        >
          Create token
        </button>
        <div aria-live="polite" className="w-full">
          {error && (
            <p id="token-name-error" className="text-sm text-red-600 dark:text-red-400">
              {error}
            </p>
          )}
        </div>
      </form>
      {state.token && (
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950/40">
          <p className="font-medium">Token &quot;{state.name}&quot; created. Copy it now: it is not shown again (Switchyard keeps only its hash).</p>
          <code aria-label="New metrics token" className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono dark:bg-slate-900">
            {state.token}
          </code>
          <button
            type="button"
            onClick={() => void navigator.clipboard?.writeText(state.token!)}
            className="mt-2 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-400"
          >
            Copy
          </button>
        </div>
      )}
    </div>
  );
}
