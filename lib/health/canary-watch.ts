// The canary between applies: the monitor proves every target again every CANARY_EVERY_MS
// (and soon after each of its own applies), through the forward path, as a host's packets go.
// Each run is stored (CanaryRun, kept 24 h); a target whose proof changes (proven -> failed,
// failed -> proven) is a health event on the timeline, with the reason. The newest run is
// "the last canary proof" on every screen, beside the one of the last apply.
// It does not move hosts by itself: the ISP's own probes decide up and down; a target that
// fails here while its ISP is up means the forward path is broken (a foreign rule or NAT,
// the reverse-path check), which a failover would not fix for every target.
import { db } from "@/lib/db";
import { lastRevisionWithCanary } from "@/lib/data/revisions";
import { emitEvent } from "@/lib/notify/events";
import type { GatewayConfig } from "@/lib/model";
import type { Target } from "@/lib/net/exec";
import { canaryEnabled } from "@/lib/net/canary/slots";
import { proveCanary, type CanaryTargets } from "@/lib/net/canary/prove";
import type { CanaryProof, CanaryReport } from "@/lib/net/verify";

export const CANARY_EVERY_MS = 30_000;
const KEEP_MS = 24 * 3600_000;

/** One proof, IPv4 or an IPv6 row, under the name its events carry ("ISP1", "ISP1 IPv6 from Fiber's /64"). */
interface Watched {
  name: string;
  ok: boolean;
  upstreamDown?: boolean;
  seenAs?: string;
  reason?: string;
}

const watched = (r: CanaryReport): Watched[] => [
  ...r.proofs.map((p: CanaryProof) => ({ name: p.target, ok: p.ok, upstreamDown: p.upstreamDown, seenAs: p.seenAs, reason: p.reason })),
  // IPv6 rows (lib/net/canary/prove6.ts); one not proven for want of an IPv6 probe target is neither news nor a failure
  ...(r.ipv6 ?? [])
    .filter((x) => !x.skipped)
    .map((x) => ({ name: `${x.target} IPv6 from ${x.owner}'s /64`, ok: x.ok, upstreamDown: x.upstreamDown, seenAs: x.seenAs, reason: x.reason })),
];

/** Targets whose proof changed between two runs (IPv4 and each IPv6 row), as health events. */
export function canaryEvents(before: CanaryReport | null, now: CanaryReport): { isp: string; from: string; to: string; reason: string }[] {
  if (!now.available) return [];
  const was = new Map((before?.available ? watched(before) : []).map((p) => [p.name, p]));
  const label = (p: Watched) => (p.ok ? "proven" : p.upstreamDown ? "no internet" : "failed");
  return watched(now).flatMap((p) => {
    const old = was.get(p.name);
    if (old ? label(old) === label(p) : p.ok) return [];
    return [
      {
        isp: `canary ${p.name}`,
        from: old ? label(old) : "unknown",
        to: label(p),
        reason: p.ok ? `proven again: left as ${p.seenAs}` : (p.reason ?? "failed"),
      },
    ];
  });
}

export interface CanaryWatch {
  /** prove now unless a run is under way; returns the report (null: the canary is off or busy) */
  run(config: GatewayConfig, targets: CanaryTargets): Promise<CanaryReport | null>;
  readonly last: CanaryReport | null;
}

export function createCanaryWatch(target: Target, log: (line: string) => void): CanaryWatch {
  let last: CanaryReport | null = null;
  let busy = false;
  return {
    get last() {
      return last;
    },
    async run(config, targets) {
      if (busy || !canaryEnabled(config)) return null;
      busy = true;
      try {
        const report = await proveCanary(target, config, targets);
        const events = canaryEvents(last, report);
        last = report;
        const ok = report.available && watched(report).every((p) => p.ok);
        await db.$transaction([
          db.canaryRun.create({ data: { ok, report: JSON.stringify(report) } }),
          db.canaryRun.deleteMany({ where: { at: { lt: new Date(Date.now() - KEEP_MS) } } }),
          ...events.map((e) => db.healthEvent.create({ data: e })),
        ]);
        for (const e of events) log(`${e.isp}: ${e.from} -> ${e.to} (${e.reason})`);
        // "no internet" is the ISP's outage, told by its own health; a failing forward path is news
        for (const e of events.filter((e) => e.to === "failed"))
          void emitEvent({ kind: "canary-failed", target: e.isp.replace(/^canary /, ""), reason: e.reason }, log);
        return report;
      } catch (e) {
        log(`canary: ${e instanceof Error ? e.message : e}`);
        return null;
      } finally {
        busy = false;
      }
    },
  };
}

/** The newest canary proof: the monitor's last run or the last apply's, whichever is newer. */
export async function lastCanaryProof(): Promise<CanaryReport | null> {
  const [run, rev] = await Promise.all([db.canaryRun.findFirst({ orderBy: { id: "desc" } }), lastRevisionWithCanary()]);
  const fromRun = run ? (JSON.parse(run.report) as CanaryReport) : null;
  const fromRev = rev?.verification ? ((JSON.parse(rev.verification) as { canary?: CanaryReport }).canary ?? null) : null;
  return newerCanary(fromRun, fromRev);
}

/** The newer of two canary reports (either may be missing). */
export function newerCanary(a: CanaryReport | null, b: CanaryReport | null): CanaryReport | null {
  if (!a || !b) return a ?? b;
  return Date.parse(a.at) >= Date.parse(b.at) ? a : b;
}
