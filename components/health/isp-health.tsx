"use client";
// An ISP column's health as the monitor sees it: state badge, RTT, loss, since when, RTT history.
import { ago } from "@/components/kernel/format";
import { Sparkline } from "@/components/kernel/sparkline";
import type { HealthShown, IspHealthInfo } from "@/lib/health/view-types";
import type { ProofShown } from "@/lib/health/words";
import { healthTone } from "./tone";

const pill = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium";

export function HealthBadge({ state }: { state: HealthShown }) {
  return (
    <span className={`${pill} ${healthTone[state]}`}>
      <span className="sr-only">health </span>
      {state === "unknown" ? "no data" : state}
    </span>
  );
}

export function IspHealth({ info, rtt, now, proof }: { info: IspHealthInfo; rtt: number[]; now: number; proof?: ProofShown }) {
  // (the sparkline gets µs: it scales to its own peak but at least 1, and lab RTTs are below 1 ms)
  const since = info.since ? ago(now - Date.parse(info.since)) : null;
  return (
    <div role="group" aria-label={`${info.isp} health`} className="mt-2 space-y-1 text-xs">
      <div className="flex flex-wrap items-center gap-1">
        <HealthBadge state={info.state} />
        {info.state !== "unknown" && since && <span className="text-slate-500 dark:text-slate-400">since {since}</span>}
      </div>
      {info.state === "unknown" ? (
        <p className="text-slate-600 dark:text-slate-400">{info.reason}</p>
      ) : (
        <>
          <p className="text-slate-600 dark:text-slate-400">
            RTT {info.rttMs === null ? "–" : `${info.rttMs.toFixed(1)} ms`} · loss {info.lossPct === null ? "–" : `${Math.round(info.lossPct)} %`}
            {info.linkUp === false && (
              <>
                {" "}
                · <span className="font-medium text-red-700 dark:text-red-400">link down</span>
              </>
            )}
          </p>
          {info.state !== "up" && info.reason && <p className="text-slate-600 dark:text-slate-400">{info.reason}</p>}
          {proof && <p className={proof.ok === false ? "text-red-700 dark:text-red-400" : "text-slate-500 dark:text-slate-400"}>{proof.text}</p>}
          {rtt.length > 1 && (
            <Sparkline
              values={rtt.map((ms) => ms * 1000)}
              label={`${info.isp} round-trip time, last ${rtt.length} readings, up to ${Math.max(...rtt).toFixed(1)} ms`}
              className="h-6!"
            />
          )}
        </>
      )}
    </div>
  );
}
