// What /metrics says, from a snapshot of plain data (collect.ts reads it): pure, so tested on
// its own. A fresh prom-client Registry per scrape (never the global one): each answer holds
// exactly the series of this snapshot, and nothing a previous scrape or another module left.
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export const STATES = ["up", "degraded", "down", "unknown"] as const;
export type IspStateName = (typeof STATES)[number];

export interface IspMetrics {
  name: string;
  enabled: boolean;
  /** "unknown": the monitor has no reading for it (not running, or the ISP not probed yet) */
  state: IspStateName;
  linkUp: boolean | null;
  rttMs: number | null;
  lossPct: number | null;
  stateSince: Date | null;
  /** the kernel's accounting counters (SWYD-ACCT) now; null when they could not be read */
  txBytes: number | null;
  rxBytes: number | null;
  /** times it went down from up or degraded (HealthEvent rows, never pruned) */
  failovers: number;
}

export interface ApplyMetrics {
  /** applies by result (applied, unchanged, failed, rolled-back), over every Revision row */
  results: Record<string, number>;
  durationsMs: number[];
  last: { at: Date; durationMs: number; result: string } | null;
}

export interface MetricsSnapshot {
  isps: IspMetrics[];
  applies: ApplyMetrics;
  /** whether the kernel's counters could be read for this scrape */
  kernelRead: boolean;
}

/** Apply durations, in seconds: an apply takes from a fraction of a second to a minute (verification, canary). */
export const APPLY_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];

export async function formatMetrics(s: MetricsSnapshot): Promise<{ text: string; contentType: string }> {
  const registers = [new Registry()];
  const [reg] = registers;
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers });
  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers });

  gauge("switchyard_kernel_read_ok", "1 when this scrape read the kernel's accounting counters, 0 when it could not (no byte series then)").set(
    s.kernelRead ? 1 : 0,
  );
  const up = gauge("switchyard_isp_up", "1 when the ISP is up or degraded (carries traffic), 0 when down or not known", ["isp"]);
  const state = gauge("switchyard_isp_state", "1 for the ISP's current health state, 0 for the others", ["isp", "state"]);
  const enabled = gauge("switchyard_isp_enabled", "1 when the ISP is enabled in the staged configuration", ["isp"]);
  const link = gauge("switchyard_isp_link_up", "1 when the ISP's WAN link is up", ["isp"]);
  const rtt = gauge("switchyard_isp_rtt_seconds", "Mean round-trip time of the ISP's health probes", ["isp"]);
  const loss = gauge("switchyard_isp_loss_ratio", "Share of the ISP's health probes lost (0 to 1)", ["isp"]);
  const since = gauge("switchyard_isp_state_since_timestamp_seconds", "When the ISP entered its current state (Unix time)", ["isp"]);
  const sent = counter(
    "switchyard_isp_sent_bytes_total",
    "Bytes forwarded out through the ISP (kernel counters; reset when an apply rebuilds the accounting chain)",
    ["isp"],
  );
  const received = counter(
    "switchyard_isp_received_bytes_total",
    "Bytes received through the ISP (kernel counters; reset when an apply rebuilds the accounting chain)",
    ["isp"],
  );
  const failovers = counter("switchyard_isp_failovers_total", "Times the ISP went down from up or degraded (its hosts moved to a backup)", ["isp"]);

  for (const i of s.isps) {
    const isp = i.name;
    up.set({ isp }, i.state === "up" || i.state === "degraded" ? 1 : 0);
    for (const st of STATES) state.set({ isp, state: st }, i.state === st ? 1 : 0);
    enabled.set({ isp }, i.enabled ? 1 : 0);
    if (i.linkUp !== null) link.set({ isp }, i.linkUp ? 1 : 0);
    if (i.rttMs !== null) rtt.set({ isp }, i.rttMs / 1000);
    if (i.lossPct !== null) loss.set({ isp }, i.lossPct / 100);
    if (i.stateSince) since.set({ isp }, Math.floor(i.stateSince.getTime() / 1000));
    if (i.txBytes !== null) sent.inc({ isp }, i.txBytes);
    if (i.rxBytes !== null) received.inc({ isp }, i.rxBytes);
    failovers.inc({ isp }, i.failovers);
  }

  const applies = counter("switchyard_applies_total", "Applies recorded (revisions), by result", ["result"]);
  for (const result of ["applied", "unchanged", "failed", "rolled-back"]) applies.inc({ result }, s.applies.results[result] ?? 0);
  for (const [result, n] of Object.entries(s.applies.results))
    if (!["applied", "unchanged", "failed", "rolled-back"].includes(result)) applies.inc({ result }, n);
  const durations = new Histogram({ name: "switchyard_apply_duration_seconds", help: "How long each recorded apply took", buckets: APPLY_BUCKETS, registers });
  for (const ms of s.applies.durationsMs) durations.observe(ms / 1000);
  if (s.applies.last) {
    gauge("switchyard_last_apply_duration_seconds", "How long the last apply took").set(s.applies.last.durationMs / 1000);
    gauge("switchyard_last_apply_timestamp_seconds", "When the last apply was recorded (Unix time)").set(Math.floor(s.applies.last.at.getTime() / 1000));
    gauge("switchyard_last_apply_success", "1 when the last apply applied or found nothing to change, 0 when it failed or rolled back").set(
      ["applied", "unchanged"].includes(s.applies.last.result) ? 1 : 0,
    );
  }
  return { text: await reg.metrics(), contentType: reg.contentType };
}
