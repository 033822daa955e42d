// What GET /api/health/isps answers (lib/health/view.ts). Types only: safe to import anywhere.
export type HealthShown = "up" | "degraded" | "down" | "unknown";

export interface IspHealthInfo {
  isp: string;
  /** unknown: no monitor data, or none for STALE_MS (the monitor is not running) */
  state: HealthShown;
  /** ISO time of the last change (of the last word, when unknown) */
  since: string | null;
  rttMs: number | null;
  lossPct: number | null;
  linkUp: boolean | null;
  reason: string;
  updatedAt: string | null;
}

export interface HealthEventInfo {
  id: number;
  at: string;
  isp: string;
  from: string;
  to: string;
  reason: string;
}

export interface HealthSnapshot {
  observedAt: string;
  monitorRunning: boolean;
  isps: IspHealthInfo[];
  /** newest first */
  events: HealthEventInfo[];
  /** hosts the monitor sends away from their configured ISP now (planFailover of the applied config) */
  moves: { host: string; from: string; to: string; because?: string }[];
  defaultIsp: { from: string; to: string; because?: string } | null;
}
