// The dashboard's line per ISP: uptime over 24 hours and 30 days, outages, and the month's
// traffic with its cap. The ISP's page has the details.
import Link from "next/link";
import type { IspUsage } from "@/lib/usage/view";
import { capWords, formatUptime } from "./words";
import { CapBar } from "./cap-bar";

export function UsageSummary({ usages, ids }: { usages: IspUsage[]; ids: Map<string, number> }) {
  if (!usages.length) return null;
  return (
    <section aria-label="Uptime and usage" className="mb-4 grid gap-2 sm:grid-cols-2 lg:grid-cols-3" data-testid="usage-summary">
      {usages.map((u) => (
        <div key={u.isp} className="rounded-md border border-slate-200 bg-white px-3 py-2 text-sm dark:border-slate-800 dark:bg-slate-900">
          <p>
            <Link href={`/isps/${ids.get(u.isp)}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
              {u.isp}
            </Link>{" "}
            up {formatUptime(u.uptime["24h"])} (24 h), {formatUptime(u.uptime["30d"])} (30 d)
            {u.uptime["30d"].outages > 0 && `, ${u.uptime["30d"].outages} outage${u.uptime["30d"].outages === 1 ? "" : "s"}`}
          </p>
          <p className="text-slate-600 dark:text-slate-400">{capWords(u)}</p>
          {u.cap && <CapBar percent={u.cap.percent} warn={u.cap.cap.warnPct} label={`${u.isp}: ${Math.floor(u.cap.percent)} % of its monthly cap`} />}
        </div>
      ))}
    </section>
  );
}
