// The monitor: the one long-running process that probes, decides and applies.
// - one streaming ping per (ISP, target) from the ISP's own address, one `ip monitor link
//   address route` (kernel events, not polling);
// - dynamic ISPs (DHCP, PPP): their address and gateway are learned (lib/net/dynamic.ts) at
//   every apply and on every address or route event of their WAN; a change is recorded as an
//   event and applied through the same path as a failover; what is learned is stored with its
//   time (lib/data/learned.ts), and one with nothing learned is shown down with the reason
//   ("no IPv4 address yet" vs "no such interface"); an apply derived from an older reading of
//   the WAN is abandoned before its first change (a newer address event came: the newest wins);
// - the state machine (state.ts) per ISP; state and events written to the database;
// - on a state change: apply effectiveConfig(base, health) through lib/engine/service.ts
//   (recorded as a revision by "monitor"; one that changes nothing is not recorded); a
//   failover (worse) is applied at once, never delayed;
// - on a link coming back: re-apply (the kernel may have dropped the routes through it), but
//   only once the link has stayed up as long as a recovery must prove itself (state.ts
//   proveFor: minHoldMs, doubled per recent recovery, at least 3 probe intervals): a flapping
//   link gets one apply per settled state, not one per flap;
// - base = the configuration the user last applied (not a monitor revision), else the
//   staged one; a newer user apply becomes the new base (and gets failover applied on top).
// - before any user apply there is nothing to fail over and nothing the probes could measure
//   (no Switchyard routes): the monitor writes no health rows, events or samples ("no health
//   data yet" on screen), and starts judging afresh when the first user apply appears.
// - usage: every counter reading of the sampler adds to the ISPs' totals; an ISP over its
//   monthly cap with "last resort" set is applied as a last resort (lib/usage/caps.ts).
// Applies are serialised and coalesced: one at a time, the last health wins.
// Interrupted applies (another process killed mid-apply) are recovered at the start and at every
// tick (monitor-recovery.ts), as by every entry point.
// This file starts the monitor and wires its parts: the state (monitor-state.ts, one object), the
// probes and learned addresses (monitor-probes.ts), the decisions and applies (monitor-scheduler.ts),
// the base configuration (monitor-base.ts); the ticks (sampler, canary, drift, backups) are here.
import { db } from "@/lib/db";
import { lastGoodRevision } from "@/lib/data/revisions";
import { parseStoredConfig } from "@/lib/data/stored";
import { scheduledBackups } from "@/lib/backup/scheduled";
import type { ManagedTarget } from "@/lib/engine/target";
import { baseConfig, claim, lastAppliedKey, latestUserRevision } from "./monitor-base";
import { planFailover } from "./effective";
import { watchKernel, type Stoppable } from "./probe";
import { learnedOf, resolveDynamic } from "@/lib/net/dynamic";
import { isDynamicIsp } from "@/lib/validation/entities";
import { initialHealth, recheck, recordLink, withTargets, type IspHealthState } from "./state";
import { saveHealth, thresholdsOf } from "./store";
import { createSampler } from "./samples";
import { recordTraffic } from "@/lib/usage/traffic";
import { cappedIsps, checkCaps } from "@/lib/usage/caps";
import { CANARY_EVERY_MS, createCanaryWatch } from "./canary-watch";
import { recoverAtStart, recoveryWatch } from "./monitor-recovery";
import { checkDrift, DRIFT_EVERY_MS } from "@/lib/notify/drift";
import { movesOf, startDeliveryWorker, type DeliveryWorker } from "@/lib/notify/monitor-hooks";
import { judging, loadSettings, view, type MonitorOptions, type MonitorState } from "./monitor-state";
import { learn, startPings } from "./monitor-probes";
import { kernelChanged, linkChanged, poll, scheduleApply, take } from "./monitor-scheduler";

export type { MonitorOptions } from "./monitor-state";

export interface Monitor {
  health(): Record<string, IspHealthState>;
  /** applies made so far */
  readonly applies: number;
  stop(): Promise<void>;
}

export async function startMonitor(opts: MonitorOptions): Promise<Monitor> {
  const log = opts.log ?? (() => {});
  const release = claim(opts.managed);
  try {
    await recoverAtStart(log); // before the base is read: a recovery may record the revision it is
    return await run(opts, log, release);
  } catch (e) {
    release();
    throw e;
  }
}

async function run(opts: MonitorOptions, log: (line: string) => void, release: () => void): Promise<Monitor> {
  const base = await baseConfig();
  const settings = await loadSettings(opts, base.config);
  const target = opts.managed.target;
  // No lab convergence and no traffic probe in the monitor's applies: `lab up` would bring
  // an injected link fault back, and a probe through a dying ISP must not roll a failover back.
  const managed: ManagedTarget = { target, label: opts.managed.label };

  // what runs: the base with the dynamic ISPs' learned addresses (learn() keeps it current)
  const lastGood = await lastGoodRevision();
  const lastGoodConfig = lastGood ? parseStoredConfig(lastGood.config, `the configuration of revision ${lastGood.id}`) : null;
  const learned = learnedOf(lastGoodConfig);
  const health = new Map<string, IspHealthState>();
  const start = Date.now();
  for (const isp of base.config.isps) health.set(isp.name, initialHealth(start, true, settings.get(isp.name)?.targets));
  // nothing applied yet: no health figures at all (rows of an earlier life would be shown as stale)
  if (base.revisionId === null) await db.ispHealth.deleteMany();
  const s: MonitorState = {
    opts,
    log,
    target,
    managed,
    base,
    settings,
    learned,
    health,
    // until the first learn(): every dynamic ISP as one with nothing learned (disabled)
    resolved: resolveDynamic(base.config, { links: [], routes: [] }).config,
    applied: await lastAppliedKey(),
    lastUserRevision: (await latestUserRevision())?.id ?? null,
    applies: 0,
    stopped: false,
    running: null,
    pending: null,
    lastSaved: new Map(),
    // the hosts moved by the last failover applied (a restart during an outage knows them: no second "failover")
    lastMoves: movesOf(lastGoodConfig),
    // (read at the start too: the first apply must not put hosts back on a capped ISP for 10 s)
    capped: await cappedIsps().catch(() => []),
    addressEvents: 0,
    lastAddressEventAt: 0,
    unlearned: new Map(),
    canaryAt: 0,
    linkBack: new Map(),
    linkUps: new Map(),
    kernelTimer: null,
    pings: [],
    unprobed: new Map(),
    pingKey: "",
    take: (isp, step) => take(s, isp, step),
  };

  const stoppers: Stoppable[] = [];
  stoppers.push(
    await watchKernel(target, (e) => {
      for (const isp of s.base.config.isps) {
        if (isp.wanInterface !== e.ifname) continue;
        if (e.kind !== "link") {
          if (isDynamicIsp(isp)) kernelChanged(s, `${isp.name}: ${e.kind} ${e.deleted ? "removed" : "added"} on ${e.ifname}`);
          continue;
        }
        const h = s.health.get(isp.name);
        const st = s.settings.get(isp.name);
        if (!h || !st) continue;
        const now = Date.now();
        take(s, isp.name, recordLink(h, e.up, now, thresholdsOf(st)));
        if (e.up !== h.linkUp) linkChanged(s, isp.name, e.up, now);
      }
    }),
  );
  await learn(s).catch((e) => log(`reading the dynamic ISPs' addresses: ${e instanceof Error ? e.message : e}`));
  s.settings = await loadSettings(opts, s.resolved);
  for (const [isp, h] of health) health.set(isp, withTargets(h, s.settings.get(isp)?.targets ?? []));
  startPings(s);
  if (judging(s)) for (const [isp, h] of health) await saveHealth(isp, h, null);

  // Damping may hold a change back with no new probe to release it; and a newer user apply becomes the base.
  let polling: Promise<void> | null = null;
  // long-term traffic and health samples (lib/health/samples.ts); each counter reading also feeds
  // the usage totals and the monthly caps (lib/usage): a cap crossed is a warning, and with
  // "last resort" an apply that moves the hosts away from that ISP
  const sampler = createSampler(target, {
    log,
    onCounters: async (counters, at, isps) => {
      try {
        await recordTraffic(counters, isps, at);
        const now = await checkCaps(at, log);
        if (now.join(",") === s.capped.join(",")) return;
        const was = s.capped;
        s.capped = now;
        if (judging(s))
          scheduleApply(
            s,
            now.length > was.length
              ? `${now.filter((i) => !was.includes(i)).join(", ")} over its monthly cap: used as a last resort only`
              : "a monthly cap no longer reached: back to normal use",
          );
      } catch (e) {
        log(`counting usage: ${e instanceof Error ? e.message : e}`);
      }
    },
  });
  // the canary between applies (lib/health/canary-watch.ts): every target proven again through the forward path
  const canary = createCanaryWatch(target, log);
  let canaryRun: Promise<unknown> | null = null;
  const recover = recoveryWatch(log);
  let recovering: Promise<void> | null = null;
  let drifting: Promise<void> | null = null;
  let driftAt = Date.now(); // the first check a minute in: the start's own apply comes first
  const backups = scheduledBackups(log); // scheduled copies of the configuration (lib/backup/scheduled.ts)
  const timer = setInterval(() => {
    // an apply killed while the monitor runs (another process's) is recovered within a tick
    recovering ??= recover().finally(() => (recovering = null));
    backups();
    // nothing applied yet: nothing measured, nothing charted
    sampler.tick(judging(s) ? Object.fromEntries(health) : {}, s.base.config.isps);
    if (judging(s) && !s.running && !canaryRun && Date.now() - s.canaryAt >= CANARY_EVERY_MS) {
      s.canaryAt = Date.now();
      const targets = Object.fromEntries([...s.settings].map(([isp, st]) => [isp, st.targets]));
      canaryRun = canary.run(planFailover(s.resolved, view(s)).config, targets).finally(() => (canaryRun = null));
    }
    for (const [isp, h] of health) {
      const st = s.settings.get(isp);
      if (st) take(s, isp, recheck(h, Date.now(), thresholdsOf(st)));
    }
    polling ??= poll(s).finally(() => (polling = null));
    // drift between applies, told once when it appears (lib/notify/drift.ts)
    if (judging(s) && !s.running && !drifting && Date.now() - driftAt >= DRIFT_EVERY_MS) {
      driftAt = Date.now();
      drifting = checkDrift(target, log)
        .catch((e) => log(`checking for drift: ${e instanceof Error ? e.message : e}`))
        .finally(() => (drifting = null));
    }
  }, opts.pollMs ?? 1000);
  // The start is optimistic (all up): once the probes had time to speak, make sure the kernel matches.
  // the notifications' queue is delivered from here, the one process that always runs
  const notifier: DeliveryWorker | null = opts.notify === false ? null : startDeliveryWorker({ log });
  const settle = setTimeout(
    () => scheduleApply(s, "monitor started"),
    Math.max(...[...s.settings.values()].map((st) => st.intervalMs * (Math.max(st.downAfter, st.upAfter) + 1)), 1000),
  );

  return {
    health: () => Object.fromEntries(health),
    get applies() {
      return s.applies;
    },
    async stop() {
      s.stopped = true;
      clearInterval(timer);
      clearTimeout(settle);
      if (s.kernelTimer) clearTimeout(s.kernelTimer);
      for (const t of s.linkBack.values()) clearTimeout(t);
      await polling;
      await recovering;
      await canaryRun;
      await drifting;
      await Promise.all([...stoppers, ...s.pings].map((p) => p.stop()));
      await s.running;
      await notifier?.stop();
      release();
    },
  };
}
