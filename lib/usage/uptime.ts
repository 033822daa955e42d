// Uptime, outages and time on a backup per ISP, from what the monitor recorded. Pure.
// - What was measured: the sample rows (lib/health/samples.ts) with a health state: 10 s rows
//   where they exist (the last 24 h), 300 s rows before. A row holds the worst state of its
//   bucket. Time without a row (no monitor running, before the first apply) is unknown: it is
//   neither up nor down, and left out of the percentages ("measured 6 d of 7 d").
// - Uptime = (measured time - down time) / measured time: degraded counts as up (the ISP still
//   carries its hosts), and its time is given apart.
// - An outage: consecutive "down" rows; its start and end are refined to the exact health
//   transitions (HealthEvent) inside its first and last row, so a 20 s outage in a 5-minute row
//   counts 20 s, not 5 minutes. Outages across a window's edge count only inside the window.
// - Time on a backup: the part of an ISP's outages during which another ISP was up or degraded,
//   i.e. its hosts ran on a backup (the monitor moves them at once).
// - Failovers: the ISP's transitions to down (HealthEvent), each applied at once by the monitor.

export type State = "up" | "degraded" | "down";
export interface Row {
  at: Date;
  resolution: number;
  state: string;
}
export interface Transition {
  at: Date;
  from: string;
  to: string;
}
export interface Span {
  start: number;
  end: number;
  state: State;
}

const FINE_MS = 10_000;
const isState = (s: string): s is State => s === "up" || s === "degraded" || s === "down";

/** Measured spans of one ISP from its rows (10 s rows where they start, 300 s rows before), merged, oldest first. */
export function spansOf(rows: Row[]): Span[] {
  const fine = rows.filter((r) => r.resolution * 1000 <= FINE_MS);
  const fineStart = fine.length ? Math.min(...fine.map((r) => r.at.getTime())) : Infinity;
  const raw: Span[] = [];
  for (const r of rows) {
    if (!isState(r.state)) continue;
    const start = r.at.getTime();
    const coarse = r.resolution * 1000 > FINE_MS;
    const end = coarse ? Math.min(start + r.resolution * 1000, fineStart) : start + r.resolution * 1000;
    if (end > start) raw.push({ start, end, state: r.state });
  }
  raw.sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of raw) {
    const prev = out[out.length - 1];
    if (prev && prev.state === s.state && s.start <= prev.end) prev.end = Math.max(prev.end, s.end);
    else if (prev && s.start < prev.end)
      out.push({ ...s, start: prev.end }); // overlapping rows: the older one stands
    else out.push({ ...s });
  }
  return out.filter((s) => s.end > s.start);
}

export interface Outage {
  start: number;
  end: number;
  /** still down at the last row (the end is "now so far") */
  ongoing: boolean;
}

/** Outages from the spans, refined by the transitions. `lastAt`: the end of the newest row of the ISP. */
export function outagesOf(spans: Span[], events: Transition[], now: number): Outage[] {
  const out: Outage[] = [];
  for (const s of spans) {
    if (s.state !== "down") continue;
    const prev = out[out.length - 1];
    if (prev && prev.end === s.start) prev.end = s.end;
    else out.push({ start: s.start, end: s.end, ongoing: false });
  }
  const last = spans[spans.length - 1];
  const times = events.map((e) => ({ t: e.at.getTime(), from: e.from, to: e.to }));
  return out.map((o) => {
    // the first row of an outage starts before the transition; its last ends after the recovery
    // (a row holds the states the monitor saw at its ticks, a second or so after a transition: a
    // transition at the very end of a row shows in the next one, hence one fine row of slack)
    const into = times.filter((e) => e.to === "down" && e.t >= o.start - FINE_MS && e.t < Math.min(o.end, o.start + 300_000)).map((e) => e.t);
    const back = times.filter((e) => e.from === "down" && e.t > Math.max(o.start, o.end - 300_000) && e.t <= o.end + FINE_MS).map((e) => e.t);
    const start = into.length ? Math.min(...into) : o.start;
    const ongoing = last !== undefined && last.state === "down" && last.end === o.end && now - o.end < 30_000;
    const end = ongoing ? Math.max(now, o.end) : back.length ? Math.max(Math.max(...back), start) : o.end;
    return { start, end, ongoing };
  });
}

const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** The union of intervals, merged, oldest first. */
function union(xs: { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const x of [...xs].sort((a, b) => a.start - b.start)) {
    const prev = out[out.length - 1];
    if (prev && x.start <= prev.end) prev.end = Math.max(prev.end, x.end);
    else out.push({ ...x });
  }
  return out;
}

export interface Uptime {
  windowMs: number;
  /** time with a health state recorded in the window */
  measuredMs: number;
  downMs: number;
  degradedMs: number;
  /** (measured - down) / measured, 0-100; null when nothing was measured */
  uptimePct: number | null;
  outages: number;
  onBackupMs: number;
  failovers: number;
}

/**
 * One ISP's figures over the window ending now. `others`: the spans of the other ISPs (where
 * its hosts can go while it is down).
 */
export function uptimeOver(windowMs: number, now: number, spans: Span[], outages: Outage[], events: Transition[], others: Span[][]): Uptime {
  const from = now - windowMs;
  const clip = (x: { start: number; end: number }) => overlap(x.start, x.end, from, now);
  const measuredMs = spans.reduce((a, s) => a + clip(s), 0);
  const degradedMs = spans.filter((s) => s.state === "degraded").reduce((a, s) => a + clip(s), 0);
  const inWindow = outages.filter((o) => clip(o) > 0);
  const downMs = Math.min(
    measuredMs,
    inWindow.reduce((a, o) => a + clip(o), 0),
  );
  const backups = union(others.flat().filter((s) => s.state !== "down"));
  const onBackupMs = inWindow.reduce((a, o) => a + backups.reduce((b, u) => b + overlap(Math.max(o.start, from), Math.min(o.end, now), u.start, u.end), 0), 0);
  const failovers = events.filter((e) => e.to === "down" && e.from !== "down" && e.at.getTime() >= from && e.at.getTime() < now).length;
  return {
    windowMs,
    measuredMs,
    downMs,
    degradedMs,
    uptimePct: measuredMs > 0 ? ((measuredMs - downMs) / measuredMs) * 100 : null,
    outages: inWindow.length,
    onBackupMs,
    failovers,
  };
}
