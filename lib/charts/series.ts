// The x side of the long-term charts: where nothing was measured the line breaks, a lone
// reading is still drawn (as a dot), and a readout names the reading under the pointer only
// when there is one near it. Pure.

/**
 * Bucket times (ms, ascending) with one extra time wherever two readings are more than
 * `tolerance` steps apart: the series hold null there, so no line is drawn across the hole.
 */
export function insertGaps(times: readonly number[], stepMs: number, tolerance = 2): number[] {
  const out: number[] = [];
  for (const t of times) {
    const prev = out[out.length - 1];
    if (prev !== undefined && t - prev > tolerance * stepMs) out.push(prev + stepMs);
    out.push(t);
  }
  return out;
}

/** Indexes of readings with no reading on either side: a line through one point is invisible, so these get a dot. */
export function isolatedPoints(values: readonly (number | null | undefined)[]): number[] {
  const has = (i: number) => values[i] !== null && values[i] !== undefined;
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (has(i) && !has(i - 1) && !has(i + 1)) out.push(i);
  return out;
}

/** Index of the time nearest to `t` in ascending `at`, or null when none is within `maxDistance`. */
export function nearestIndex(at: readonly number[], t: number, maxDistance: number): number | null {
  if (at.length === 0 || !Number.isFinite(t)) return null;
  let lo = 0;
  let hi = at.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (at[mid] <= t) lo = mid;
    else hi = mid;
  }
  const i = Math.abs(at[lo] - t) <= Math.abs(at[hi] - t) ? lo : hi;
  return Math.abs(at[i] - t) <= maxDistance ? i : null;
}

/** Index of the newest time at which any series has a reading (the legend shows it when no pointer is on the chart). */
export function latestIndex(series: readonly (readonly (number | null)[])[]): number | null {
  const n = Math.max(0, ...series.map((s) => s.length));
  for (let i = n - 1; i >= 0; i--) if (series.some((s) => s[i] !== null && s[i] !== undefined)) return i;
  return null;
}
