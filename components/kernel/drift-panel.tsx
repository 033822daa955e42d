import Link from "next/link";
import { useState, useTransition } from "react";
import { reapplyLastGoodAction, type ReapplyResult } from "@/app/(admin)/status/actions";
import type { PlanLine } from "@/lib/net/plan";
import { applyingWords } from "@/lib/health/words";
import { Section } from "./section";

const OP = { "+": "missing", "-": "extra", "~": "changed", "=": "kept" } as const;

/**
 * Drift: Switchyard's own rules, routes and chains as the kernel has them now, against what
 * the last good revision applied. Someone (or something) changed them by hand.
 */
export function DriftPanel({
  drift,
  lastGoodRevision,
  stagedDiffers,
  onReapplied,
  applying = null,
}: {
  drift: PlanLine[];
  /** someone holds the apply lock: the kernel is between two revisions, its difference is no drift */
  applying?: { holder: string; since: string } | null;
  lastGoodRevision: number | null;
  /** the staged configuration differs from the last good revision: re-applying replaces it */
  stagedDiffers: boolean;
  onReapplied: () => void;
}) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ReapplyResult | null>(null);
  const reapply = () =>
    start(async () => {
      try {
        setResult(await reapplyLastGoodAction());
      } catch (e) {
        // thrown, e.g. the session ended (the next poll then shows the log-in banner)
        setResult({
          ok: false,
          message: `The server refused or lost the request (${e instanceof Error ? e.message : String(e)}). If your session ended, log in again; History shows whether anything was applied.`,
        });
      }
      onReapplied();
    });

  const feedback = result && (
    <p role="status" className={`mt-3 text-sm ${result.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}>
      {result.message}
    </p>
  );

  // the same component while applying, so the result of a re-apply started here stays shown
  if (applying) {
    return (
      <Section title="Drift" className="rounded-lg border border-sky-300 bg-sky-50 p-4 dark:border-sky-800 dark:bg-sky-950/50">
        <p className="text-sm text-sky-900 dark:text-sky-200">
          <strong>{applyingWords(applying)}</strong>: the kernel is changing; drift is compared again once it is recorded.
        </p>
        {feedback}
      </Section>
    );
  }

  if (lastGoodRevision === null) {
    return (
      <Section title="Drift" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Not applied yet: use{" "}
          <Link href="/" className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
            Apply &amp; verify on the dashboard
          </Link>
          . Until then there is nothing to compare the kernel with.
        </p>
      </Section>
    );
  }

  if (drift.length === 0) {
    return (
      <Section title="Drift" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4 dark:border-emerald-900 dark:bg-emerald-950/40">
        <p className="text-sm text-emerald-800 dark:text-emerald-300">
          No drift: Switchyard&apos;s rules, routes and chains are exactly what revision #{lastGoodRevision} applied.
        </p>
        {feedback}
      </Section>
    );
  }

  return (
    <Section
      title="Drift"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950/40"
      description={
        <span className="text-amber-900 dark:text-amber-200">
          The kernel no longer matches revision #{lastGoodRevision}: {drift.length} difference{drift.length === 1 ? "" : "s"} in Switchyard&apos;s own state.
          These commands would put it back:
        </span>
      }
    >
      <ul className="overflow-x-auto rounded-md bg-white/70 p-3 font-mono text-xs leading-relaxed dark:bg-slate-950/60">
        {drift.map((l, i) => (
          <li key={i} className="whitespace-nowrap">
            <span
              className={
                l.op === "+" ? "text-emerald-700 dark:text-emerald-400" : l.op === "-" ? "text-red-700 dark:text-red-400" : "text-amber-700 dark:text-amber-400"
              }
              title={OP[l.op]}
            >
              {l.op}
            </span>{" "}
            {l.text}
          </li>
        ))}
      </ul>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={reapply}
          disabled={pending}
          className="rounded-md bg-amber-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-amber-500 disabled:cursor-wait disabled:opacity-70"
        >
          {pending ? "Re-applying…" : "Re-apply last good revision"}
        </button>
        <span className="text-xs text-amber-900 dark:text-amber-200">
          Applies and verifies revision #{lastGoodRevision} again; foreign rules are left alone.
          {stagedDiffers && " It also becomes the staged configuration: staged edits that were never applied are replaced."}
        </span>
      </div>
      {feedback}
    </Section>
  );
}
