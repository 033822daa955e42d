// Uptime and usage in words, shared by the pages and `switchyard status`. Pure.
import { formatBytes } from "@/lib/units";
import { duration as formatDuration } from "@/lib/health/words";
import { formatUptime, type IspUsage } from "@/lib/usage/view";

export { formatBytes, formatDuration, formatUptime };

/** "12.3 GB of 50.0 GB (25 %)", or the month's total without a cap. */
export function capWords(u: IspUsage): string {
  const used = formatBytes(u.month.tx + u.month.rx);
  if (!u.cap) return `${used} this month`;
  const pct = Math.floor(u.cap.percent);
  const over = u.cap.capped ? ", over its cap: used only as the last resort" : u.cap.percent >= 100 ? ", over its cap" : "";
  return `${used} of ${formatBytes(u.cap.cap.capBytes)} (${pct} %)${over}`;
}

/** A time in the gateway's local time zone, as the month and day boundaries are: "2026-12-07 14:30:05". */
export const localTime = (ms: number) => new Date(ms).toLocaleString("sv-SE");
