// Health settings and state in the database. Not "server-only": the monitor (CLI) writes,
// the web UI reads.
import { db } from "@/lib/db";
import type { GatewayConfig, IspConfig } from "@/lib/model";
import { SERVER_ADDRESS } from "@/lib/lab/topology";
import { ispHealthSettingsSchema, type IspHealthSettings } from "@/lib/validation/health";
import type { HealthChange, HealthThresholds, IspHealthState } from "./state";

/**
 * Defaults when an ISP has no settings row. Target: in the lab its test server; on a real
 * router the ISP's own gateway (only a start: it proves the link, not the upstream; set
 * targets beyond it). No public address is ever built in.
 */
export function defaultHealthSettings(isp: IspConfig, opts: { lab: boolean }): IspHealthSettings {
  return {
    isp: isp.name, targets: [opts.lab ? SERVER_ADDRESS : isp.gatewayAddress],
    intervalMs: 1000, timeoutMs: 1000, downAfter: 5, upAfter: 5,
    lossDegradedPct: 20, lossDownPct: 60, rttDegradedMs: 250, rttDownMs: 1500,
    minHoldMs: 10_000, maxChanges: 6, changeWindowMs: 300_000,
  };
}

export function thresholdsOf(s: IspHealthSettings): HealthThresholds {
  const { downAfter, upAfter, lossDegradedPct, lossDownPct, rttDegradedMs, rttDownMs, minHoldMs, maxChanges, changeWindowMs } = s;
  // loss over the last ~10 s of probes, at least 10 probes
  const windowSize = Math.max(10, downAfter, upAfter, Math.round(10_000 / s.intervalMs));
  return { downAfter, upAfter, lossDegradedPct, lossDownPct, rttDegradedMs, rttDownMs, minHoldMs, maxChanges, changeWindowMs, windowSize };
}

/** The settings of every ISP of the config: its row (validated) or the defaults. */
export async function loadHealthSettings(config: GatewayConfig, opts: { lab: boolean }): Promise<Map<string, IspHealthSettings>> {
  const rows = await db.ispHealthSettings.findMany();
  const out = new Map<string, IspHealthSettings>();
  for (const isp of config.isps) {
    const row = rows.find((r) => r.isp === isp.name);
    const parsed = row ? ispHealthSettingsSchema.safeParse({ ...row, id: undefined, updatedAt: undefined }) : null;
    if (parsed && !parsed.success) throw new Error(`health settings of ${isp.name} are not valid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    out.set(isp.name, parsed?.success ? parsed.data : defaultHealthSettings(isp, opts));
  }
  return out;
}

export async function saveHealthSettings(input: unknown): Promise<{ ok: true; settings: IspHealthSettings } | { ok: false; issues: string[] }> {
  const r = ispHealthSettingsSchema.safeParse(input);
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  const data = { ...r.data, targets: r.data.targets.join(",") };
  await db.ispHealthSettings.upsert({ where: { isp: data.isp }, create: data, update: data });
  return { ok: true, settings: r.data };
}

export async function saveHealth(isp: string, h: IspHealthState, change: HealthChange | null): Promise<void> {
  const data = { state: h.state, since: new Date(h.since), linkUp: h.linkUp, rttMs: h.rttMs, lossPct: h.lossPct, reason: h.reason };
  await db.$transaction([
    db.ispHealth.upsert({ where: { isp }, create: { isp, ...data }, update: data }),
    ...(change ? [db.healthEvent.create({ data: { isp, from: change.from, to: change.to, reason: change.reason } })] : []),
  ]);
}

export async function loadHealth() {
  return db.ispHealth.findMany({ orderBy: { isp: "asc" } });
}

/** The monitor writes every ISP's health at least once a second; older rows mean no monitor is running. */
export const HEALTH_FRESH_MS = 5000;

/** The health the monitor reports now, by ISP name; empty when no monitor is running. */
export async function liveHealthView(now = Date.now()): Promise<Record<string, { state: "up" | "degraded" | "down" } | undefined>> {
  const rows = await db.ispHealth.findMany({ where: { updatedAt: { gte: new Date(now - HEALTH_FRESH_MS) } } });
  const view: Record<string, { state: "up" | "degraded" | "down" } | undefined> = Object.create(null);
  for (const r of rows) if (r.state === "up" || r.state === "degraded" || r.state === "down") view[r.isp] = { state: r.state };
  return view;
}
