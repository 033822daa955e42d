"use client";
// One machine on the board: draggable by mouse, touch and keyboard.
import { useDraggable } from "@dnd-kit/core";
import type { PathChange } from "@/components/health/board-health";
import { Ago, Clock } from "@/components/ui/time";
import { cardId } from "./dnd";
import { isStaged, type BoardHost } from "./types";
import { SeenMac } from "@/components/hosts/seen-mac";

export interface CardInfo {
  host: BoardHost;
  /** the column it sits in, for its accessible name */
  where: string;
  /** e.g. "uses ISP1 while ISP2 is disabled" */
  note?: string;
  /** open connections by the ISP their mark says (live view), when known */
  flows?: Record<string, number>;
  /** the ISP its traffic should carry now (for flagging flows on another one) */
  expectedIsp?: string | null;
  /** a balanced policy: every ISP its traffic may carry now (instead of expectedIsp) */
  expectedIsps?: string[];
  pending?: boolean;
  /** where the monitor sends it now, e.g. "ISP1, failover: ISP2 down" */
  failover?: string;
  /** the ISP it should use is down (health monitor): no green proof then */
  ispDown?: string;
  /** its policy has no ISP up and no last resort: its connections are refused, e.g. "unreachable (no ISP of its policy is up)" */
  unreachable?: string;
  /** where its policy sends it with every ISP up, e.g. "ISP1 or ISP2 (balanced 2:1)" */
  goes?: string;
  /** when the last apply proved its path (ISO) */
  provedAt?: string | null;
  /** the monitor changed paths after that proof (a failover, a failback): the proof is not current */
  pathChange?: PathChange;
  /** foreign objects that override this host's path (lib/net/lint.ts), named on the card */
  overriddenBy?: { object: string; effect: string }[];
  /** its IPv6 in words (lib/board/ipv6-line.ts): "v4 and v6", "IPv6 follows its address"; absent when no ISP has IPv6 */
  ipv6?: string | null;
}

function Flows({ flows, expected }: { flows: Record<string, number>; expected: (string | null | undefined)[] }) {
  const entries = Object.entries(flows).filter(([, n]) => n > 0);
  if (entries.length === 0) return <span className="text-slate-500 dark:text-slate-400">no open connections</span>;
  return (
    <>
      {entries
        .map(([isp, n]) => (
          <span key={isp} className={!expected.includes(isp) && isp !== "unmarked" ? "font-medium text-amber-700 dark:text-amber-400" : ""}>
            {n} {n === 1 ? "flow" : "flows"} via {isp}
          </span>
        ))
        .reduce<React.ReactNode[]>((acc, el, i) => (i ? [...acc, ", ", el] : [el]), [])}
    </>
  );
}

// relative times render in the browser only (components/ui/time.tsx): the server's clock differs from hydration's
const since = (iso: string | null | undefined) => <Ago iso={iso} before=", " />;

/** After the monitor changed paths: its own proof of the host, when real packets made it; else the old proof, marked as old. */
function AfterPathChange({
  verified,
  change,
  provedAt,
}: {
  verified: NonNullable<CardInfo["host"]["verified"]>;
  change: PathChange;
  provedAt?: string | null;
}) {
  const v = change.verdict;
  if (v?.ok && (v.proof === "canary" || v.proof === "traffic")) {
    return (
      <div className="mt-1 text-xs text-emerald-700 dark:text-emerald-400" title={`proved by the monitor's apply #${change.revisionId}`}>
        ✓ proven {v.proof === "canary" ? `by the canary${v.provenBy ? ` of ${v.provenBy}` : ""}` : "by its traffic"}
        {v.isp ? ` on ${v.isp}` : ""}
        {v.seenAs ? (
          <>
            , leaves as <span className="font-mono">{v.seenAs}</span>
          </>
        ) : null}
        {since(change.at)}
      </div>
    );
  }
  return (
    <div
      className="mt-1 text-xs text-slate-600 dark:text-slate-400"
      title={`the monitor's apply #${change.revisionId} changed the gateway after the last proof`}
    >
      proved on {verified.isp ?? "its ISP"}
      {since(provedAt)}, before the monitor moved hosts at <Clock iso={change.at} />; not proven since
    </div>
  );
}

export function CardBody({
  host,
  note,
  flows,
  expectedIsp,
  expectedIsps,
  pending,
  lifted,
  failover,
  ispDown,
  unreachable,
  goes,
  provedAt,
  pathChange,
  overriddenBy,
  ipv6,
}: CardInfo & { lifted?: boolean }) {
  const staged = isStaged(host);
  const was = host.applied ? (host.applied.policy ? `policy ${host.applied.policy}` : (host.applied.isp ?? "Default")) : null;
  return (
    <div
      className={`rounded-md border bg-white px-3 py-2 text-left shadow-sm dark:bg-slate-800 ${
        staged ? "border-amber-300 dark:border-amber-700" : "border-slate-200 dark:border-slate-700"
      } ${lifted ? "rotate-1 shadow-xl ring-2 ring-indigo-500" : ""}`}
    >
      <div className="flex items-start justify-between gap-2">
        <span className="min-w-0 truncate font-medium">{host.name}</span>
        {staged && (
          <span
            className="shrink-0 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900/50 dark:text-amber-300"
            title={was ? `Applied on ${was}; not applied yet` : "New since the last apply"}
          >
            {pending ? "saving…" : "staged"}
          </span>
        )}
      </div>
      <div className="font-mono text-xs text-slate-600 dark:text-slate-400">{host.address}</div>
      {staged ? (
        <div className="mt-1 text-xs text-amber-800 dark:text-amber-300">{was ? `gateway still sends it via ${was}` : "not on the gateway yet"}</div>
      ) : unreachable ? (
        <div className="mt-1 text-xs font-medium text-red-700 dark:text-red-400">
          ✗ {unreachable}
          {provedAt ? <> (last proof{since(provedAt)})</> : ""}
        </div>
      ) : ispDown && !failover ? (
        <div className="mt-1 text-xs text-red-700 dark:text-red-400">
          ✗ {ispDown} is down, no failover{provedAt ? <> (last proof{since(provedAt)})</> : ""}
        </div>
      ) : host.verified?.ok && failover ? (
        <div className="mt-1 text-xs text-slate-600 dark:text-slate-400" title={`verified through ${host.verified.isp} by the last apply`}>
          proved on {host.verified.isp}
          {since(provedAt)}, before the failover
        </div>
      ) : host.verified?.ok && pathChange ? (
        <AfterPathChange verified={host.verified} change={pathChange} provedAt={provedAt} />
      ) : host.verified?.ok ? (
        <div className="mt-1 text-xs text-emerald-700 dark:text-emerald-400" title={`verified through ${host.verified.isp} by the last apply`}>
          ✓ verified
          {host.verified.seenAs ? (
            <>
              , leaves as <span className="font-mono">{host.verified.seenAs}</span>
            </>
          ) : (
            " by route lookup"
          )}
          {since(provedAt)}
        </div>
      ) : host.verified ? (
        <div className="mt-1 text-xs text-red-700 dark:text-red-400">✗ not verified: {host.verified.reason}</div>
      ) : null}
      {failover && (
        <div className="mt-1 text-xs font-medium text-amber-800 dark:text-amber-300" aria-label={`now via ${failover}`}>
          → {failover}
        </div>
      )}
      {goes && !staged && !failover && !unreachable && <div className="mt-1 text-xs text-slate-600 dark:text-slate-400">→ {goes}</div>}
      {note && <div className="mt-1 text-xs text-slate-600 dark:text-slate-400">{note}</div>}
      {ipv6 && (
        <div className="mt-1 text-xs text-slate-600 dark:text-slate-400" data-testid="ipv6-line">
          {ipv6}
        </div>
      )}
      {overriddenBy?.map((o) => (
        <div key={o.object} className="mt-1 text-xs font-medium text-red-700 dark:text-red-400" title={o.effect}>
          ⚠ overridden by <span className="font-mono">{o.object}</span>
        </div>
      ))}
      {flows && (
        <div className="mt-1 text-xs text-slate-600 dark:text-slate-300">
          <Flows flows={flows} expected={expectedIsps ?? [expectedIsp]} />
        </div>
      )}
    </div>
  );
}

export function HostCard(info: CardInfo) {
  const { host, where } = info;
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: cardId(host.id) });
  const staged = isStaged(host);
  return (
    <li>
      <div
        ref={setNodeRef}
        {...attributes}
        {...listeners}
        aria-label={`${host.name} (${host.address}) on ${where}${staged ? ", staged" : ""}`}
        className={`cursor-grab touch-pan-y rounded-md outline-none select-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 dark:focus-visible:ring-offset-slate-900 ${isDragging ? "opacity-40" : ""}`}
      >
        <CardBody {...info} />
      </div>
      {/* outside the draggable card: a button of its own, not a control inside the card's */}
      {host.seenMac && <SeenMac hostId={host.id} mac={host.seenMac} compact />}
    </li>
  );
}
