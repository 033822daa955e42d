// What Switchyard tells people about (issue 21): one type for every event the gateway can
// notify, and `emitEvent`, the one way to raise one. An event is written to the persistent
// outbox (NotifyEvent) and delivered later by the delivery worker (lib/notify/deliver.ts), so
// raising one never waits on a network and never blocks a failover: a failure to record it is
// logged, never thrown.
import { db } from "@/lib/db";

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
  "isp-down", "isp-degraded", "isp-up", "failover", "failback", "apply-failed", "apply-rolled-back",
  "drift", "recovery", "canary-failed", "usage-cap", "test",
] as const;

/** Record an event in the outbox; never throws (a notification must not break what raised it). */
export async function emitEvent(event: NotifyEvent, log: (line: string) => void = () => {}): Promise<void> {
  try {
    await db.notifyEvent.create({ data: { kind: event.kind, payload: JSON.stringify(event) } });
  } catch (e) {
    log(`recording the ${event.kind} notification: ${e instanceof Error ? e.message : e}`);
  }
}
