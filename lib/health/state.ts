// ISP health as a pure state machine: probe results and link events in, a state out.
// No clock of its own (every call is given `now`, tests use a fake one), no I/O.
//   up        replies come back within the thresholds
//   degraded  loss or latency over the "degraded" thresholds: still used, shown as such
//   down      every target unanswered downAfter times in a row, loss or latency over the
//             "down" thresholds, or the link is down (at once, without waiting for probes)
// Hysteresis: down -> up needs upAfter replies in a row from one target. Damping: after a
// change, nothing but going down happens for minHoldMs (failover is never delayed, recovery
// is), and at most maxChanges changes happen per changeWindowMs; a link going down bypasses
// both (nothing can pass through it anyway).
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
  maxChanges: number;
  changeWindowMs: number;
  /** loss and RTT are computed over the last windowSize probes */
  windowSize: number;
}

interface Sample {
  ok: boolean;
  rttMs?: number;
}

export interface IspHealthState {
  state: HealthStateName;
  since: number;
  /** no change by probes before this (the minimum hold time after a change; none at the start) */
  holdUntil: number;
  linkUp: boolean;
  rttMs: number | null;
  lossPct: number;
  reason: string;
  samples: Sample[];
  /** per target: replies / losses in a row */
  streaks: Record<string, { ok: number; fail: number }>;
  /** when the last state changes happened (for the changes-per-window limit) */
  changes: number[];
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

export function initialHealth(now: number, linkUp = true): IspHealthState {
  // Optimistic start: a monitor that restarts must not move every host before it has looked.
  return { state: linkUp ? "up" : "down", since: now, holdUntil: now, linkUp, rttMs: null, lossPct: 0, reason: linkUp ? "monitor started" : "link down", samples: [], streaks: {}, changes: [] };
}

function metrics(samples: Sample[]) {
  const rtts = samples.filter((s) => s.ok && s.rttMs !== undefined).map((s) => s.rttMs!);
  const lossPct = samples.length ? Math.round((100 * samples.filter((s) => !s.ok).length) / samples.length) : 0;
  const rttMs = rtts.length ? Math.round((10 * rtts.reduce((a, b) => a + b, 0)) / rtts.length) / 10 : null;
  return { lossPct, rttMs };
}

/** The state the evidence asks for, without damping. */
function wanted(h: IspHealthState, t: HealthThresholds): { to: HealthStateName; reason: string } {
  if (!h.linkUp) return { to: "down", reason: "link down" };
  const streaks = Object.values(h.streaks);
  if (streaks.length && streaks.every((s) => s.fail >= t.downAfter)) return { to: "down", reason: `${t.downAfter} probes in a row unanswered` };
  const recovering = h.state === "down";
  if (recovering && !streaks.some((s) => s.ok >= t.upAfter)) return { to: "down", reason: h.reason };
  // back from down, only the replies since count; otherwise wait for enough samples for a loss figure to mean something
  const { lossPct, rttMs } = recovering ? metrics(h.samples.slice(-t.upAfter)) : h;
  const judged = recovering || h.samples.length >= Math.min(t.windowSize, Math.max(t.downAfter, t.upAfter));
  if (judged && lossPct >= t.lossDownPct) return { to: "down", reason: `loss ${lossPct}% >= ${t.lossDownPct}%` };
  if (rttMs !== null && rttMs >= t.rttDownMs) return { to: "down", reason: `RTT ${rttMs} ms >= ${t.rttDownMs} ms` };
  if (judged && lossPct >= t.lossDegradedPct) return { to: "degraded", reason: `loss ${lossPct}% >= ${t.lossDegradedPct}%` };
  if (rttMs !== null && rttMs >= t.rttDegradedMs) return { to: "degraded", reason: `RTT ${rttMs} ms >= ${t.rttDegradedMs} ms` };
  return { to: "up", reason: h.state === "down" ? `${t.upAfter} replies in a row` : "loss and RTT within the thresholds" };
}

function decide(h: IspHealthState, now: number, t: HealthThresholds, force = false): Step {
  const w = wanted(h, t);
  if (w.to === h.state) return { health: h, change: null };
  const changes = h.changes.filter((at) => now - at < t.changeWindowMs);
  // the hold time delays recovery, never an ISP getting worse: a failover must not wait
  const held = w.to !== "down" && now < h.holdUntil;
  if (!force && (held || changes.length >= t.maxChanges)) return { health: { ...h, changes }, change: null };
  const change = { from: h.state, to: w.to, reason: w.reason };
  // back from down: the losses of the outage say nothing about the link now
  const samples = h.state === "down" ? h.samples.slice(-t.upAfter) : h.samples;
  const health = { ...h, ...metrics(samples), samples, state: w.to, since: now, holdUntil: now + t.minHoldMs, reason: w.reason, changes: [...changes, now] };
  return { health, change };
}

/** One probe result from one target. */
export function recordProbe(h: IspHealthState, target: string, ok: boolean, rttMs: number | undefined, now: number, t: HealthThresholds): Step {
  const prev = h.streaks[target] ?? { ok: 0, fail: 0 };
  const streak = ok ? { ok: prev.ok + 1, fail: 0 } : { ok: 0, fail: prev.fail + 1 };
  const samples = [...h.samples, ok ? { ok, rttMs } : { ok }].slice(-t.windowSize);
  return decide({ ...h, samples, ...metrics(samples), streaks: { ...h.streaks, [target]: streak } }, now, t);
}

/** The link's operational state changed (ip monitor link / ip -json link). */
export function recordLink(h: IspHealthState, up: boolean, now: number, t: HealthThresholds): Step {
  if (up === h.linkUp) return { health: h, change: null };
  // a link that comes back proves nothing about the upstream: probes decide from zero
  const streaks = up ? Object.fromEntries(Object.keys(h.streaks).map((k) => [k, { ok: 0, fail: 0 }])) : h.streaks;
  return decide({ ...h, linkUp: up, streaks }, now, t, !up);
}

/** Re-evaluate without new evidence: a change held back by damping may now be allowed. */
export function recheck(h: IspHealthState, now: number, t: HealthThresholds): Step {
  return decide(h, now, t);
}
