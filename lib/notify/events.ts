// What Switchyard tells people about (issue 21): one type for every event the gateway can
// notify (lib/notify/kinds.ts), and `emitEvent`, the one way to raise one. An event is written to
// the persistent outbox (NotifyEvent) and delivered later by the delivery worker
// (lib/notify/deliver.ts), so raising one never waits on a network and never blocks a failover:
// a failure to record it is logged, never thrown.
import { db } from "@/lib/db";
import type { NotifyEvent } from "./kinds";

export { NOTIFY_KINDS, type HostMove, type NotifyEvent, type NotifyKind } from "./kinds";

/** Record an event in the outbox; never throws (a notification must not break what raised it). */
export async function emitEvent(event: NotifyEvent, log: (line: string) => void = () => {}): Promise<void> {
  try {
    await db.notifyEvent.create({ data: { kind: event.kind, payload: JSON.stringify(event) } });
  } catch (e) {
    log(`recording the ${event.kind} notification: ${e instanceof Error ? e.message : e}`);
  }
}
