// Uptime and usage per ISP as the dashboard, an ISP's page and `switchyard status` show them:
// one read of the samples, transitions, totals and caps (lib/usage/*). Not "server-only": the
// CLI uses it too; the pages check the session before they call it.
import { db } from "@/lib/db";
import { COARSE_S, FINE_S } from "@/lib/health/samples";
import { capStates, loadCaps, type CapState } from "./caps";
import { dayKey, monthKey, trafficOfMonth, type DayTraffic } from "./traffic";
import { outagesOf, spansOf, uptimeOver, type Outage, type Row, type Span, type Transition, type Uptime } from "./uptime";

export const WINDOWS = { "24h": 24 * 3600_000, "7d": 7 * 24 * 3600_000, "30d": 30 * 24 * 3600_000 } as const;
export type WindowName = keyof typeof WINDOWS;

export interface IspUsage {
  isp: string;
  uptime: Record<WindowName, Uptime>;
  /** outages of the last 30 days, newest first */
  outages: Outage[];
  today: { tx: number; rx: number };
  month: { name: string; tx: number; rx: number };
  /** the month's days, oldest first (only days with traffic) */
  days: DayTraffic[];
  cap: CapState | null;
}

/**
 * The figures of the ISPs named, as of now. `days`: also read the month's days (an ISP's page).
 * `among`: every ISP of the gateway (default: those named), the backups its hosts may have used.
 */
export async function usageOf(isps: string[], opts: { now?: number; days?: boolean; timeZone?: string; among?: string[] } = {}): Promise<IspUsage[]> {
  const all = [...new Set([...isps, ...(opts.among ?? [])])];
  const now = opts.now ?? Date.now();
  const from = new Date(now - WINDOWS["30d"]);
  const month = monthKey(now, opts.timeZone);
  const today = dayKey(now, opts.timeZone);
  const [rows, events, used, { caps }, dayRows] = await Promise.all([
    db.ispSample.findMany({
      where: { isp: { in: all }, at: { gte: new Date(from.getTime() - COARSE_S * 1000) }, resolution: { in: [FINE_S, COARSE_S] }, NOT: { state: "" } },
      select: { isp: true, at: true, resolution: true, state: true },
    }),
    db.healthEvent.findMany({ where: { isp: { in: isps }, at: { gte: from } }, orderBy: { at: "asc" }, select: { isp: true, at: true, from: true, to: true } }),
    trafficOfMonth(month),
    loadCaps(),
    db.ispTraffic.findMany({ where: { isp: { in: isps }, day: opts.days ? { gte: `${month}-01` } : today }, orderBy: { day: "asc" } }),
  ]);
  const rowsOf = new Map<string, Row[]>(all.map((i) => [i, []]));
  for (const r of rows) rowsOf.get(r.isp)?.push(r);
  const spans = new Map<string, Span[]>(all.map((i) => [i, spansOf(rowsOf.get(i)!)]));
  const states = new Map(capStates(caps, used, month).map((s) => [s.isp, s]));
  return isps.map((isp) => {
    const own = spans.get(isp)!;
    const evs: Transition[] = events.filter((e) => e.isp === isp);
    const outages = outagesOf(own, evs, now);
    const others = all.filter((i) => i !== isp).map((i) => spans.get(i)!);
    const uptime = Object.fromEntries(Object.entries(WINDOWS).map(([k, ms]) => [k, uptimeOver(ms, now, own, outages, evs, others)])) as Record<
      WindowName,
      Uptime
    >;
    const days = dayRows.filter((d) => d.isp === isp).map((d) => ({ day: d.day, tx: d.txBytes, rx: d.rxBytes }));
    const t = days.find((d) => d.day === today);
    const m = used.get(isp) ?? { tx: 0, rx: 0 };
    return {
      isp,
      uptime,
      outages: [...outages].reverse(),
      today: { tx: t?.tx ?? 0, rx: t?.rx ?? 0 },
      month: { name: month, ...m },
      days: opts.days ? days : [],
      cap: states.get(isp) ?? null,
    };
  });
}

/** "99.95 %" or "no data". Pure. */
export function formatUptime(u: Uptime): string {
  if (u.uptimePct === null) return "no data";
  const p = u.uptimePct;
  return `${p === 100 ? "100" : p >= 99.99 ? "99.99" : p.toFixed(2)} %`;
}

// The dashboard reads every ISP's 30 days (~17,000 sample rows per ISP: about 0.3 s for three
// ISPs on a loaded machine); figures that move by the minute are kept for 30 s per process.
const CACHE_MS = 30_000;
let cached: { key: string; at: number; value: Promise<IspUsage[]> } | null = null;

/** usageOf(isps), at most CACHE_MS old (the dashboard, opened and refreshed often). */
export function recentUsageOf(isps: string[], now = Date.now()): Promise<IspUsage[]> {
  const key = isps.join("\u0000");
  if (cached && cached.key === key && now - cached.at < CACHE_MS) return cached.value;
  const value = usageOf(isps, { now });
  cached = { key, at: now, value };
  value.catch(() => (cached = null));
  return value;
}
