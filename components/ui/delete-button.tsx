"use client";
// Delete with a confirmation dialog that says what else the delete does.
import { useRef, useTransition, useState } from "react";

/**
 * `what` names the kind of thing in the dialog's title ("Delete channel phone?"); `note` says when
 * the delete takes effect (staged objects wait for an apply; settings that are not staged do not).
 */
export function DeleteButton({
  label,
  what,
  consequence,
  note = "Nothing changes on the gateway until you apply.",
  action,
}: {
  label: string;
  what?: string;
  consequence: string;
  note?: string;
  action: () => Promise<{ error?: string } | void>;
}) {
  const named = what ? `${what} ${label}` : label;
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()} className="text-sm font-medium text-red-600 hover:underline dark:text-red-400">
        Delete<span className="sr-only"> {named}</span>
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="del-title"
        className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/50 dark:bg-slate-900 dark:text-slate-100"
      >
        <div className="p-5">
          <h2 id="del-title" className="text-lg font-semibold">
            Delete {named}?
          </h2>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{consequence}</p>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{note}</p>
          {error && (
            <p role="alert" className="mt-2 text-sm text-red-600">
              {error}
            </p>
          )}
          <div className="mt-4 flex justify-end gap-2">
            <button
              type="button"
              onClick={() => dialog.current?.close()}
              className="rounded-md px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:hover:bg-slate-800"
            >
              Cancel
            </button>
            <button
              type="button"
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const r = await action();
                  if (r && r.error) setError(r.error);
                  else dialog.current?.close();
                })
              }
              className="rounded-md bg-red-600 px-3 py-2 text-sm font-semibold text-white hover:bg-red-500 disabled:opacity-60"
            >
              {pending ? "Deleting…" : `Delete ${label}`}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
