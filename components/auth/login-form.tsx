"use client";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import type { FormState } from "@/lib/validation/form";

type Action = (prev: FormState, fd: FormData) => Promise<FormState>;

function Submit({ label }: { label: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      className="w-full rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
    >
      {pending ? "Please wait…" : label}
    </button>
  );
}

const input =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-slate-700 dark:bg-slate-900";

export function CredentialsForm({
  action,
  submitLabel,
  next,
  confirm,
  setupToken,
}: {
  action: Action;
  submitLabel: string;
  next?: string;
  confirm?: boolean;
  setupToken?: boolean;
}) {
  const [state, formAction] = useActionState(action, {} as FormState);
  const err = (f: string) =>
    state.errors?.[f]?.map((e) => (
      <p key={e} className="mt-1 text-sm text-red-600 dark:text-red-400">
        {e}
      </p>
    ));
  return (
    <form action={formAction} className="space-y-4">
      {next && <input type="hidden" name="next" value={next} />}
      <div role="alert" aria-live="assertive">
        {state.message && (
          <p className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
            {state.message}
          </p>
        )}
      </div>
      {setupToken && (
        <div>
          <label htmlFor="token" className="block text-sm font-medium">
            Setup token
          </label>
          <input id="token" name="token" autoComplete="off" required className={input} aria-describedby="token-help token-error" />
          <p id="token-help" className="mt-1 text-xs text-slate-500">
            Printed in the server log at start (and kept beside the database, readable only by its owner).
          </p>
          <div id="token-error" aria-live="polite">
            {err("token")}
          </div>
        </div>
      )}
      <div>
        <label htmlFor="username" className="block text-sm font-medium">
          User name
        </label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          defaultValue={state.values?.username ?? (confirm ? "admin" : "")}
          required
          className={input}
          aria-describedby="username-error"
        />
        <div id="username-error" aria-live="polite">
          {err("username")}
        </div>
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete={confirm ? "new-password" : "current-password"}
          required
          className={input}
          aria-describedby="password-error"
        />
        <div id="password-error" aria-live="polite">
          {err("password")}
        </div>
      </div>
      {confirm && (
        <div>
          <label htmlFor="confirm" className="block text-sm font-medium">
            Repeat the password
          </label>
          <input id="confirm" name="confirm" type="password" autoComplete="new-password" required className={input} aria-describedby="confirm-error" />
          <div id="confirm-error" aria-live="polite">
            {err("confirm")}
          </div>
        </div>
      )}
      <Submit label={submitLabel} />
    </form>
  );
}
