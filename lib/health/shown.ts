// Pure: the monitor's rows as the UI shows them. A row not refreshed for STALE_MS means the
// monitor is not running: "unknown", never the last (possibly green) state. Before the first
// apply nothing is measured (the probes need Switchyard's rules): every ISP is "no health data
// yet", whatever rows an older monitor left, never a red "down".
import type { IspHealthInfo } from "./view-types";

/** The monitor saves every ISP's state about every second. */
export const STALE_MS = 5000;

/** Pure: the rows as the UI shows them at `now`. */
export function ispHealthInfo(
  isps: string[],
  rows: { isp: string; state: string; since: Date; linkUp: boolean; rttMs: number | null; lossPct: number; reason: string; updatedAt: Date }[],
  now: number,
  opts: { applied?: boolean } = {},
): IspHealthInfo[] {
  return isps.map((isp) => {
    const r = opts.applied === false ? undefined : rows.find((x) => x.isp === isp);
    const none = opts.applied === false ? "no health data yet (nothing applied yet)" : "no health data yet (monitor not running)";
    if (!r) return { isp, state: "unknown", since: null, rttMs: null, lossPct: null, linkUp: null, reason: none, updatedAt: null };
    const stale = now - r.updatedAt.getTime() > STALE_MS;
    const state = stale ? "unknown" : r.state === "up" || r.state === "degraded" || r.state === "down" ? r.state : "unknown";
    return {
      isp,
      state,
      since: stale ? r.updatedAt.toISOString() : r.since.toISOString(),
      rttMs: stale ? null : r.rttMs,
      lossPct: stale ? null : r.lossPct,
      linkUp: stale ? null : r.linkUp,
      reason: stale ? `monitor not running (last word ${Math.round((now - r.updatedAt.getTime()) / 1000)} s ago: ${r.state})` : r.reason,
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}
