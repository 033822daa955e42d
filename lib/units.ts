// Quantities in words for pages, the CLI and notifications. Pure.
const UNITS = ["B", "kB", "MB", "GB", "TB"];

/** 1234567 -> "1.23 MB" (decimal units, as link speeds are counted). */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${UNITS[u]}`;
}
