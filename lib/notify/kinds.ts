// The kinds of event a channel can subscribe to, and their words on screen. No database here:
// the forms (in the browser too) and the schemas import it.
export interface HostMove {
  host: string;
  from: string;
  to: string;
}

export type NotifyEvent =
  | { kind: "isp-down" | "isp-degraded" | "isp-up"; isp: string; reason: string; from: string }
  | { kind: "failover" | "failback"; reason: string; moves: HostMove[]; revisionId: number | null }
  | { kind: "apply-failed" | "apply-rolled-back"; revisionId: number | null; actor: string; message: string }
  | { kind: "drift"; summary: string }
  | { kind: "recovery"; revisionId: number | null; message: string }
  | { kind: "canary-failed"; target: string; reason: string }
  | { kind: "usage-cap"; isp: string; percent: number; usedBytes: number; capBytes: number; month: string }
  | { kind: "test"; channel: string };

export type NotifyKind = NotifyEvent["kind"];

/** Every kind a channel can subscribe to, in the order the screens list them. */
export const NOTIFY_KINDS: readonly NotifyKind[] = [
  "isp-down",
  "isp-degraded",
  "isp-up",
  "failover",
  "failback",
  "apply-failed",
  "apply-rolled-back",
  "drift",
  "recovery",
  "canary-failed",
  "usage-cap",
  "test",
] as const;

export const KIND_LABELS: Record<NotifyKind, string> = {
  "isp-down": "ISP down",
  "isp-degraded": "ISP degraded",
  "isp-up": "ISP up again",
  failover: "Failover (hosts moved)",
  failback: "Failback (hosts back)",
  "apply-failed": "Apply failed",
  "apply-rolled-back": "Apply rolled back",
  drift: "Drift found",
  recovery: "Recovery of an interrupted apply",
  "canary-failed": "Canary proof failing",
  "usage-cap": "Monthly usage cap",
  test: "Test messages",
};

/** What a new channel is told, unless the user chooses: everything (a cap warning too: a user who set a cap wants it). */
export const DEFAULT_EVENTS: readonly NotifyKind[] = NOTIFY_KINDS;
