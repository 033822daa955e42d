// Bytes per ISP from the kernel's accounting counters (SWYD-ACCT, read by the monitor's sampler
// every 10 s: lib/health/samples.ts), as running totals per ISP and local day that survive
// counter resets and monitor restarts:
// - the last raw reading of each ISP is persisted (IspCounter) with its WAN interface;
// - the next reading adds (new - last) per direction; a reading below the last one is a reset
//   (an apply recreated the chain, a reboot): the new value is what passed since, counted from 0;
//   a reading of another interface (the ISP's WAN changed) is a new counter: counted from 0 too;
// - the very first reading of an ISP is a baseline only: nobody knows when those bytes passed;
// - the bytes of a reading go to the local day of the reading (the gateway's time zone); after a
//   monitor that was stopped for hours, what passed meanwhile lands on the day it came back.
// Not "server-only": the monitor (CLI) writes, the web UI reads.
import { db } from "@/lib/db";
import type { Counters } from "@/lib/health/samples";

export interface Reading {
  dev: string;
  tx: number;
  rx: number;
}

/** Bytes to add for a new raw reading, per direction. Pure. */
export function counted(last: Reading | null, now: Reading): { tx: number; rx: number } {
  if (!last) return { tx: 0, rx: 0 };
  if (last.dev !== now.dev) return { tx: now.tx, rx: now.rx };
  const one = (before: number, after: number) => (after >= before ? after - before : after);
  return { tx: one(last.tx, now.tx), rx: one(last.rx, now.rx) };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-12-07": the day of `ms` in the time zone (default: the process's, i.e. the gateway's). Pure. */
export function dayKey(ms: number, timeZone?: string): string {
  const key = timeZone ?? "";
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })));
  return f.format(new Date(ms));
}

/** "2026-12": the month of `ms` in the time zone. Pure. */
export const monthKey = (ms: number, timeZone?: string) => dayKey(ms, timeZone).slice(0, 7);

export interface IspDev {
  name: string;
  wanInterface: string;
}

/**
 * Add one reading of the counters to the totals (null: nothing could be read, nothing changes).
 * One transaction per reading: the total and the last reading move together, so a crash between
 * them never counts bytes twice.
 */
export async function recordTraffic(counters: Counters | null, isps: IspDev[], at: number, timeZone?: string): Promise<void> {
  if (!counters) return;
  const seen = isps.filter((i) => counters[i.wanInterface]);
  if (!seen.length) return;
  const lasts = await db.ispCounter.findMany({ where: { isp: { in: seen.map((i) => i.name) } } });
  const day = dayKey(at, timeZone);
  const writes = seen.flatMap((isp) => {
    const c = counters[isp.wanInterface];
    const now = { dev: isp.wanInterface, tx: c.tx, rx: c.rx };
    const d = counted(lasts.find((l) => l.isp === isp.name) ?? null, now);
    const reading = { ...now, at: new Date(at) };
    return [
      db.ispCounter.upsert({ where: { isp: isp.name }, create: { isp: isp.name, ...reading }, update: reading }),
      ...(d.tx || d.rx
        ? [
            db.ispTraffic.upsert({
              where: { isp_day: { isp: isp.name, day } },
              create: { isp: isp.name, day, txBytes: d.tx, rxBytes: d.rx },
              update: { txBytes: { increment: d.tx }, rxBytes: { increment: d.rx } },
            }),
          ]
        : []),
    ];
  });
  await db.$transaction(writes);
}

export interface DayTraffic {
  day: string;
  tx: number;
  rx: number;
}

/** Each day's bytes of one ISP from `fromDay` on (inclusive), oldest first. */
export async function trafficByDay(isp: string, fromDay: string): Promise<DayTraffic[]> {
  const rows = await db.ispTraffic.findMany({ where: { isp, day: { gte: fromDay } }, orderBy: { day: "asc" } });
  return rows.map((r) => ({ day: r.day, tx: r.txBytes, rx: r.rxBytes }));
}

/** Every ISP's bytes in the month ("2026-12"), by ISP name. */
export async function trafficOfMonth(month: string): Promise<Map<string, { tx: number; rx: number }>> {
  const rows = await db.ispTraffic.groupBy({ by: ["isp"], where: { day: { gte: `${month}-01`, lte: `${month}-31` } }, _sum: { txBytes: true, rxBytes: true } });
  return new Map(rows.map((r) => [r.isp, { tx: r._sum.txBytes ?? 0, rx: r._sum.rxBytes ?? 0 }]));
}
