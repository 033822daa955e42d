"use client";
// The one Apply & verify button, and its panel: the plan first, Confirm, then the
// steps live, then the verdict.
import { useEffect, useRef, useState } from "react";
import { ApplyResult } from "./apply-result";
import { ApplySteps } from "./apply-steps";
import { PlanView } from "./plan-view";
import { useApply } from "./use-apply";

const primary = "rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60";
const secondary = "rounded-md px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:hover:bg-slate-800";

function Spinner({ text }: { text: string }) {
  return (
    <p role="status" className="flex items-center gap-3 py-6 text-sm text-slate-600 dark:text-slate-300">
      <span aria-hidden className="inline-block h-5 w-5 animate-spin rounded-full border-2 border-indigo-500 border-t-transparent" />
      {text}
    </p>
  );
}

export function ApplyButton({ stagedCount, onFinished }: { stagedCount: number; onFinished: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const { phase, steps, loadPlan, apply, close } = useApply();
  const [comment, setComment] = useState("");
  const running = phase.kind === "running";
  const finished = phase.kind === "done" || phase.kind === "error";

  useEffect(() => {
    if (phase.kind === "closed") dialog.current?.close();
    else if (!dialog.current?.open) dialog.current?.showModal();
    // the verdict is at the top: show it, wherever the steps had scrolled to
    if (phase.kind === "done" && body.current) body.current.scrollTop = 0;
  }, [phase.kind]);

  const dismiss = () => {
    if (running) return;
    close();
    if (finished) {
      setComment("");
      onFinished();
    }
  };

  return (
    <>
      <button type="button" onClick={() => void loadPlan()} className={primary}>
        Apply &amp; verify{stagedCount ? ` (${stagedCount})` : ""}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="apply-title"
        onCancel={(e) => {
          e.preventDefault();
          dismiss();
        }}
        className="m-auto w-full max-w-3xl rounded-lg p-0 shadow-xl backdrop:bg-slate-900/60 dark:bg-slate-900 dark:text-slate-100"
      >
        <div className="flex max-h-[90vh] flex-col">
          <header className="flex items-center justify-between gap-3 border-b border-slate-200 px-5 py-3 dark:border-slate-800">
            <h2 id="apply-title" className="text-lg font-semibold">
              Apply &amp; verify
            </h2>
            {!running && (
              <button type="button" onClick={dismiss} className="rounded px-2 text-xl leading-none opacity-60 hover:opacity-100" aria-label="Close">
                ×
              </button>
            )}
          </header>
          <div ref={body} className="flex-1 space-y-4 overflow-y-auto px-5 py-4">
            {phase.kind === "planning" && <Spinner text="Reading the gateway and planning…" />}
            {phase.kind === "plan-error" && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                {phase.message}
              </p>
            )}
            {phase.kind === "plan" && <PlanView plan={phase.plan} />}
            {phase.kind === "plan" && (
              <label className="block text-sm">
                <span className="font-medium">Comment</span>{" "}
                <span className="text-slate-500 dark:text-slate-400">(optional, kept with the revision in History)</span>
                <input
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  maxLength={500}
                  placeholder="e.g. move the NAS to ISP2 for the backup window"
                  className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-950"
                />
              </label>
            )}
            {(running || phase.kind === "error") && <ApplySteps steps={steps} finished={finished} />}
            {phase.kind === "error" && (
              <p
                role="alert"
                className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
              >
                {phase.message}
              </p>
            )}
            {phase.kind === "done" && (
              <ApplyResult
                report={phase.report}
                revisionId={phase.revisionId}
                waitedMs={phase.waitedMs}
                stagedChanges={phase.stagedChanges}
                steps={<ApplySteps steps={steps} finished />}
              />
            )}
          </div>
          <footer className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 px-5 py-3 dark:border-slate-800">
            {running && (
              <span className="mr-auto text-sm text-slate-600 dark:text-slate-400">Applying… the gateway is rolled back by itself if anything fails.</span>
            )}
            {phase.kind === "plan" && (
              <>
                <span className="mr-auto text-xs text-slate-500 dark:text-slate-400">Verification failure rolls the gateway back.</span>
                <button type="button" onClick={dismiss} className={secondary}>
                  Cancel
                </button>
                <button type="button" onClick={() => void apply(comment)} className={primary} autoFocus>
                  Confirm and apply
                </button>
              </>
            )}
            {phase.kind === "plan-error" && (
              <>
                <button type="button" onClick={dismiss} className={secondary}>
                  Close
                </button>
                <button type="button" onClick={() => void loadPlan()} className={primary}>
                  Try again
                </button>
              </>
            )}
            {finished && (
              <button type="button" onClick={dismiss} className={primary}>
                Close
              </button>
            )}
          </footer>
        </div>
      </dialog>
    </>
  );
}
