// Before applying: the staged changes, where each staged host's traffic will go
// (the kernel's own route lookup), and the commands that will run.
import { ConfigChanges } from "@/components/history/config-changes";
import { PlanLines } from "@/components/history/plan-lines";
import { pathText } from "@/components/history/verification";
import type { PlanPayload } from "@/lib/engine/plan-types";

export function PlanView({ plan }: { plan: PlanPayload }) {
  return (
    <div className="space-y-5">
      <section>
        <h3 className="mb-2 text-sm font-semibold">Staged changes</h3>
        <ConfigChanges changes={plan.stagedChanges} empty="No staged changes: applying re-applies the current configuration and verifies it again." />
      </section>
      {plan.kernelError ? (
        <p
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
        >
          Could not read the gateway ({plan.target}) to plan and predict: {plan.kernelError}. Applying will still observe it first and stop before changing
          anything if it cannot.
        </p>
      ) : (
        <>
          <section>
            <h3 className="mb-2 text-sm font-semibold">Where their traffic will go</h3>
            {plan.predictions.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">No host changes ISP.</p>
            ) : (
              <ul aria-label="Predicted paths" className="space-y-1 text-sm">
                {plan.predictions.map((p) => (
                  <li key={p.address} className="flex gap-2">
                    <span aria-hidden className={p.notYet ? "text-slate-400" : p.matches ? "text-emerald-600" : "text-red-600"}>
                      {p.notYet ? "•" : p.matches ? "✓" : "✗"}
                    </span>
                    <span className="min-w-0">
                      <span className="font-medium">{p.name}</span> <span className="font-mono text-xs text-slate-600 dark:text-slate-400">({p.address})</span>{" "}
                      → <span className="font-medium">{p.isp}</span>:{" "}
                      {p.notYet ? (
                        <>
                          <span className="font-mono">{pathText(p.expected)}</span>{" "}
                          <span className="text-slate-500 dark:text-slate-400">
                            (expected), leaves as <span className="font-mono">{p.expected.nat}</span>
                          </span>
                          <span className="block text-xs text-slate-500 dark:text-slate-400">Not predicted: {p.notYet}.</span>
                        </>
                      ) : p.predicted?.error ? (
                        <span className="text-red-700 dark:text-red-400">route lookup failed: {p.predicted.error}</span>
                      ) : (
                        <span className="font-mono">{pathText(p.predicted)}</span>
                      )}
                      {!p.notYet && (
                        <>
                          {" "}
                          <span className="text-slate-500 dark:text-slate-400">
                            (predicted), leaves as <span className="font-mono">{p.expected.nat}</span>
                          </span>
                        </>
                      )}
                      {!p.matches && !p.notYet && !p.predicted?.error && (
                        <span className="block text-xs text-red-700 dark:text-red-400">
                          expected {pathText(p.expected)}: the apply will likely fail verification
                        </span>
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {plan.failover?.length ? (
            <section>
              <h3 className="mb-2 text-sm font-semibold">Failover in force</h3>
              <p className="text-sm text-amber-800 dark:text-amber-300">
                The monitor reports an ISP down: this apply runs with these hosts on their backup, as it does now ({plan.failover.join(", ")}). They move back
                when the ISP recovers.
              </p>
            </section>
          ) : null}
          {plan.overrides?.length || plan.downLinks?.length ? (
            <section>
              <h3 className="mb-2 text-sm font-semibold">Foreign objects and links that work against this plan</h3>
              <ul aria-label="Overrides" className="space-y-1 text-sm">
                {plan.downLinks?.map((d) => (
                  <li key={d} className="text-amber-800 dark:text-amber-300">
                    Link {d} is down: its ISP&apos;s routes wait for it; its hosts get no path (refused, not leaked).
                  </li>
                ))}
                {plan.overrides?.map((o) => (
                  <li key={o.object} className={o.neutralised ? "text-slate-600 dark:text-slate-400" : "text-red-700 dark:text-red-400"}>
                    <span className="font-mono break-all">{o.object}</span>: {o.effect} ({o.hosts.includes("*") ? "every LAN host" : o.hosts.join(", ")})
                    {o.neutralised ? "" : ": verification will fail for these hosts"}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section>
            <h3 className="mb-2 text-sm font-semibold">
              Commands on {plan.target} <span className="font-normal text-slate-500">({plan.planLines.length})</span>
            </h3>
            <PlanLines lines={plan.planLines} />
          </section>
        </>
      )}
    </div>
  );
}
