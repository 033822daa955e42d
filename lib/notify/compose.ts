// From an outbox event to the message people get (pure: tested without a database).
// Health events pass through a per-ISP memory of what was last told, so that:
// - an outage is ONE "down" message and ONE "up again after 3 min 12 s" message, however the
//   state wandered in between (down -> degraded -> down) and across monitor restarts (the
//   memory is stored; a restarted monitor starts optimistic and sees the same "down" again);
// - "degraded" is held back DEGRADED_GRACE_MS: one that turns into "down" or "up" within it is
//   cancelled (the outage or nothing says it all), and after one was told, the next within
//   DEGRADED_QUIET_MS is not (a link flapping between up and degraded is not a stream of mail).
import type { HostMove, NotifyEvent, NotifyKind } from "./kinds";
import { duration } from "@/lib/health/words";
import { clockUtc } from "./words";

export const DEGRADED_GRACE_MS = 30_000;
export const DEGRADED_QUIET_MS = 30 * 60_000;

/** What was last told about one ISP (stored per ISP in NotifyState). */
export interface IspMemory {
  told: "up" | "degraded" | "down";
  /** when the told state began (an outage's start, a degradation's start) */
  since: number;
  /** when a "degraded" was last told (for the quiet period) */
  degradedToldAt?: number;
}

export interface Message {
  /** the kind channels subscribe to (an outage's end is isp-up, whatever state it ended in) */
  kind: NotifyKind;
  title: string;
  body: string;
  /** deliver no earlier than this (a held-back "degraded") */
  notBefore?: number;
  /** what a later message about the same thing may cancel while it is still held */
  subject?: string;
}

export interface Composed {
  message: Message | null;
  memory?: IspMemory;
  /** cancel deliveries of this subject and kind still waiting (a "degraded" overtaken) */
  cancel?: { subject: string; kind: NotifyKind };
}

const movesText = (moves: HostMove[]) => moves.map((m) => `${m.host} ${m.from} -> ${m.to}`).join(", ");
const hosts = (n: number) => `${n} host${n === 1 ? "" : "s"}`;

export function composeIsp(e: Extract<NotifyEvent, { isp: string; from: string }>, at: number, mem: IspMemory | null): Composed {
  const told = mem?.told ?? "up";
  const subject = `isp:${e.isp}`;
  if (e.kind === "isp-down") {
    if (told === "down") return { message: null };
    return {
      message: {
        kind: "isp-down",
        subject,
        title: `${e.isp} down`,
        body: `${e.isp} is down since ${clockUtc(at)}: ${e.reason}. Its hosts move to their next ISP.`,
      },
      memory: { told: "down", since: at, degradedToldAt: mem?.degradedToldAt },
      cancel: told === "degraded" ? { subject, kind: "isp-degraded" } : undefined,
    };
  }
  if (e.kind === "isp-up") {
    if (told === "down") return { message: outageEnd(e.isp, at, mem!.since, ""), memory: { told: "up", since: at, degradedToldAt: mem?.degradedToldAt } };
    if (told === "degraded") {
      const memory: IspMemory = { told: "up", since: at, degradedToldAt: mem?.degradedToldAt };
      // still held back: it never reached anyone, so its end is no news either
      if (at - mem!.since < DEGRADED_GRACE_MS) return { message: null, memory, cancel: { subject, kind: "isp-degraded" } };
      return {
        message: {
          kind: "isp-up",
          subject,
          title: `${e.isp} no longer degraded`,
          body: `${e.isp} is fine again after ${duration(at - mem!.since)} degraded (since ${clockUtc(mem!.since)}).`,
        },
        memory,
      };
    }
    return { message: null };
  }
  // degraded
  if (told === "down") {
    // out of the outage, though not perfect: the outage is over (hosts return), said once
    return { message: outageEnd(e.isp, at, mem!.since, ` (degraded: ${e.reason})`), memory: { told: "up", since: at, degradedToldAt: mem?.degradedToldAt } };
  }
  if (told === "degraded") return { message: null };
  if (mem?.degradedToldAt !== undefined && at - mem.degradedToldAt < DEGRADED_QUIET_MS) return { message: null };
  return {
    message: {
      kind: "isp-degraded",
      subject,
      notBefore: at + DEGRADED_GRACE_MS,
      title: `${e.isp} degraded`,
      body: `${e.isp} is degraded since ${clockUtc(at)}: ${e.reason}. It is still used.`,
    },
    memory: { told: "degraded", since: at, degradedToldAt: at },
  };
}

function outageEnd(isp: string, at: number, since: number, extra: string): Message {
  return {
    kind: "isp-up",
    subject: `isp:${isp}`,
    title: `${isp} up again after ${duration(at - since)}`,
    body: `${isp} is up again at ${clockUtc(at)}${extra}; it was down for ${duration(at - since)} (since ${clockUtc(since)}). Its hosts return to it.`,
  };
}

/** Every event but the health ones: one message each. */
export function composeOther(e: Exclude<NotifyEvent, { isp: string; from: string }>, at: number): Message {
  switch (e.kind) {
    case "failover":
      return { kind: e.kind, title: `Failover: ${hosts(e.moves.length)} moved`, body: `${e.reason}. Moved: ${movesText(e.moves)}${rev(e.revisionId)}.` };
    case "failback":
      return { kind: e.kind, title: `Failback: ${hosts(e.moves.length)} back`, body: `${e.reason}. Back: ${movesText(e.moves)}${rev(e.revisionId)}.` };
    case "apply-failed":
      return { kind: e.kind, title: `Apply by ${e.actor} failed`, body: `An apply by ${e.actor} failed at ${clockUtc(at)}${rev(e.revisionId)}: ${e.message}` };
    case "apply-rolled-back":
      return {
        kind: e.kind,
        title: `Apply by ${e.actor} rolled back`,
        body: `An apply by ${e.actor} was rolled back at ${clockUtc(at)}${rev(e.revisionId)}: ${e.message}`,
      };
    case "drift":
      return {
        kind: e.kind,
        title: "Drift: the kernel differs from the last apply",
        body: `Found at ${clockUtc(at)}: ${e.summary}. Re-apply from the Live page or with \`switchyard apply\`.`,
      };
    case "recovery":
      return { kind: e.kind, title: "An interrupted apply was recovered", body: `${e.message}${rev(e.revisionId)}` };
    case "canary-failed":
      return { kind: e.kind, title: `Canary proof failing: ${e.target}`, body: `The canary could not prove ${e.target} at ${clockUtc(at)}: ${e.reason}` };
    case "usage-cap":
      return {
        kind: e.kind,
        title: `${e.isp} used ${e.percent} % of its monthly cap`,
        body: `${e.isp} used ${gib(e.usedBytes)} of ${gib(e.capBytes)} in ${e.month} (${e.percent} %).`,
      };
    case "test":
      return { kind: e.kind, title: "Switchyard test message", body: `A test from the channel "${e.channel}" at ${clockUtc(at)}. If you read this, it works.` };
  }
}

const rev = (id: number | null) => (id === null ? "" : ` (revision ${id})`);
const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

export const isIspEvent = (e: NotifyEvent): e is Extract<NotifyEvent, { isp: string; from: string }> =>
  e.kind === "isp-down" || e.kind === "isp-degraded" || e.kind === "isp-up";
