"use client";
// Re-apply a past revision, after showing what that does: what it replaces in the staged
// configuration, what changes against what runs now, and the kernel commands it would run.
import { useRef, useState, useTransition } from "react";
import { previewReapplyAction, reapplyRevisionAction, type ReapplyPreview } from "@/app/(admin)/history/actions";
import { ConfigChanges } from "./config-changes";
import { PlanLines } from "./plan-lines";

export function ReapplyButton({ id }: { id: number }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, start] = useTransition();
  const [loading, startLoading] = useTransition();
  const [error, setError] = useState<string>();
  const [preview, setPreview] = useState<ReapplyPreview | null>(null);
  const [comment, setComment] = useState("");
  const open = () => {
    setError(undefined);
    setPreview(null);
    dialog.current?.showModal();
    startLoading(async () => {
      const r = await previewReapplyAction(id);
      if ("error" in r) setError(r.error);
      else setPreview(r);
    });
  };
  return (
    <>
      <button type="button" onClick={open} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500">
        Re-apply this revision
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="reapply-title"
        onCancel={(e) => pending && e.preventDefault()}
        className="m-auto w-full max-w-2xl rounded-lg p-0 shadow-xl backdrop:bg-slate-900/50 dark:bg-slate-900 dark:text-slate-100"
      >
        <div className="max-h-[90vh] space-y-4 overflow-y-auto p-5">
          <h2 id="reapply-title" className="text-lg font-semibold">
            Re-apply revision #{id}?
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Its configuration replaces the staged one, then it is applied and verified like any apply, and rolled back if verification fails. The result is a
            new revision.
          </p>
          {loading && (
            <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
              Reading the gateway and planning…
            </p>
          )}
          {preview && (
            <>
              <section>
                <h3 className="mb-1 text-sm font-semibold">Replaces in your staged configuration</h3>
                <ConfigChanges changes={preview.replacesStaged} empty="Nothing: the staged configuration is the same as this revision's." />
              </section>
              <section>
                <h3 className="mb-1 text-sm font-semibold">Changes against what the gateway runs now</h3>
                <ConfigChanges changes={preview.plan.stagedChanges} empty="None: the gateway already runs this configuration." />
              </section>
              <section>
                <h3 className="mb-1 text-sm font-semibold">
                  Kernel changes <span className="font-normal text-slate-500">({preview.plan.planLines.length} commands)</span>
                </h3>
                {preview.plan.kernelError ? (
                  <p className="text-sm text-amber-800 dark:text-amber-300">
                    Could not read the gateway to plan: {preview.plan.kernelError}. Applying observes it first and stops before changing anything if it cannot.
                  </p>
                ) : (
                  <PlanLines lines={preview.plan.planLines} label="Re-apply plan" empty="Nothing to change on the gateway." />
                )}
              </section>
              {(preview.plan.overrides?.length ?? 0) > 0 && (
                <p className="text-sm text-amber-800 dark:text-amber-300">
                  {preview.plan.overrides!.length} foreign {preview.plan.overrides!.length === 1 ? "object overrides" : "objects override"} this configuration:
                  see the Live kernel page.
                </p>
              )}
              <label className="block text-sm">
                <span className="font-medium">Comment</span> <span className="text-slate-500 dark:text-slate-400">(optional)</span>
                <input
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  maxLength={500}
                  placeholder={`re-applied revision #${id}`}
                  className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-950"
                />
              </label>
            </>
          )}
          {error && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {error}
            </p>
          )}
          {pending && (
            <p role="status" className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
              <span aria-hidden className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-indigo-500 border-t-transparent" />
              Applying and verifying…
            </p>
          )}
          <div className="flex justify-end gap-2">
            <button
              type="button"
              disabled={pending}
              onClick={() => dialog.current?.close()}
              className="rounded-md px-3 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 dark:hover:bg-slate-800"
            >
              Cancel
            </button>
            <button
              type="button"
              disabled={pending || loading || !preview}
              onClick={() =>
                start(async () => {
                  setError(undefined);
                  const r = await reapplyRevisionAction(id, comment);
                  if (r?.error) setError(r.error);
                })
              }
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
