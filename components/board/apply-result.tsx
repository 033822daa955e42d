// After applying: Verified, or Failed (rolled back or not) with what failed, what
// state the gateway is in, and what to do next; then every host and ISP.
import Link from "next/link";
import { Verification } from "@/components/history/verification";
import type { ApplyReport } from "@/lib/engine/run";

/** What happens to the user's edits, worded for whether there were any. */
function stagedNote(staged: number | undefined, again: string): string {
  if (staged === undefined) return `Anything you had staged stays staged: ${again}.`;
  if (staged === 0) return `Nothing was staged (this apply re-applied the current configuration), so there is nothing to discard: ${again}.`;
  return `Your ${staged} staged ${staged === 1 ? "change stays" : "changes stay"} staged: ${again}, or discard ${staged === 1 ? "it" : "them"}.`;
}

function nextStep(r: ApplyReport, staged: number | undefined): string {
  const failedHosts = r.verification?.hosts.filter((h) => !h.ok).map((h) => `${h.name} (${h.address})`) ?? [];
  switch (r.failedStep) {
    case "precheck":
      return `Nothing on the gateway was touched. Fix what the pre-check names (in the configuration or on the gateway). ${stagedNote(staged, "apply again then")}`;
    case "verify": {
      const badIsps = r.verification?.isps.filter((i) => !i.ok).map((i) => i.name) ?? [];
      const which = badIsps.length ? badIsps.join(" and ") : "the ISP";
      return `${failedHosts.length ? `${failedHosts.join(", ")} could not be proven to leave through ${which}. ` : ""}Check ${which}'s link and gateway on the Live kernel page. ${stagedNote(staged, `apply again once ${which} works`)}`;
    }
    case undefined:
      return "";
    default:
      return `The kernel refused a command in the ${r.failedStep} step (its message is above). Check the configuration that step is about. ${stagedNote(staged, "apply again then")}`;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** waitedMs: Confirm to verdict as the browser saw it (the lab step included); stagedChanges: how many the plan listed. */
export function ApplyResult({
  report,
  revisionId,
  steps,
  waitedMs,
  stagedChanges,
}: {
  report: ApplyReport;
  revisionId: number;
  steps: React.ReactNode;
  waitedMs?: number;
  stagedChanges?: number;
}) {
  const hosts = report.verification?.hosts.length ?? 0;
  const failedHosts = report.verification?.hosts.filter((h) => !h.ok) ?? [];
  const count = (p: string) => report.verification?.hosts.filter((h) => (h.proof ?? (h.seenAs ? "traffic" : "predicted")) === p).length ?? 0;
  const [traffic, canary, predicted] = [count("traffic"), count("canary"), count("predicted")];
  const how = [
    traffic ? `${traffic} proven by ${traffic === 1 ? "its" : "their"} own traffic` : "",
    canary ? `${canary} by the canary through ${canary === 1 ? "its" : "their"} target` : "",
    predicted ? `${predicted} predicted by route lookup only (no packet took ${predicted === 1 ? "that path" : "those paths"})` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return (
    <div className="space-y-4">
      {report.ok && traffic + canary === 0 ? (
        <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950/50">
          <h3 className="text-lg font-semibold text-amber-800 dark:text-amber-300">Applied — predicted, not proven</h3>
          <p className="mt-1 text-sm text-amber-900 dark:text-amber-200">
            {report.result === "unchanged" ? "Nothing needed to change. " : `${report.planLines.filter((l) => l.op !== "=").length} changes applied. `}
            The kernel&apos;s route lookups put {hosts === 1 ? "the host" : `all ${hosts} hosts`} on the right ISP, but no packet proved it
            {report.verification?.canary && !report.verification.canary.available ? `: ${report.verification.canary.reason}` : " (the canary is off)"}. Took{" "}
            {seconds(waitedMs ?? report.durationMs)}.
          </p>
        </div>
      ) : report.ok ? (
        <div role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950/50">
          <h3 className="text-lg font-semibold text-emerald-800 dark:text-emerald-300">✓ Verified</h3>
          <p className="mt-1 text-sm text-emerald-900 dark:text-emerald-200">
            {report.result === "unchanged" ? "Nothing needed to change. " : `${report.planLines.filter((l) => l.op !== "=").length} changes applied. `}
            {hosts} {hosts === 1 ? "host leaves" : "hosts leave"} through the ISP {hosts === 1 ? "it" : "they"} should: {how}. Took{" "}
            {seconds(waitedMs ?? report.durationMs)}.
          </p>
        </div>
      ) : (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 dark:border-red-800 dark:bg-red-950/50">
          <h3 className="text-lg font-semibold text-red-800 dark:text-red-300">
            {report.failedStep === "precheck" ? "✗ Refused by the pre-check — nothing was changed" : `✗ Failed${report.rolledBack ? " — rolled back" : ""}`}
          </h3>
          <p className="mt-1 text-sm text-red-900 dark:text-red-200">
            {report.failedStep === "precheck" ? (
              <>The pre-check found a problem before any change was made</>
            ) : (
              <>
                The <strong>{report.failedStep ?? "apply"}</strong> step failed
              </>
            )}
            {failedHosts.length > 0 && <> for {failedHosts.map((h) => h.name).join(", ")}</>}.{" "}
            {report.rolledBack &&
              (report.restoredExactly
                ? "The gateway was put back exactly as it was before this apply."
                : "The rollback left differences: open the Live kernel page and compare the gateway with the last applied revision.")}
          </p>
          {report.rolledBack && !report.restoredExactly && (report.rollbackDifferences?.length ?? 0) > 0 && (
            <ul aria-label="What the rollback left different" className="mt-2 font-mono text-xs text-red-900 dark:text-red-100">
              {report.rollbackDifferences!.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
          {report.error && report.error !== "verification failed" && (
            <pre className="mt-2 overflow-x-auto rounded bg-red-100 p-2 font-mono text-xs whitespace-pre-wrap text-red-900 dark:bg-red-900/40 dark:text-red-100">
              {report.error}
            </pre>
          )}
          <p className="mt-2 text-sm text-red-900 dark:text-red-200">
            {nextStep(report, stagedChanges)}
            {waitedMs !== undefined && <> Took {seconds(waitedMs)}.</>}
          </p>
        </div>
      )}
      {report.verification && <Verification report={report.verification} outcome={report.ok ? "ok" : report.rolledBack ? "rolled-back" : "failed"} />}
      <section>
        <h3 className="mb-2 text-sm font-semibold">Steps</h3>
        {steps}
      </section>
      <p className="text-sm">
        <Link href={`/history/${revisionId}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
          Revision #{revisionId} in History
        </Link>
        <span className="text-slate-600 dark:text-slate-400"> — its plan, report and ruleset.</span>
      </p>
    </div>
  );
}
