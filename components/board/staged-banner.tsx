"use client";
// "N staged changes": what differs from the configuration the gateway runs, in
// words, with Discard (asks first) and the one Apply & verify button.
import Link from "next/link";
import { useRef, useTransition } from "react";
import { discardStagedAction } from "@/app/(admin)/dashboard-actions";
import { ConfigChanges } from "@/components/history/config-changes";
import { Ago } from "@/components/ui/time";
import type { BoardData } from "./types";

function DiscardButton({ count, onError }: { count: number; onError: (m: string) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, start] = useTransition();
  return (
    <>
      <button
        type="button"
        onClick={() => dialog.current?.showModal()}
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:hover:bg-slate-700"
      >
        Discard
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="discard-title"
        className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/50 dark:bg-slate-900 dark:text-slate-100"
      >
        <div className="p-5">
          <h2 id="discard-title" className="text-lg font-semibold">
            Discard {count} staged {count === 1 ? "change" : "changes"}?
          </h2>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
            The configuration goes back to what the gateway runs now. The gateway itself is not touched.
          </p>
          <div className="mt-4 flex justify-end gap-2">
            <button
              type="button"
              onClick={() => dialog.current?.close()}
              className="rounded-md px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:hover:bg-slate-800"
            >
              Keep them
            </button>
            <button
              type="button"
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const r = await discardStagedAction().catch((e: Error) => ({ error: e.message }));
                  dialog.current?.close();
                  if (r.error) onError(r.error);
                })
              }
              className="rounded-md bg-red-600 px-3 py-2 text-sm font-semibold text-white hover:bg-red-500 disabled:opacity-60"
            >
              {pending ? "Discarding…" : "Discard changes"}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}

export function StagedBanner({ data, applyButton, onError }: { data: BoardData; applyButton: React.ReactNode; onError: (m: string) => void }) {
  const n = data.stagedCount;
  const { lastApplied, lastFailure } = data;
  const count = `${n} staged ${n === 1 ? "change" : "changes"}`;
  return (
    <section
      aria-label="Staged changes"
      className={`rounded-lg border p-4 shadow-sm ${n ? "border-amber-300 bg-amber-50 dark:border-amber-800 dark:bg-amber-950/40" : "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0" role="status">
          <p className="font-semibold">
            {n === 0 ? (lastApplied ? "No staged changes" : "Not applied yet") : lastApplied ? count : `Not applied yet · ${count}`}
          </p>
          <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">
            {lastApplied ? (
              <>
                The gateway runs{" "}
                <Link href={`/history/${lastApplied.revisionId}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
                  revision #{lastApplied.revisionId}
                </Link>
                , applied <Ago iso={lastApplied.at} /> by {lastApplied.actor}.{n > 0 && " The changes below are saved but not applied yet."}
              </>
            ) : (
              "Switchyard has not applied a configuration that verified yet. Apply to put this one on the gateway."
            )}
          </p>
          {lastFailure && (
            <p className="mt-1 text-sm text-red-700 dark:text-red-400">
              The last apply (
              <Link href={`/history/${lastFailure.revisionId}`} className="font-medium underline">
                revision #{lastFailure.revisionId}
              </Link>
              ) {lastFailure.result === "rolled-back" ? "failed and was rolled back" : "failed"}.
            </p>
          )}
        </div>
        <div className="flex shrink-0 gap-2">
          {n > 0 && lastApplied && <DiscardButton count={n} onError={onError} />}
          {applyButton}
        </div>
      </div>
      {n > 0 && (
        <div className="mt-3 max-h-48 overflow-y-auto border-t border-amber-200 pt-3 dark:border-amber-900">
          <ConfigChanges changes={data.stagedChanges} />
          {n > data.stagedChanges.length && (
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
              and {n - data.stagedChanges.length} more (the Hosts and ISPs pages mark each one as staged)
            </p>
          )}
        </div>
      )}
    </section>
  );
}
