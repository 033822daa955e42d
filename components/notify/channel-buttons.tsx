"use client";
// The Test button (sent now; the result, a refused SMTP login included, said here) and Delete
// (takes effect at once: channels are not staged, nothing on the gateway changes).
import { useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";

export function TestButton({ action }: { action: () => Promise<{ ok: boolean; error?: string }> }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ ok: boolean; error?: string } | null>(null);
  const router = useRouter();
  return (
    <div className="space-y-2">
      <button
        type="button" disabled={pending}
        onClick={() => start(async () => {
          setResult(null);
          setResult(await action());
          router.refresh(); // the last delivery and the list below follow
        })}
        className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {pending ? "Sending…" : "Send a test message"}
      </button>
      <div role="status" aria-live="polite">
        {result?.ok && <p className="rounded-md border border-emerald-300 bg-emerald-50 p-2 text-sm text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">Test message sent.</p>}
        {result && !result.ok && <p className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">Test failed: {result.error}</p>}
      </div>
    </div>
  );
}

export function DeleteChannelButton({ name, action }: { name: string; action: () => Promise<{ error?: string } | void> }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()} className="text-sm font-medium text-red-600 hover:underline dark:text-red-400">
        Delete<span className="sr-only"> channel {name}</span>
      </button>
      <dialog ref={dialog} aria-labelledby="del-title" className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/50 dark:bg-slate-900 dark:text-slate-100">
        <div className="p-5">
          <h2 id="del-title" className="text-lg font-semibold">Delete channel {name}?</h2>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">Its queued messages are dropped and it is told nothing more. This takes effect now (channels are not staged).</p>
          {error && <p role="alert" className="mt-2 text-sm text-red-600">{error}</p>}
          <div className="mt-4 flex justify-end gap-2">
            <button type="button" onClick={() => dialog.current?.close()} className="rounded-md px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:hover:bg-slate-800">Cancel</button>
            <button
              type="button" disabled={pending}
              onClick={() => start(async () => {
                const r = await action();
                if (r && r.error) setError(r.error);
                else dialog.current?.close();
              })}
              className="rounded-md bg-red-600 px-3 py-2 text-sm font-semibold text-white hover:bg-red-500 disabled:opacity-60"
            >
              {pending ? "Deleting…" : `Delete ${name}`}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
