// What the monitor needs of the notifications: the delivery worker, and the hosts a running
// failover has moved (from the configuration the kernel runs, so a restarted monitor knows them).
import type { GatewayConfig } from "@/lib/model";
import { planFailover } from "@/lib/health/effective";
import type { HostMove } from "./kinds";
import { emitEvent } from "./events";

export { startDeliveryWorker, type DeliveryWorker } from "./deliver";

export function movesOf(running: GatewayConfig | null): HostMove[] {
  const down = running?.health?.down ?? [];
  if (!running || !down.length) return [];
  const f = planFailover(running, Object.fromEntries(down.map((isp) => [isp, { state: "down" as const }])));
  return [...f.moves, ...(f.defaultIsp ? [f.defaultIsp] : [])].map(({ host, from, to }) => ({ host, from, to }));
}

/** Between two failovers applied: the hosts that moved away (a failover) and those that came back (a failback). */
export function movesDiff(before: HostMove[], now: HostMove[]): { away: HostMove[]; back: HostMove[] } {
  const key = (m: HostMove) => `${m.host}\u0000${m.to}`;
  const had = new Set(before.map(key));
  const still = new Set(now.map((m) => m.host));
  return {
    away: now.filter((m) => !had.has(key(m))).map(({ host, from, to }) => ({ host, from, to })),
    back: before.filter((m) => !still.has(m.host)).map((m) => ({ host: m.host, from: m.to, to: m.from })),
  };
}

/** Raise "failover" and "failback" for an applied failover; returns the moves now in force. */
export function notifyMoves(before: HostMove[], now: HostMove[], reason: string, revisionId: number | null, log?: (line: string) => void): HostMove[] {
  const { away, back } = movesDiff(before, now);
  if (away.length) void emitEvent({ kind: "failover", reason, moves: away, revisionId }, log);
  if (back.length) void emitEvent({ kind: "failback", reason, moves: back, revisionId }, log);
  return now.map(({ host, from, to }) => ({ host, from, to }));
}
