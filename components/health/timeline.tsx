// Health timeline (server component): the ISPs' state changes and the monitor's failover applies.
import Link from "next/link";
import { ResultBadge } from "@/components/history/result-badge";
import type { TimelineItem } from "@/lib/health/view";
import { healthTone } from "./tone";

const when = (d: Date) => d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" });
const tone = (s: string) => healthTone[s === "up" || s === "degraded" || s === "down" ? s : "unknown"];

export function HealthTimeline({ items }: { items: TimelineItem[] }) {
  return (
    <section aria-labelledby="health-timeline" className="space-y-2">
      <h2 id="health-timeline" className="text-base font-semibold">
        Health timeline
      </h2>
      {items.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No ISP has changed state yet (the monitor, <code className="font-mono">switchyard monitor</code>, records it here).
        </p>
      ) : (
        <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {items.map((i) => (
            <li key={`${i.kind}-${i.kind === "apply" ? i.revisionId : `${i.isp}-${i.at.getTime()}`}`} className="flex flex-wrap items-center gap-2 px-3 py-2">
              <time dateTime={i.at.toISOString()} className="w-44 shrink-0 text-xs whitespace-nowrap text-slate-500 dark:text-slate-400">
                {when(i.at)}
              </time>
              {i.kind === "health" ? (
                <>
                  <span className="font-medium">{i.isp}</span>
                  <span className={`rounded-full px-2 py-0.5 text-xs ${tone(i.from)}`}>{i.from}</span>→
                  <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${tone(i.to)}`}>{i.to}</span>
                  <span className="text-slate-600 dark:text-slate-400">{i.reason}</span>
                </>
              ) : (
                <>
                  <span className="font-medium">monitor applied</span>
                  <Link href={`/history/${i.revisionId}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
                    #{i.revisionId}
                  </Link>
                  <ResultBadge result={i.result} />
                  <span className="text-slate-600 dark:text-slate-400">
                    {i.changes} {i.changes === 1 ? "change" : "changes"}
                  </span>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
