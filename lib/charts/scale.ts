// The y axes of the long-term charts (components/kernel/chart.tsx). Pure, so that what the
// charts promise is tested without a browser:
//   - the axis starts at 0 and ends on a tick that covers the data, at least the quantity's
//     floor, so an idle link reads 0..1 kB/s instead of "0 B/s" three times;
//   - one unit per axis, chosen from the tick step (B/s, kB/s, MB/s, GB/s; ms; %), and as many
//     decimals as the step needs, so no two tick labels read the same;
//   - the axis is as wide as its widest label: nothing clipped.
export type Quantity = "rate" | "ms" | "pct";

const RATE_UNITS = ["B/s", "kB/s", "MB/s", "GB/s", "TB/s"];
/** the smallest top of an axis: an idle link, a 0 ms reading and no loss still get a readable scale */
const FLOOR: Record<Quantity, number> = { rate: 1000, ms: 10, pct: 5 };

/** 1, 2, 2.5 or 5 times a power of ten, the smallest such step >= raw. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  const m = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 2.5 + 1e-9 ? 2.5 : f <= 5 + 1e-9 ? 5 : 10;
  return m * p;
}

const clean = (x: number) => Number(x.toPrecision(12));

/** Ticks from 0 to a top that covers `max` (about `count` steps); loss never above 100 %. */
export function yTicks(max: number | null | undefined, q: Quantity, count = 4): number[] {
  let top = Math.max(typeof max === "number" && Number.isFinite(max) ? max : 0, FLOOR[q]);
  if (q === "pct") top = Math.min(top, 100);
  const step = niceStep(top / count);
  const n = Math.max(1, Math.ceil(top / step - 1e-9));
  return Array.from({ length: n + 1 }, (_, i) => clean(i * step));
}

/** How the ticks of one axis are written: one unit for all, the decimals the step needs. */
export function axisUnit(ticks: number[], q: Quantity): { divisor: number; unit: string; decimals: number } {
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : ticks[0] || 1;
  let divisor = 1;
  let unit = q === "ms" ? "ms" : q === "pct" ? "%" : RATE_UNITS[0];
  if (q === "rate") {
    // the largest unit in which the step is still at least 1: "250 kB/s", not "0.25 MB/s"
    let k = 0;
    while (k < RATE_UNITS.length - 1 && step / 1000 ** (k + 1) >= 1) k++;
    divisor = 1000 ** k;
    unit = RATE_UNITS[k];
  }
  const s = clean(step / divisor);
  let decimals = 0;
  while (decimals < 6 && Math.abs(clean(s * 10 ** decimals) - Math.round(s * 10 ** decimals)) > 1e-9) decimals++;
  return { divisor, unit, decimals };
}

/** The tick labels of one axis ("0 MB/s", "2.5 MB/s", ...): distinct by construction. */
export function tickLabels(ticks: number[], q: Quantity): string[] {
  const { divisor, unit, decimals } = axisUnit(ticks, q);
  return ticks.map((t) => `${t === 0 ? "0" : (t / divisor).toFixed(decimals)} ${unit}`);
}

/** One reading in the legend, in its own unit (a readout, not an axis). */
export function formatValue(v: number | null | undefined, q: Quantity): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  if (q === "ms") return `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
  if (q === "pct") return `${v < 10 && v !== 0 ? v.toFixed(1) : Math.round(v)} %`;
  let x = v;
  let k = 0;
  while (Math.abs(x) >= 1000 && k < RATE_UNITS.length - 1) {
    x /= 1000;
    k++;
  }
  return `${k === 0 ? Math.round(x) : x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2)} ${RATE_UNITS[k]}`;
}

/** Width (px) of a y axis that holds its widest label, its tick marks and the gap between. */
export function axisWidth(labels: readonly (string | null)[], measure: (text: string) => number, ticks = 6, gap = 6): number {
  const widest = Math.max(0, ...labels.map((l) => (l ? measure(l) : 0)));
  return Math.ceil(widest + ticks + gap + 4);
}
