// What GET /api/health/isps answers (lib/health/view.ts). Types only: safe to import anywhere.
import type { CanaryReport, HostVerdict } from "@/lib/net/verify";
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
  /** the last apply a user made that verified; null: nothing applied yet (a fresh install) */
  applied: { revisionId: number; at: string; actor: string } | null;
  /** the newest revision of any source (a user's, the CLI's, the monitor's): pages follow it */
  latest: { id: number; result: string; source: string; actor: string; at: string } | null;
  /** someone holds the apply lock now (lib/engine/lock.ts): who, since when */
  applying: { holder: string; since: string } | null;
  /** the last canary report (VerifyReport.canary of the newest revision that has one) */
  canary: CanaryReport | null;
  /**
   * the monitor's last apply that changed the kernel after the user's last apply (a failover or
   * a failback): a proof older than it is not current for the hosts of `isps`, the ISPs that went
   * down or came back since the user's apply; hosts: how that apply proved each host
   */
  monitorApply: { revisionId: number; at: string; hosts: ProofVerdict[]; isps: string[] } | null;
}

/** How an apply proved one host (lib/net/verify.ts HostVerdict, the parts a card shows). */
export type ProofVerdict = Pick<HostVerdict, "name" | "ok" | "isp" | "proof" | "provenBy" | "seenAs">;
