import { useId } from "react";
import { Badge } from "@/components/ui/page";
import type { IspLive } from "@/lib/engine/live-types";
import type { IspHealthInfo } from "@/lib/health/view-types";
import { measureWords, stateWords, type ProofShown } from "@/lib/health/words";
import { formatBytes, formatCount, formatRate } from "./format";
import { Sparkline } from "./sparkline";
import { HISTORY_LENGTH, type IspRate, type RateSample } from "./use-live-kernel";

// A link that is up and a router that answers prove the link only: green only while the monitor
// does not find the ISP down (its upstream may be dead behind a router that still answers).
const linkTone = (link: string, down: boolean) => (link === "UP" ? (down ? "slate" : "green") : link === "UNKNOWN" ? "slate" : "red");
/** REACHABLE is confirmed; STALE/DELAY/PROBE are normal between uses; FAILED/INCOMPLETE mean no answer. */
const neighbourTone = (state: string | null, down: boolean) =>
  state === null ? "slate" : /FAILED|INCOMPLETE/.test(state) ? "red" : /REACHABLE|PERMANENT/.test(state) ? (down ? "slate" : "green") : "slate";
const healthBadgeTone = { up: "green", degraded: "amber", down: "red", unknown: "slate" } as const;

/** The monitor's word on the ISP: state, since when, why, loss, RTT, and the last canary proof. */
function HealthLines({ health, proof, now }: { health: IspHealthInfo; proof?: ProofShown; now: number }) {
  const bad =
    health.state === "down"
      ? "text-red-700 dark:text-red-400"
      : health.state === "degraded"
        ? "text-amber-800 dark:text-amber-300"
        : "text-slate-600 dark:text-slate-400";
  return (
    <div role="group" aria-label={`${health.isp} health`} className="mt-2 space-y-0.5 text-sm">
      <p className={health.state === "up" ? "text-slate-700 dark:text-slate-300" : `font-medium ${bad}`}>
        {stateWords(health, now)}
        {health.state !== "up" && health.state !== "unknown" && health.reason ? `: ${health.reason}` : ""}
      </p>
      {health.state !== "unknown" && <p className="text-slate-600 tabular-nums dark:text-slate-400">{measureWords(health)}</p>}
      {proof && <p className={proof.ok === false ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}>{proof.text}</p>}
    </div>
  );
}

function Counter({ label, bytes, packets, rate }: { label: string; bytes: number; packets: number; rate: number | undefined }) {
  const id = useId();
  return (
    <div className="min-w-0">
      <dt id={id} className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {label}
      </dt>
      <dd className="mt-0.5">
        <data
          aria-labelledby={id}
          value={bytes}
          title={`${formatCount(bytes)} bytes, ${formatCount(packets)} packets`}
          className="block text-xl font-semibold tabular-nums"
        >
          {formatBytes(bytes)}
        </data>
        <span className="text-sm text-slate-600 tabular-nums dark:text-slate-400">{formatRate(rate)}</span>
      </dd>
    </div>
  );
}

export function IspCard({
  isp,
  rate,
  history,
  health,
  proof,
  now,
}: {
  isp: IspLive;
  rate?: IspRate;
  history: RateSample[];
  health?: IspHealthInfo;
  proof?: ProofShown;
  now?: number | null;
}) {
  const id = useId();
  const down = health?.state === "down";
  const values = history.map((s) => s.txRate + s.rxRate);
  const peak = values.length ? Math.max(...values) : 0;
  const span = history.length > 1 ? Math.round((history[history.length - 1].at - history[0].at) / 1000) : 0;
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={id} className="text-base font-semibold">
          {isp.name}
        </h3>
        <div className="flex flex-wrap gap-1">
          {isp.enabled === false && <Badge tone="amber">disabled</Badge>}
          {health && <Badge tone={healthBadgeTone[health.state]}>{health.state === "unknown" ? "no health data" : health.state}</Badge>}
          <Badge tone={linkTone(isp.link, down)}>link {isp.link}</Badge>
        </div>
      </div>
      <p className="mt-0.5 font-mono text-xs text-slate-500 dark:text-slate-400">
        {isp.wanInterface}
        {isp.routingTable !== undefined && <> · table {isp.routingTable}</>}
        {isp.mark !== undefined && <> · mark 0x{isp.mark.toString(16)}</>}
      </p>
      {health && <HealthLines health={health} proof={proof} now={now ?? Date.parse(health.updatedAt ?? new Date(0).toISOString())} />}
      <dl className="mt-3 grid grid-cols-2 gap-3">
        <Counter label="Sent" bytes={isp.txBytes} packets={isp.txPackets} rate={rate?.txRate} />
        <Counter label="Received" bytes={isp.rxBytes} packets={isp.rxPackets} rate={rate?.rxRate} />
        <div>
          <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">Gateway</dt>
          <dd className="mt-1">
            <Badge tone={neighbourTone(isp.gatewayNeighbour, down)}>{isp.gatewayNeighbour ?? "not resolved"}</Badge>
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">Open flows</dt>
          <dd className="mt-0.5 text-base font-semibold tabular-nums">{formatCount(isp.flows)}</dd>
        </div>
      </dl>
      <div className="mt-3">
        <Sparkline
          values={values}
          capacity={HISTORY_LENGTH}
          label={`${isp.name} traffic (sent + received), last ${values.length} of ${HISTORY_LENGTH} readings, peak ${formatRate(peak)}`}
        />
        <p className="mt-1 flex justify-between text-xs text-slate-500 dark:text-slate-400">
          <span>sent + received{span > 0 && <>, last {span >= 120 ? `${Math.round(span / 60)} min` : `${span} s`}</>}</span>
          <span>peak {formatRate(peak)}</span>
        </p>
      </div>
    </section>
  );
}
