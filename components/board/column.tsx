"use client";
// One ISP, one policy, or the default (the hosts without an ISP or policy of their own):
// a drop target. An ISP's shows its interface, NAT address, state and, when the live view
// answers, its traffic; a policy's says the policy in words.
import { useDroppable } from "@dnd-kit/core";
import type { IspLive } from "@/lib/engine/live-types";
import { formatRate } from "@/components/kernel/format";
import { columnId } from "./dnd";
import type { BoardIsp, BoardPolicy, Place } from "./types";

export interface ColumnLive {
  isp: IspLive;
  /** bytes per second since the previous snapshot, when there is one */
  txRate?: number;
  rxRate?: number;
}

const pill = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium";
const tone = {
  green: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300",
  red: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300",
  amber: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300",
  indigo: "bg-indigo-100 text-indigo-800 dark:bg-indigo-900/50 dark:text-indigo-300",
  slate: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
};

/** down: the monitor finds the ISP down; a link that is up and a router that answers are then no green (they prove the link only). */
function LiveLine({ live, down }: { live: ColumnLive; down: boolean }) {
  const { isp } = live;
  const up = isp.link === "UP";
  const gwOk = isp.gatewayNeighbour !== null && !["FAILED", "INCOMPLETE"].includes(isp.gatewayNeighbour);
  const ok = down ? tone.slate : tone.green;
  return (
    <div className="mt-2 space-y-1 text-xs">
      <div className="flex flex-wrap gap-1">
        <span className={`${pill} ${up ? ok : tone.red}`}>link {isp.link.toLowerCase()}</span>
        <span className={`${pill} ${isp.gatewayNeighbour === null ? tone.slate : gwOk ? ok : tone.red}`} title="neighbour state of the ISP's gateway">
          gateway {isp.gatewayNeighbour?.toLowerCase() ?? "not seen yet"}
        </span>
      </div>
      <p className="text-slate-600 dark:text-slate-400">
        <span title="to the ISP">↑ {formatRate(live.txRate)}</span> · <span title="from the ISP">↓ {formatRate(live.rxRate)}</span> · {isp.flows}{" "}
        {isp.flows === 1 ? "flow" : "flows"}
      </p>
    </div>
  );
}

export function Column({
  place,
  isp,
  policy,
  title,
  hostCount,
  countWords,
  defaultNote,
  live,
  health,
  healthDown = false,
  children,
}: {
  place: Place;
  isp?: BoardIsp;
  policy?: BoardPolicy;
  /** its heading; a policy's is "name: the policy in words" */
  title: React.ReactNode;
  hostCount: number;
  /** an ISP column's count with the monitor's moves, e.g. "3 hosts (2 by failover)" */
  countWords?: string;
  /** the default column: what everyone else uses */
  defaultNote?: React.ReactNode;
  live?: ColumnLive;
  /** the monitor's view of this ISP (components/health) */
  health?: React.ReactNode;
  healthDown?: boolean;
  children: React.ReactNode;
}) {
  const id = columnId(place);
  const { setNodeRef, isOver } = useDroppable({ id });
  const headingId = `${id.replace(/[^A-Za-z0-9_-]/g, "-")}-title`;
  return (
    <section
      ref={setNodeRef}
      aria-labelledby={headingId}
      className={`flex min-h-48 flex-col rounded-lg border p-3 transition-colors ${
        isOver
          ? "border-indigo-400 bg-indigo-50 dark:border-indigo-500 dark:bg-indigo-950/40"
          : isp
            ? "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
            : policy
              ? "border-violet-200 bg-violet-50/40 dark:border-violet-900 dark:bg-slate-900"
              : "border-dashed border-slate-300 bg-slate-100/60 dark:border-slate-700 dark:bg-slate-900/50"
      } ${isp && !isp.enabled ? "opacity-80" : ""}`}
    >
      <header className="mb-3">
        <div className="flex items-center justify-between gap-2">
          <h2 id={headingId} className={policy ? "min-w-0 font-semibold break-words" : "truncate font-semibold"}>
            {title}
          </h2>
          <span className="shrink-0 text-right text-xs text-slate-500 dark:text-slate-400">
            {countWords ?? `${hostCount} ${hostCount === 1 ? "host" : "hosts"}`}
          </span>
        </div>
        {isp ? (
          <>
            <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
              <span className="font-mono">{isp.wanInterface}</span> · {isp.natMode === "MASQUERADE" ? "masquerade as " : "NAT "}
              <span className="font-mono">{isp.nat.join(", ") || "none"}</span>
            </p>
            <div className="mt-1 flex flex-wrap gap-1">
              {isp.enabled ? <span className={`${pill} ${tone.green}`}>enabled</span> : <span className={`${pill} ${tone.amber}`}>disabled</span>}
              {isp.isDefault && <span className={`${pill} ${tone.indigo}`}>default</span>}
            </div>
            {health}
            {live && <LiveLine live={live} down={healthDown} />}
          </>
        ) : policy ? (
          <div className="mt-1 flex flex-wrap gap-1">
            <span className={`${pill} bg-violet-100 text-violet-800 dark:bg-violet-900/50 dark:text-violet-300`}>policy</span>
            {policy.isDefault && <span className={`${pill} ${tone.indigo}`}>everyone else</span>}
          </div>
        ) : (
          <div className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">{defaultNote}</div>
        )}
      </header>
      <ul className="flex flex-1 flex-col gap-2">{children}</ul>
    </section>
  );
}
