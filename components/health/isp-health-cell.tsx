// An ISP's health in a table cell (the ISPs list; server component): state and since when, why,
// loss and RTT, the last canary proof. "no health data yet" before the first apply or without a
// monitor, never a red "down" nobody measured. The page follows changes by itself (FollowGateway).
import type { CanaryReport } from "@/lib/net/verify";
import type { IspHealthInfo } from "@/lib/health/view-types";
import { ispProof, measureWords, stateWords } from "@/lib/health/words";
import { HealthBadge } from "./isp-health";

export function IspHealthCell({ info, canary, now }: { info: IspHealthInfo | undefined; canary: CanaryReport | null; now: number }) {
  if (!info) return <span className="text-slate-500 dark:text-slate-400">no health data yet</span>;
  const proof = ispProof(canary, info.isp, now);
  return (
    <div className="min-w-40 max-w-60 space-y-0.5 text-xs">
      <HealthBadge state={info.state} />
      <p className={info.state === "down" ? "font-medium text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}>
        {stateWords(info, now)}
        {info.state !== "up" && info.state !== "unknown" && info.reason ? `: ${info.reason}` : ""}
      </p>
      {info.state !== "unknown" && <p className="text-slate-600 tabular-nums dark:text-slate-400">{measureWords(info)}</p>}
      <p className={proof.ok === false ? "text-red-700 dark:text-red-400" : "text-slate-500 dark:text-slate-400"}>{proof.text}</p>
    </div>
  );
}
