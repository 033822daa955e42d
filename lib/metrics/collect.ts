// Reads what /metrics reports, once per scrape: the ISPs of the staged configuration, the
// monitor's last health reading (IspHealth), failovers from the health transitions
// (HealthEvent), applies from the revisions, and the kernel's accounting counters read live
// (the same read as the monitor's samples, lib/health/samples.ts): nothing is cached between
// scrapes, so what Prometheus sees is what the gateway has now.
import { db } from "@/lib/db";
import { loadConfig } from "@/lib/data/config";
import { newestRevisionSummary, revisionDurations, revisionResultCounts } from "@/lib/data/revisions";
import { resolveTarget } from "@/lib/engine/target";
import { readAccounting, type Counters } from "@/lib/health/samples";
import { STATES, type IspStateName, type MetricsSnapshot } from "./format";

async function counters(): Promise<Counters | null> {
  try {
    return await readAccounting(resolveTarget().target);
  } catch {
    return null; // no gateway to read (a target that is not there): the byte series are left out
  }
}

export async function collectMetrics(): Promise<MetricsSnapshot> {
  const [config, health, downs, byResult, durations, last, acct] = await Promise.all([
    loadConfig(),
    db.ispHealth.findMany(),
    db.healthEvent.groupBy({ by: ["isp"], where: { to: "down", from: { in: ["up", "degraded"] } }, _count: { _all: true } }),
    revisionResultCounts(),
    revisionDurations(),
    newestRevisionSummary(),
    counters(),
  ]);
  const healthOf = new Map(health.map((h) => [h.isp, h]));
  const failoversOf = new Map(downs.map((d) => [d.isp, d._count._all]));
  return {
    kernelRead: acct !== null,
    isps: config.isps.map((isp) => {
      const h = healthOf.get(isp.name);
      const state: IspStateName = h && (STATES as readonly string[]).includes(h.state) ? (h.state as IspStateName) : "unknown";
      const c = acct?.[isp.wanInterface];
      return {
        name: isp.name,
        enabled: isp.enabled,
        state,
        linkUp: h ? h.linkUp : null,
        rttMs: h?.rttMs ?? null,
        lossPct: h ? h.lossPct : null,
        stateSince: h?.since ?? null,
        txBytes: c ? c.tx : null,
        rxBytes: c ? c.rx : null,
        failovers: failoversOf.get(isp.name) ?? 0,
      };
    }),
    applies: {
      results: Object.fromEntries(byResult.map((r) => [r.result, r._count._all])),
      durationsMs: durations.map((d) => d.durationMs),
      last: last ? { at: last.createdAt, durationMs: last.durationMs, result: last.result } : null,
    },
  };
}
