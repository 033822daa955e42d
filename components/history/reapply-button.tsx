"use client";
// Re-apply a past revision, after saying what that does.
import { useRef, useState, useTransition } from "react";
import { reapplyRevisionAction } from "@/app/(admin)/history/actions";

export function ReapplyButton({ id }: { id: number }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500">
        Re-apply this revision
      </button>
      <dialog ref={dialog} aria-labelledby="reapply-title" onCancel={(e) => pending && e.preventDefault()} className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/50 dark:bg-slate-900 dark:text-slate-100">
        <div className="p-5">
          <h2 id="reapply-title" className="text-lg font-semibold">Re-apply revision #{id}?</h2>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
            Its configuration replaces the staged one (staged changes are lost), then it is applied and verified like any apply, and rolled back if verification fails. The result is a new revision.
          </p>
          {error && <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">{error}</p>}
          {pending && (
            <p role="status" className="mt-3 flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
              <span aria-hidden className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-indigo-500 border-t-transparent" />
              Applying and verifying…
            </p>
          )}
          <div className="mt-4 flex justify-end gap-2">
            <button type="button" disabled={pending} onClick={() => dialog.current?.close()} className="rounded-md px-3 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 dark:hover:bg-slate-800">Cancel</button>
            <button
              type="button"
              disabled={pending}
              onClick={() => start(async () => {
                setError(undefined);
                const r = await reapplyRevisionAction(id);
                if (r?.error) setError(r.error);
              })}
              className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
            >
              {pending ? "Re-applying…" : `Re-apply #${id}`}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
