"use client";
// The apply's steps as they happen: waiting, running (with a clock), ok, failed, skipped.
import { useEffect, useState } from "react";
import { STEP_ORDER, type StepName, type Steps } from "./use-apply";

const LABEL: Record<StepName, string> = {
  observe: "Read the gateway",
  plan: "Plan the changes",
  precheck: "Pre-check interfaces, addresses and rules",
  sysctls: "Sysctls Switchyard needs (src_valid_mark)",
  routing: "Routes and rules (ip -batch)",
  firewall: "Firewall rules (nftables: one transaction; iptables: iptables-restore)",
  cleanup: "Remove stale rules and routes",
  takeover: "Take over: remove the old setup's objects",
  ra: "Router advertisements (Switchyard's radvd)",
  conntrack: "Clear moved hosts' old connections",
  verify: "Verify: route lookups and real traffic",
  rollback: "Roll back",
};

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, []);
  return <>{((now - since) / 1000).toFixed(1)} s</>;
}

const ms = (n: number) => (n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`);

function Icon({ state }: { state?: string }) {
  if (state === "running")
    return <span aria-hidden className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-indigo-500 border-t-transparent" />;
  if (state === "ok")
    return (
      <span aria-hidden className="font-bold text-emerald-600 dark:text-emerald-400">
        ✓
      </span>
    );
  if (state === "failed")
    return (
      <span aria-hidden className="font-bold text-red-600 dark:text-red-400">
        ✗
      </span>
    );
  if (state === "skipped")
    return (
      <span aria-hidden className="text-slate-400">
        –
      </span>
    );
  return <span aria-hidden className="inline-block h-2 w-2 rounded-full bg-slate-300 dark:bg-slate-600" />;
}

export function ApplySteps({ steps, finished }: { steps: Steps; finished: boolean }) {
  // the rollback row only matters when one happened
  const shown = STEP_ORDER.filter(
    (s) => (s !== "rollback" && s !== "takeover" && s !== "ra") || steps[s]?.state === "running" || steps[s]?.state === "ok" || steps[s]?.state === "failed",
  );
  return (
    <ol aria-label="Apply steps" className="divide-y divide-slate-100 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
      {shown.map((name) => {
        const s = steps[name];
        const state = s?.state ?? (finished ? "not run" : "waiting");
        return (
          <li
            key={name}
            data-step={name}
            data-state={state}
            className={`flex items-start gap-3 px-3 py-2 text-sm ${s?.state === "failed" ? "bg-red-50 dark:bg-red-950/40" : ""}`}
          >
            <span className="mt-0.5 flex h-4 w-4 shrink-0 items-center justify-center">
              <Icon state={s?.state} />
            </span>
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <span className={`font-medium ${s ? "" : "text-slate-500 dark:text-slate-400"}`}>{LABEL[name]}</span>
                <span className="text-xs text-slate-500 tabular-nums dark:text-slate-400">
                  <span className="sr-only">{state}, </span>
                  {s?.state === "running" && s.startedAt ? (
                    <Elapsed since={s.startedAt} />
                  ) : s?.durationMs !== undefined ? (
                    ms(s.durationMs)
                  ) : s ? (
                    s.state
                  ) : (
                    state
                  )}
                </span>
              </div>
              {s?.detail && (
                <p className={`mt-0.5 break-words text-xs ${s.state === "failed" ? "text-red-700 dark:text-red-300" : "text-slate-600 dark:text-slate-400"}`}>
                  {s.detail}
                </p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
