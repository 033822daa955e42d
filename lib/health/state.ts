// ISP health as a pure state machine: probe results and link events in, a state out.
// No clock of its own (every call is given `now`, tests use a fake one), no I/O.
//   up        replies come back within the thresholds
//   degraded  loss or latency over the "degraded" thresholds: still used, shown as such
//   down      fewer than `reliability` targets alive (a target is dead after downAfter
//             misses in a row), loss or latency over the "down" thresholds, or the link down
// The ISP is as good as its reliability-th best target (its loss and RTT are that target's).
// Worse and better are judged apart, so a steady loss settles in one state:
//   worse  (up -> degraded -> down) on the last lossWindow probes, at once: never held back
//   better (down -> up/degraded, degraded -> up) only when loss <= lossRecoverPct over the last
//          recoverWindow probes (from down also upAfter replies in a row), and then only to the
//          state the "worse" rules give (so no change can undo itself without new evidence).
// Damping holds back recoveries only: none within minHoldMs of the last change, at most
// maxChanges recoveries per changeWindowMs. A failover is never delayed.
export type HealthStateName = "up" | "degraded" | "down";

export interface HealthThresholds {
  downAfter: number;
  upAfter: number;
  lossDegradedPct: number;
  lossDownPct: number;
  /** a degraded or down ISP is back only with loss at or below this over recoverWindow probes */
  lossRecoverPct: number;
  /** probes over which loss going worse is judged */
  lossWindow: number;
  /** probes over which a recovery is judged */
  recoverWindow: number;
  /** targets that must answer for the ISP to count as up */
  reliability: number;
  rttDegradedMs: number;
  rttDownMs: number;
  minHoldMs: number;
  /** recoveries (never failovers) allowed per changeWindowMs */
  maxChanges: number;
  changeWindowMs: number;
  /** probes kept per target (at least both windows) */
  windowSize: number;
}

interface Sample {
  ok: boolean;
  rttMs?: number;
}

/** One probe target's recent probes and its replies / losses in a row. */
export interface TargetRecord {
  samples: Sample[];
  ok: number;
  fail: number;
}

export interface IspHealthState {
  state: HealthStateName;
  since: number;
  /** no recovery before this (the minimum hold time after a change) */
  holdUntil: number;
  /** since when the evidence for a better state has held without a break (null: it does not) */
  betterSince: number | null;
  linkUp: boolean;
  /** the reliability-th best target's, over the last lossWindow probes (null: no reply yet) */
  rttMs: number | null;
  lossPct: number;
  reason: string;
  targets: Record<string, TargetRecord>;
  /** when the recent recoveries happened (maxChanges per changeWindowMs) */
  recoveries: number[];
}

export interface HealthChange {
  from: HealthStateName;
  to: HealthStateName;
  reason: string;
}

export interface Step {
  health: IspHealthState;
  change: HealthChange | null;
}

const RANK: Record<HealthStateName, number> = { up: 0, degraded: 1, down: 2 };
const fresh = (): TargetRecord => ({ samples: [], ok: 0, fail: 0 });

export function initialHealth(now: number, linkUp = true, targets: string[] = []): IspHealthState {
  // Optimistic start: a monitor that restarts must not move every host before it has looked.
  return {
    state: linkUp ? "up" : "down",
    since: now,
    holdUntil: now,
    betterSince: null,
    linkUp,
    rttMs: null,
    lossPct: 0,
    reason: linkUp ? "monitor started" : "link down",
    targets: Object.fromEntries(targets.map((t) => [t, fresh()])),
    recoveries: [],
  };
}

/** The probe targets changed: a removed one no longer counts, a new one starts unknown (alive). */
export function withTargets(h: IspHealthState, targets: string[]): IspHealthState {
  return { ...h, targets: Object.fromEntries(targets.map((t) => [t, h.targets[t] ?? fresh()])) };
}

/** Anything measured yet (a probe answered or lost, or the link seen down)? The charts record nothing before. */
export function measured(h: IspHealthState): boolean {
  return !h.linkUp || Object.values(h.targets).some((r) => r.samples.length > 0);
}

const lossOf = (s: Sample[]) => (s.length ? (100 * s.filter((x) => !x.ok).length) / s.length : 0);
function rttOf(s: Sample[]): number | null {
  const r = s.filter((x) => x.ok && x.rttMs !== undefined).map((x) => x.rttMs!);
  return r.length ? r.reduce((a, b) => a + b, 0) / r.length : null;
}
/** The k-th smallest value (1-based), or null when there are fewer than k. */
const kth = (xs: number[], k: number) => [...xs].sort((a, b) => a - b)[k - 1] ?? null;
const round1 = (x: number | null) => (x === null ? null : Math.round(10 * x) / 10);

/** Loss and RTT as shown: the reliability-th best target's over its last lossWindow probes (fewer at the start). */
function shown(h: IspHealthState, t: HealthThresholds): { lossPct: number; rttMs: number | null } {
  const recs = Object.values(h.targets).filter((r) => r.samples.length > 0);
  const k = Math.min(t.reliability, recs.length);
  if (k === 0) return { lossPct: 0, rttMs: null };
  const last = recs.map((r) => r.samples.slice(-t.lossWindow));
  return {
    lossPct: Math.round(kth(last.map(lossOf), k)!),
    rttMs: round1(
      kth(
        last.map(rttOf).filter((x): x is number => x !== null),
        k,
      ),
    ),
  };
}

/** The state the evidence of the last lossWindow probes asks for (the rules for getting worse). */
function level(h: IspHealthState, t: HealthThresholds): { to: HealthStateName; reason: string } {
  if (!h.linkUp) return { to: "down", reason: "link down" };
  const recs = Object.values(h.targets);
  const k = t.reliability;
  // the reasons name the targets at fault, so a user sees which one (an IPv6 one beside IPv4 ones)
  const dead = Object.keys(h.targets).filter((n) => h.targets[n].fail >= t.downAfter);
  if (recs.length && recs.length - dead.length < k) {
    return {
      to: "down",
      reason:
        recs.length === 1
          ? `${t.downAfter} probes in a row unanswered`
          : `${dead.length} of ${recs.length} targets unanswered ${t.downAfter} times in a row: ${dead.join(", ")} (${k} must answer)`,
    };
  }
  // loss: judged once a target has a full window (a streak catches a dead upstream before)
  const full = recs.filter((r) => r.samples.length >= t.lossWindow).map((r) => r.samples.slice(-t.lossWindow));
  const loss = kth(full.map(lossOf), k);
  // RTT: over the replies of the same window, once there are a few
  const rtts = recs
    .map((r) => r.samples.slice(-t.lossWindow))
    .filter((s) => s.filter((x) => x.ok).length >= Math.min(t.lossWindow, t.downAfter))
    .map(rttOf);
  const rtt = round1(
    kth(
      rtts.filter((x): x is number => x !== null),
      k,
    ),
  );
  // with several targets, the loss reasons name those at or over the threshold
  const lossy = (pct: number) => {
    if (recs.length < 2) return "";
    const names = Object.keys(h.targets).filter((n) => {
      const s = h.targets[n].samples;
      return s.length >= t.lossWindow && lossOf(s.slice(-t.lossWindow)) >= pct;
    });
    return names.length ? ` (${names.join(", ")})` : "";
  };
  const of = `over the last ${t.lossWindow} probes`;
  if (loss !== null && loss >= t.lossDownPct) return { to: "down", reason: `loss ${Math.round(loss)}% >= ${t.lossDownPct}% ${of}${lossy(t.lossDownPct)}` };
  if (rtt !== null && rtt >= t.rttDownMs) return { to: "down", reason: `RTT ${rtt} ms >= ${t.rttDownMs} ms` };
  if (loss !== null && loss >= t.lossDegradedPct)
    return { to: "degraded", reason: `loss ${Math.round(loss)}% >= ${t.lossDegradedPct}% ${of}${lossy(t.lossDegradedPct)}` };
  if (rtt !== null && rtt >= t.rttDegradedMs) return { to: "degraded", reason: `RTT ${rtt} ms >= ${t.rttDegradedMs} ms` };
  return { to: "up", reason: "loss and RTT within the thresholds" };
}

/** May the ISP get better (from `from` to `to`) now? Null when yes, else why not. */
function recoveryBlocked(h: IspHealthState, to: HealthStateName, t: HealthThresholds): string | null {
  const recs = Object.values(h.targets);
  const k = t.reliability;
  if (h.state === "down" && recs.filter((r) => r.ok >= t.upAfter).length < k) return `waiting for ${t.upAfter} replies in a row`;
  const windows = recs.filter((r) => r.samples.length >= t.recoverWindow).map((r) => r.samples.slice(-t.recoverWindow));
  const clean = windows.filter((s) => lossOf(s) <= t.lossRecoverPct);
  if (clean.length < k) return `waiting for loss <= ${t.lossRecoverPct}% over ${t.recoverWindow} probes`;
  const rtt = kth(
    clean.map(rttOf).filter((x): x is number => x !== null),
    k,
  );
  const limit = to === "up" ? t.rttDegradedMs : t.rttDownMs;
  if (rtt !== null && rtt >= limit) return `waiting for RTT < ${limit} ms over ${t.recoverWindow} probes`;
  return null;
}

/** How long the evidence for a better state must hold, after `n` recoveries in the damping window. */
export const proveFor = (n: number, t: HealthThresholds) => Math.min(t.minHoldMs * 2 ** n, t.changeWindowMs);

function decide(h: IspHealthState, now: number, t: HealthThresholds): Step {
  const m = { ...h, ...shown(h, t) };
  const w = level(m, t);
  if (RANK[w.to] > RANK[m.state]) {
    // worse: at once, whatever the hold time or the number of recent changes
    const change = { from: m.state, to: w.to, reason: w.reason };
    return { health: { ...m, state: w.to, since: now, holdUntil: now + t.minHoldMs, betterSince: null, reason: w.reason }, change };
  }
  if (RANK[w.to] === RANK[m.state] || recoveryBlocked(m, w.to, t) !== null) return { health: { ...m, betterSince: null }, change: null };
  // better: the recovery's evidence has held for minHoldMs without a break, and no sooner than
  // minHoldMs after the last change (a short clean stretch of a lossy link is not a recovery)
  // (each recovery in the damping window doubles that time: a flaky ISP must prove itself longer)
  const betterSince = m.betterSince ?? now;
  const recoveries = m.recoveries.filter((at) => now - at < t.changeWindowMs);
  if (now < m.holdUntil || now - betterSince < proveFor(recoveries.length, t)) return { health: { ...m, betterSince, recoveries }, change: null };
  if (recoveries.length >= t.maxChanges) return { health: { ...m, betterSince, recoveries }, change: null };
  const reason =
    m.state === "down" && w.to === "up"
      ? `${t.upAfter} replies in a row, loss <= ${t.lossRecoverPct}% over ${t.recoverWindow} probes`
      : w.to === "up"
        ? `loss <= ${t.lossRecoverPct}% over ${t.recoverWindow} probes, RTT within the thresholds`
        : w.reason;
  const change = { from: m.state, to: w.to, reason };
  return { health: { ...m, state: w.to, since: now, holdUntil: now + t.minHoldMs, betterSince: null, reason, recoveries: [...recoveries, now] }, change };
}

/** One probe result from one target. */
export function recordProbe(h: IspHealthState, target: string, ok: boolean, rttMs: number | undefined, now: number, t: HealthThresholds): Step {
  const prev = h.targets[target] ?? fresh();
  const rec: TargetRecord = {
    samples: [...prev.samples, ok ? { ok, rttMs } : { ok }].slice(-t.windowSize),
    ok: ok ? prev.ok + 1 : 0,
    fail: ok ? 0 : prev.fail + 1,
  };
  return decide({ ...h, targets: { ...h.targets, [target]: rec } }, now, t);
}

/** The link's operational state changed (ip monitor link / ip -json link). */
export function recordLink(h: IspHealthState, up: boolean, now: number, t: HealthThresholds): Step {
  if (up === h.linkUp) return { health: h, change: null };
  // a link that comes back proves nothing about the upstream: the streaks start from zero
  const targets = up ? Object.fromEntries(Object.entries(h.targets).map(([k, r]) => [k, { ...r, ok: 0, fail: 0 }])) : h.targets;
  return decide({ ...h, linkUp: up, targets }, now, t);
}

/** Re-evaluate without new evidence: a recovery held back by damping may now be allowed. */
export function recheck(h: IspHealthState, now: number, t: HealthThresholds): Step {
  return decide(h, now, t);
}

/** Why a better state is not taken yet (for logs and tests); null when nothing holds it. */
export function heldBecause(h: IspHealthState, now: number, t: HealthThresholds): string | null {
  const w = level(h, t);
  if (RANK[w.to] >= RANK[h.state]) return null;
  const blocked = recoveryBlocked(h, w.to, t);
  if (blocked) return blocked;
  if (now < h.holdUntil) return `held for ${h.holdUntil - now} ms more (minimum hold time after a change)`;
  const n = h.recoveries.filter((at) => now - at < t.changeWindowMs).length;
  if (n >= t.maxChanges) return `${t.maxChanges} recoveries in the damping window`;
  if (h.betterSince === null || now - h.betterSince < proveFor(n, t))
    return `the better state must hold for ${proveFor(n, t)} ms (${n} recoveries in the damping window)`;
  return null;
}
