// Health thresholds for kernel tests that drive the monitor: probes every 200 ms, down after 3
// misses, up after 3 answers, a state held 1 s: outcomes within seconds, not minutes.
export const FAST_HEALTH = {
  intervalMs: 200,
  timeoutMs: 200,
  downAfter: 3,
  upAfter: 3,
  lossDegradedPct: 20,
  lossDownPct: 60,
  lossRecoverPct: 5,
  lossWindow: 20,
  recoverWindow: 20,
  rttDegradedMs: 250,
  rttDownMs: 1500,
  minHoldMs: 1000,
  maxChanges: 6,
  changeWindowMs: 300_000,
} as const;
