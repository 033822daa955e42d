// The monitor's decisions: a probe's step taken (logged, notified, saved), and the applies it
// leads to. Applies are serialised and coalesced: one at a time, the last health wins; a
// failover (worse) is applied at once, a link that came back once it stayed up long enough,
// a burst of address events on a dynamic WAN once it is over; an apply derived from an older
// reading of the WAN is abandoned before its first change (the newest wins). A newer user
// apply becomes the new base (poll).
import { canonicalJson } from "@/lib/engine/status";
import { applyDerivedConfig, SupersededError } from "@/lib/engine/service";
import { emitEvent } from "@/lib/notify/events";
import { notifyMoves } from "@/lib/notify/monitor-hooks";
import { baseConfig, latestUserRevision } from "./monitor-base";
import { planFailover } from "./effective";
import { initialHealth, proveFor, type Step } from "./state";
import { saveHealth, thresholdsOf } from "./store";
import { learn, restartPingsIfNeeded } from "./monitor-probes";
import { judging, linkScoped, view, type MonitorState } from "./monitor-state";

const MONITOR_ACTOR = { username: "monitor" };
/** how long a dynamic WAN's address events must be quiet before they are read (a new lease: an address and a route, ms apart) */
export const KERNEL_SETTLE_MS = 100;

async function applyNow(s: MonitorState, reason: string, force: boolean) {
  const { log } = s;
  // a burst of address events (an address, then its route, ms apart) is read once it is over
  const quietFor = s.lastAddressEventAt + KERNEL_SETTLE_MS - Date.now();
  if (quietFor > 0) await new Promise((r) => setTimeout(r, quietFor));
  let learnedChanged = false;
  const readAt = s.addressEvents; // the kernel is read after these events
  try {
    learnedChanged = await learn(s);
  } catch (e) {
    log(`reading the dynamic ISPs' addresses: ${e instanceof Error ? e.message : e}`);
  }
  let superseded = false;
  try {
    superseded = !(await applyResolved(s, reason, force, () => s.addressEvents === readAt));
  } finally {
    // the probes follow a new address after the apply, not before it (stopping a ping takes time)
    if (learnedChanged && !s.stopped && !superseded) await restartPingsIfNeeded(s);
  }
  // abandoned for a newer address event: run again at once on what the kernel shows now
  if (superseded) s.pending = { reason: s.pending?.reason ?? reason, force: force || (s.pending?.force ?? false) };
}

/** false: abandoned before any change because a newer address event arrived */
async function applyResolved(s: MonitorState, reason: string, force: boolean, current: () => boolean): Promise<boolean> {
  const { log, opts } = s;
  // Save and apply are separate acts: nothing was ever applied, so the monitor applies nothing
  if (s.base.revisionId === null) {
    log(`${reason}: no configuration has been applied yet, nothing to fail over`);
    return true;
  }
  const f = planFailover(s.resolved, view(s));
  const key = canonicalJson(f.config);
  if (!force && key === s.applied) return true;
  const t = performance.now();
  try {
    const recorded = await applyDerivedConfig(f.config, {
      actor: MONITOR_ACTOR,
      source: "monitor",
      managed: s.managed,
      rollbackOnVerifyFailure: false,
      base: s.base.config,
      current,
    });
    s.applies++;
    for (const r of recorded.recovered) log(`recovered an interrupted apply first (revision ${r.revisionId}): ${r.message}`);
    if (recorded.report.ok) {
      s.applied = key;
      s.lastMoves = notifyMoves(s.lastMoves, [...f.moves, ...(f.defaultIsp ? [f.defaultIsp] : [])], reason, recorded.revisionId, log);
    }
    const moved = f.moves.map((m) => `${m.host} ${m.from}->${m.to}`).join(", ") || "no hosts moved";
    const rev = recorded.revisionId === null ? "not recorded" : `revision ${recorded.revisionId}`;
    // hosts moved: the canary proves the new paths at the next tick
    if (recorded.revisionId !== null) s.canaryAt = 0;
    log(`apply (${reason}): ${recorded.report.result} (${rev}) in ${recorded.report.durationMs} ms; ${moved}`);
    opts.onApply?.({ reason, recorded, at: Date.now(), durationMs: performance.now() - t });
  } catch (e) {
    if (e instanceof SupersededError) {
      log(`apply (${reason}): ${e.message}`);
      return false;
    }
    const error = e instanceof Error ? e.message : String(e);
    log(`apply (${reason}) failed: ${error}`);
    opts.onApply?.({ reason, error, at: Date.now(), durationMs: performance.now() - t });
  }
  return true;
}

export function scheduleApply(s: MonitorState, reason: string, force = false) {
  s.pending = { reason, force: force || (s.pending?.force ?? false) };
  if (s.running) return;
  s.running = (async () => {
    while (s.pending && !s.stopped) {
      const p = s.pending;
      s.pending = null;
      await applyNow(s, p.reason, p.force);
    }
    s.running = null;
  })();
}

export function take(s: MonitorState, isp: string, step: Step) {
  const { log, opts } = s;
  s.health.set(isp, step.health);
  // before any user apply the probes measure nothing Switchyard set up: no word about it
  if (!judging(s)) return;
  const now = Date.now();
  if (step.change) {
    const c = step.change;
    log(`${isp}: ${c.from} -> ${c.to} (${c.reason})`);
    opts.onChange?.(isp, c, now);
    // fire and forget: a database write, never a network wait in the failover's way
    void emitEvent({ kind: `isp-${c.to}`, isp, reason: c.reason, from: c.from }, log);
  }
  if (step.change || now - (s.lastSaved.get(isp) ?? 0) >= 1000) {
    s.lastSaved.set(isp, now);
    saveHealth(isp, linkScoped(s, isp, step.health), step.change).catch((e) => log(`saving health of ${isp}: ${e instanceof Error ? e.message : e}`));
  }
  if (step.change) scheduleApply(s, `${isp} ${step.change.to}: ${step.change.reason}`);
}

// A link that came back: its routes are restored by a full apply once it has stayed up for
// the settle time (a flapping link is not worth an apply per flap; going down needs none).
export function linkChanged(s: MonitorState, isp: string, up: boolean, now: number) {
  clearTimeout(s.linkBack.get(isp));
  s.linkBack.delete(isp);
  const st = s.settings.get(isp);
  if (!up || !st || s.stopped) return;
  const t = thresholdsOf(st);
  const ups = (s.linkUps.get(isp) ?? []).filter((at) => now - at < t.changeWindowMs);
  s.linkUps.set(isp, [...ups, now]);
  // (at most a minute: where the kernel did drop the routes, the probes need them back to see a recovery)
  const settle = Math.min(Math.max(proveFor(ups.length, t), 3 * st.intervalMs), 60_000);
  s.linkBack.set(
    isp,
    setTimeout(() => {
      s.linkBack.delete(isp);
      if (!s.stopped && s.health.get(isp)?.linkUp) scheduleApply(s, `${isp} link up for ${Math.round(settle / 100) / 10} s: restoring its routes`, true);
    }, settle),
  );
}

// A dynamic ISP's address or route changed: learn and apply soon, once for a burst of
// events (a new lease is an address and a route, a few milliseconds apart).
export function kernelChanged(s: MonitorState, why: string) {
  s.addressEvents++;
  s.lastAddressEventAt = Date.now();
  if (s.kernelTimer || s.stopped) return;
  s.kernelTimer = setTimeout(() => {
    s.kernelTimer = null;
    if (!s.stopped) scheduleApply(s, why);
  }, KERNEL_SETTLE_MS);
}

/** A newer user apply becomes the base (and gets failover applied on top); new settings restart the probes. */
export async function poll(s: MonitorState) {
  const { log } = s;
  try {
    // any apply but ours (a new base, or a failed one that left the kernel unknown) gets failover on top
    const latest = await latestUserRevision();
    const seen = latest !== null && latest.id !== s.lastUserRevision;
    if (seen) {
      s.lastUserRevision = latest.id;
      const wasJudging = judging(s);
      s.base = await baseConfig();
      if (!wasJudging && judging(s)) {
        // the first user apply: what the probes saw before it says nothing about it
        const now = Date.now();
        for (const isp of s.base.config.isps)
          s.health.set(isp.name, initialHealth(now, s.health.get(isp.name)?.linkUp ?? true, s.settings.get(isp.name)?.targets));
      }
      await learn(s);
      s.applied = latest.good ? latest.key : null;
      log(`revision ${latest.id} (${latest.result}) by someone else: base is ${s.base.revisionId === null ? "none" : `revision ${s.base.revisionId}`}`);
    }
    await restartPingsIfNeeded(s);
    if (seen) scheduleApply(s, `revision ${latest.id} applied by someone else`);
  } catch (e) {
    log(`reading the base configuration: ${e instanceof Error ? e.message : e}`);
  }
}
