// An ISP's page: its uptime over 24 h, 7 and 30 days, its outages, failovers and time on a
// backup, and its traffic this month with the cap (docs/usage.md has the definitions).
import { Card } from "@/components/ui/page";
import type { IspUsage } from "@/lib/usage/view";
import { capWords, formatBytes, formatDuration, formatUptime, localTime } from "./words";
import { CapBar } from "./cap-bar";

const WINDOW_LABEL = { "24h": "24 hours", "7d": "7 days", "30d": "30 days" } as const;

export function IspUsageCard({ usage: u }: { usage: IspUsage }) {
  return (
    <Card className="mb-6">
      <h2 className="mb-3 font-semibold">Uptime and usage</h2>
      <div className="relative overflow-x-auto">
        <table className="min-w-full text-sm" data-testid="uptime-table">
          <thead className="text-left text-xs text-slate-600 uppercase dark:text-slate-400">
            <tr>
              <th scope="col" className="py-1 pr-4">
                Over
              </th>
              <th scope="col" className="pr-4">
                Uptime
              </th>
              <th scope="col" className="pr-4">
                Down
              </th>
              <th scope="col" className="pr-4">
                Degraded
              </th>
              <th scope="col" className="pr-4">
                Outages
              </th>
              <th scope="col" className="pr-4">
                Failovers
              </th>
              <th scope="col" className="pr-4">
                Hosts on a backup
              </th>
              <th scope="col">Measured</th>
            </tr>
          </thead>
          <tbody>
            {(Object.keys(WINDOW_LABEL) as (keyof typeof WINDOW_LABEL)[]).map((w) => {
              const x = u.uptime[w];
              return (
                <tr key={w} className="border-t border-slate-100 dark:border-slate-800">
                  <th scope="row" className="py-1 pr-4 text-left font-medium">
                    {WINDOW_LABEL[w]}
                  </th>
                  <td className="pr-4">{formatUptime(x)}</td>
                  <td className="pr-4">{formatDuration(x.downMs)}</td>
                  <td className="pr-4">{formatDuration(x.degradedMs)}</td>
                  <td className="pr-4">{x.outages}</td>
                  <td className="pr-4">{x.failovers}</td>
                  <td className="pr-4">{formatDuration(x.onBackupMs)}</td>
                  <td>{formatDuration(x.measuredMs)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
        Time the monitor did not measure (not running, before the first apply) is left out. Degraded counts as up.
      </p>

      <h3 className="mt-4 mb-1 text-sm font-semibold">Outages (30 days)</h3>
      {u.outages.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">None recorded.</p>
      ) : (
        <ul className="space-y-0.5 text-sm" data-testid="outages">
          {u.outages.slice(0, 20).map((o) => (
            <li key={o.start}>
              {localTime(o.start)}: {o.ongoing ? `down for ${formatDuration(o.end - o.start)} so far` : `${formatDuration(o.end - o.start)}`}
            </li>
          ))}
          {u.outages.length > 20 && <li className="text-slate-500">and {u.outages.length - 20} older</li>}
        </ul>
      )}

      <h3 className="mt-4 mb-1 text-sm font-semibold">Traffic ({u.month.name})</h3>
      <p className="text-sm" data-testid="usage-month">
        {capWords(u)}: sent {formatBytes(u.month.tx)}, received {formatBytes(u.month.rx)}; today sent {formatBytes(u.today.tx)}, received{" "}
        {formatBytes(u.today.rx)}
      </p>
      {u.cap && <CapBar percent={u.cap.percent} warn={u.cap.cap.warnPct} label={`${u.isp}: ${Math.floor(u.cap.percent)} % of its monthly cap`} />}
      {u.days.length > 0 && (
        <div className="relative mt-3 overflow-x-auto">
          <table className="text-sm" data-testid="usage-days">
            <thead className="text-left text-xs text-slate-600 uppercase dark:text-slate-400">
              <tr>
                <th scope="col" className="pr-4">
                  Day
                </th>
                <th scope="col" className="pr-4">
                  Sent
                </th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {u.days.map((d) => (
                <tr key={d.day}>
                  <td className="pr-4">{d.day}</td>
                  <td className="pr-4">{formatBytes(d.tx)}</td>
                  <td>{formatBytes(d.rx)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
