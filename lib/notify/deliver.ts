// The delivery worker: outbox events -> one delivery per subscribed, enabled channel (a
// persistent queue of rows), then each delivery sent, retried with exponential backoff (5 s
// doubling, at most BACKOFF_CAP_MS apart) until it is sent or GIVE_UP_MS after it was queued
// (then "failed", with the last error). Rows, not memory: a monitor restart loses nothing.
// Per channel the queue is FIFO: a receiver that is down holds its later messages back, so
// "up again" never arrives before "down". Run by the monitor (lib/health/monitor.ts); the Test
// button sends directly (sendTest).
import { db } from "@/lib/db";
import { composeIsp, composeOther, isIspEvent, type Composed, type IspMemory, type Message } from "./compose";
import type { NotifyEvent } from "./kinds";
import { sendMessage } from "./send";

export const BACKOFF_FIRST_MS = 5_000;
export const BACKOFF_CAP_MS = 10 * 60_000;
export const GIVE_UP_MS = 24 * 3600_000;
/** sent and failed deliveries are kept this long (the pages show the recent ones) */
const KEEP_MS = 30 * 24 * 3600_000;

/** The wait before the next try after `attempts` failed ones: 5 s, 10 s, 20 s ... at most 10 min. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, attempts - 1));
}

const memoryKey = (isp: string) => `isp:${isp}`;

/** Turn unhandled outbox events into deliveries, in order; returns how many events it handled. */
export async function processOutbox(log: (line: string) => void = () => {}): Promise<number> {
  const events = await db.notifyEvent.findMany({ where: { handled: false }, orderBy: { id: "asc" }, take: 100 });
  for (const row of events) {
    let event: NotifyEvent;
    try {
      event = JSON.parse(row.payload) as NotifyEvent;
    } catch {
      await db.notifyEvent.update({ where: { id: row.id }, data: { handled: true } });
      continue;
    }
    const at = row.at.getTime();
    await db.$transaction(async (tx) => {
      // handled by someone else meanwhile (two workers): nothing twice
      const claimed = await tx.notifyEvent.updateMany({ where: { id: row.id, handled: false }, data: { handled: true } });
      if (claimed.count !== 1) return;
      let composed: Composed;
      if (isIspEvent(event)) {
        const stored = await tx.notifyState.findUnique({ where: { key: memoryKey(event.isp) } });
        composed = composeIsp(event, at, stored ? (JSON.parse(stored.value) as IspMemory) : null);
        if (composed.memory) {
          const value = JSON.stringify(composed.memory);
          await tx.notifyState.upsert({ where: { key: memoryKey(event.isp) }, create: { key: memoryKey(event.isp), value }, update: { value } });
        }
      } else {
        composed = { message: composeOther(event, at) };
      }
      if (composed.cancel) {
        const gone = await tx.notifyDelivery.deleteMany({
          where: { status: "pending", attempts: 0, subject: composed.cancel.subject, kind: composed.cancel.kind },
        });
        if (gone.count) log(`notifications: ${gone.count} held-back ${composed.cancel.kind} message(s) about ${composed.cancel.subject} overtaken, not sent`);
      }
      const m = composed.message;
      if (!m) return;
      const channels = (await tx.notifyChannel.findMany({ where: { enabled: true } })).filter((c) => (JSON.parse(c.events) as string[]).includes(m.kind));
      for (const c of channels) await tx.notifyDelivery.create({ data: deliveryData(c.id, row.id, m, event, at) });
    });
  }
  return events.length;
}

const deliveryData = (channelId: number, eventId: number | null, m: Message, event: NotifyEvent, at: number) => ({
  channelId,
  eventId,
  kind: m.kind,
  title: m.title,
  body: m.body,
  data: JSON.stringify({ at, event }),
  subject: m.subject ?? null,
  status: "pending",
  nextAt: new Date(m.notBefore ?? at),
});

/** Send what is due, the oldest first per channel; returns how many were sent. */
export async function deliverDue(log: (line: string) => void = () => {}, now = () => Date.now()): Promise<number> {
  const heads = await db.notifyDelivery.groupBy({ by: ["channelId"], where: { status: "pending" }, _min: { id: true } });
  const sent = await Promise.all(heads.map((h) => drainChannel(h.channelId, log, now)));
  return sent.reduce((a, b) => a + b, 0);
}

async function drainChannel(channelId: number, log: (line: string) => void, now: () => number): Promise<number> {
  let sent = 0;
  for (;;) {
    const d = await db.notifyDelivery.findFirst({ where: { channelId, status: "pending" }, orderBy: { id: "asc" }, include: { channel: true } });
    if (!d || d.nextAt.getTime() > now()) return sent;
    if (!d.channel.enabled) {
      await db.notifyDelivery.update({ where: { id: d.id }, data: { status: "failed", error: "not sent: the channel was disabled", lastAt: new Date() } });
      continue;
    }
    const { at, event } = JSON.parse(d.data) as { at: number; event: NotifyEvent | null };
    const attempts = d.attempts + 1;
    try {
      await sendMessage(d.channel, { kind: d.kind as Message["kind"], title: d.title, body: d.body, at, channel: d.channel.name, event });
      await db.notifyDelivery.update({ where: { id: d.id }, data: { status: "sent", attempts, lastAt: new Date(), error: null } });
      sent++;
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const t = now();
      const giveUp = t - d.createdAt.getTime() >= GIVE_UP_MS;
      await db.notifyDelivery.update({
        where: { id: d.id },
        data: giveUp
          ? { status: "failed", attempts, lastAt: new Date(t), error: `gave up after ${attempts} attempt${attempts === 1 ? "" : "s"} over 24 h: ${error}` }
          : { attempts, lastAt: new Date(t), nextAt: new Date(t + backoffMs(attempts)), error },
      });
      log(`notification "${d.title}" to ${d.channel.name}: ${error}${giveUp ? " (given up)" : ` (retry in ${backoffMs(attempts) / 1000} s)`}`);
      if (!giveUp) return sent;
    }
  }
}

/** The Test button: one message sent now (not queued), recorded as a delivery with its result. */
export async function sendTest(name: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const c = await db.notifyChannel.findUnique({ where: { name } });
  if (!c) return { ok: false, error: `There is no channel named ${name}` };
  const at = Date.now();
  const event: NotifyEvent = { kind: "test", channel: name };
  const m = composeOther(event, at);
  let error: string | null = null;
  try {
    await sendMessage(c, { ...m, at, channel: name, event });
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  // recorded once it is known (a row "sending" would outlive a process killed meanwhile)
  await db.notifyDelivery.create({
    data: { ...deliveryData(c.id, null, m, event, at), status: error === null ? "sent" : "failed", attempts: 1, lastAt: new Date(), error },
  });
  return error === null ? { ok: true } : { ok: false, error };
}

export interface DeliveryWorker {
  /** handle the outbox and send what is due now (tests; the loop does it every tick) */
  kick(): Promise<void>;
  stop(): Promise<void>;
}

/** The loop the monitor runs: every tick, the outbox then the due deliveries, one pass at a time. */
export function startDeliveryWorker(opts: { log?: (line: string) => void; everyMs?: number } = {}): DeliveryWorker {
  const log = opts.log ?? (() => {});
  let pass: Promise<void> | null = null;
  let stopped = false;
  let lastPrune = 0;
  const once = () => {
    pass ??= (async () => {
      try {
        await processOutbox(log);
        await deliverDue(log);
        if (Date.now() - lastPrune > 3600_000) {
          lastPrune = Date.now();
          const old = new Date(Date.now() - KEEP_MS);
          await db.notifyDelivery.deleteMany({ where: { status: { in: ["sent", "failed"] }, createdAt: { lt: old } } });
          await db.notifyEvent.deleteMany({ where: { handled: true, at: { lt: old } } });
        }
      } catch (e) {
        log(`notifications: ${e instanceof Error ? e.message : e}`);
      }
    })().finally(() => (pass = null));
    return pass;
  };
  const timer = setInterval(() => {
    if (!stopped) void once();
  }, opts.everyMs ?? 1000);
  return {
    kick: async () => {
      await pass;
      await once();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await pass;
    },
  };
}
