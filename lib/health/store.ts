// Health settings and state in the database. Not "server-only": the monitor (CLI) writes,
// the web UI reads.
import { db } from "@/lib/db";
import type { GatewayConfig, IspConfig } from "@/lib/model";
import { SERVER_ADDRESS } from "@/lib/lab/topology";
import { SERVER_ADDRESS6 } from "@/lib/lab/topology6";
import { ispHealthSettingsSchema, type IspHealthSettings } from "@/lib/validation/health";
import { cappedIsps } from "@/lib/usage/caps";
import { formatIssues, issueLines } from "@/lib/validation/issues";
import type { HealthChange, HealthThresholds, IspHealthState } from "./state";

/**
 * Public anycast resolvers, probed on a real router when an ISP has no targets of its own
 * (as mwan3 ships). They sit beyond the ISP's router: only they tell a dead upstream from a
 * live link. The ISP's own router answering proves the link alone. Shown in the ISP form.
 */
export const REAL_ROUTER_TARGETS = ["1.1.1.1", "8.8.8.8", "9.9.9.9"];

/**
 * Defaults when an ISP has no settings row: in the lab its test server, on a real router
 * REAL_ROUTER_TARGETS. A lab ISP with IPv6 (translation on: its probe's mark rule) is dual stack:
 * the server's IPv6 address too, with reliability 1 (either family answering keeps the ISP up).
 */
export function defaultHealthSettings(isp: Pick<IspConfig, "name"> & Partial<Pick<IspConfig, "ipv6">>, opts: { lab: boolean }): IspHealthSettings {
  const v6 = opts.lab && isp.ipv6 && isp.ipv6.translate !== false ? [SERVER_ADDRESS6] : [];
  return {
    isp: isp.name,
    targets: opts.lab ? [SERVER_ADDRESS, ...v6] : [...REAL_ROUTER_TARGETS],
    reliability: 1,
    intervalMs: 1000,
    timeoutMs: 1000,
    downAfter: 5,
    upAfter: 5,
    lossDegradedPct: 20,
    lossDownPct: 60,
    lossRecoverPct: 5,
    lossWindow: 20,
    recoverWindow: 30,
    rttDegradedMs: 250,
    rttDownMs: 1500,
    minHoldMs: 10_000,
    maxChanges: 6,
    changeWindowMs: 300_000,
  };
}

export function thresholdsOf(s: IspHealthSettings): HealthThresholds {
  const {
    downAfter,
    upAfter,
    lossDegradedPct,
    lossDownPct,
    lossRecoverPct,
    lossWindow,
    recoverWindow,
    reliability,
    rttDegradedMs,
    rttDownMs,
    minHoldMs,
    maxChanges,
    changeWindowMs,
  } = s;
  const windowSize = Math.max(lossWindow, recoverWindow, downAfter, upAfter);
  return {
    downAfter,
    upAfter,
    lossDegradedPct,
    lossDownPct,
    lossRecoverPct,
    lossWindow,
    recoverWindow,
    reliability,
    rttDegradedMs,
    rttDownMs,
    minHoldMs,
    maxChanges,
    changeWindowMs,
    windowSize,
  };
}

type SettingsRow = Awaited<ReturnType<typeof db.ispHealthSettings.findMany>>[number];

/** A database row as the schema's input: without its id and time stamp (the schema is strict). */
export function rowToInput(row: SettingsRow): unknown {
  const { id: _id, updatedAt: _at, ...rest } = row;
  return rest;
}

/** The settings of every ISP of the config: its row (validated) or the defaults. */
export async function loadHealthSettings(config: Pick<GatewayConfig, "isps">, opts: { lab: boolean }): Promise<Map<string, IspHealthSettings>> {
  const rows = await db.ispHealthSettings.findMany();
  const out = new Map<string, IspHealthSettings>();
  for (const isp of config.isps) {
    const row = rows.find((r) => r.isp === isp.name);
    const parsed = row ? ispHealthSettingsSchema.safeParse(rowToInput(row)) : null;
    if (parsed && !parsed.success) throw new Error(`health settings of ${isp.name} are not valid: ${formatIssues(parsed.error.issues)}`);
    out.set(isp.name, parsed?.success ? parsed.data : defaultHealthSettings(isp, opts));
  }
  return out;
}

export async function saveHealthSettings(input: unknown): Promise<{ ok: true; settings: IspHealthSettings } | { ok: false; issues: string[] }> {
  const r = ispHealthSettingsSchema.safeParse(input);
  if (!r.success) return { ok: false, issues: issueLines(r.error.issues) };
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

/** Every ISP's last health row (the pages' snapshot and `switchyard status` read the same). */
export async function loadHealth() {
  return db.ispHealth.findMany({ orderBy: { isp: "asc" } });
}

/** The monitor writes every ISP's health at least once a second; older rows mean no monitor is running. */
export const HEALTH_FRESH_MS = 5000;

/** The health the monitor reports now, by ISP name; empty when no monitor is running. */
export async function liveHealthView(now = Date.now()): Promise<Record<string, { state: "up" | "degraded" | "down"; capped?: boolean } | undefined>> {
  const rows = await db.ispHealth.findMany({ where: { updatedAt: { gte: new Date(now - HEALTH_FRESH_MS) } } });
  const view: Record<string, { state: "up" | "degraded" | "down"; capped?: boolean } | undefined> = Object.create(null);
  for (const r of rows) if (r.state === "up" || r.state === "degraded" || r.state === "down") view[r.isp] = { state: r.state };
  // an ISP over its monthly cap (last resort) stays one in a user's apply too (lib/usage/caps.ts)
  for (const isp of await cappedIsps(now)) view[isp] = { state: view[isp]?.state ?? "up", capped: true };
  return view;
}
