// Uptime, usage and caps as `switchyard status` and `switchyard cap show` print them. Pure.
import { capWords, formatBytes, formatDuration, formatUptime } from "@/lib/usage/words";
import type { IspUsage } from "@/lib/usage/view";
import type { CapFields } from "@/lib/validation/usage";

/** One line per ISP: uptime 24 h / 7 d / 30 d, outages, failovers, time on a backup; then its traffic. */
export function usageLines(usages: IspUsage[]): string[] {
  return usages.flatMap((u) => {
    const m = u.uptime["30d"];
    return [
      `  ${u.isp}: up ${formatUptime(u.uptime["24h"])} (24 h), ${formatUptime(u.uptime["7d"])} (7 d), ${formatUptime(m)} (30 d); ` +
        `30 d: ${m.outages} outage${m.outages === 1 ? "" : "s"} (${formatDuration(m.downMs)} down), ${m.failovers} failover${m.failovers === 1 ? "" : "s"}, hosts on a backup ${formatDuration(m.onBackupMs)}`,
      `    traffic: ${capWords(u)}; sent ${formatBytes(u.month.tx)}, received ${formatBytes(u.month.rx)} (${u.month.name}); today sent ${formatBytes(u.today.tx)}, received ${formatBytes(u.today.rx)}`,
    ];
  });
}

/** A cap in words: "50.0 GB a month, warnings at 80, 90, 100 %, last resort above 100 %". */
export function capText(isp: string, cap: CapFields | null): string {
  if (!cap) return `${isp}: no monthly cap`;
  return `${isp}: ${formatBytes(cap.capBytes)} a month (${cap.capBytes} bytes), warnings at ${cap.warnPct.length ? `${cap.warnPct.join(", ")} %` : "none"}${cap.lastResort ? ", used only as the last resort above 100 %" : ""}`;
}
