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
import { db } from "@/lib/db";
import { lastGoodRevision } from "@/lib/data/revisions";
import { parseStoredConfig } from "@/lib/data/stored";
import { scheduledBackups } from "@/lib/backup/scheduled";
import { canonicalJson } from "@/lib/engine/status";
import type { GatewayConfig } from "@/lib/model";
import { applyDerivedConfig, SupersededError, type DerivedApply } from "@/lib/engine/service";
import type { ManagedTarget } from "@/lib/engine/target";
import { baseConfig, claim, lastAppliedKey, latestUserRevision } from "./monitor-base";
import type { IspHealthSettings } from "@/lib/validation/health";
import { planFailover, type HealthView } from "./effective";
import { startPing, watchKernel, type Stoppable } from "./probe";
import { describeLearned, hasDynamicIsps, learnedOf, learnNow, resolveDynamic, type Learned } from "@/lib/net/dynamic";
import { recordLearned } from "@/lib/data/learned";
import { isDynamicIsp } from "@/lib/validation/entities";
import { initialHealth, proveFor, recheck, recordLink, recordProbe, withTargets, type HealthChange, type IspHealthState, type Step } from "./state";
import { loadHealthSettings, saveHealth, thresholdsOf } from "./store";
import { createSampler } from "./samples";
import { recordTraffic } from "@/lib/usage/traffic";
import { cappedIsps, checkCaps } from "@/lib/usage/caps";
import { CANARY_EVERY_MS, createCanaryWatch } from "./canary-watch";
import { targetScope } from "./scope";
import { recoverAtStart, recoveryWatch } from "./monitor-recovery";
import { emitEvent } from "@/lib/notify/events";
import { checkDrift, DRIFT_EVERY_MS } from "@/lib/notify/drift";
import { movesOf, notifyMoves, startDeliveryWorker, type DeliveryWorker } from "@/lib/notify/monitor-hooks";

export interface MonitorOptions {
  managed: ManagedTarget;
  /** the lab: default targets are its test server */
  lab: boolean;
  /** applied over every ISP's settings (tests, benchmark) */
  override?: Partial<Omit<IspHealthSettings, "isp">>;
  /** how often a newer user apply is looked for */
  pollMs?: number;
  log?: (line: string) => void;
  onChange?: (isp: string, change: HealthChange, at: number) => void;
  /** deliver notifications from this process (default true; lib/notify/deliver.ts) */
  notify?: boolean;
  /** every apply the monitor ran; `recorded.revisionId` is null when it changed nothing (no revision written) */
  onApply?: (r: { reason: string; recorded?: DerivedApply; error?: string; at: number; durationMs: number }) => void;
}

export interface Monitor {
  health(): Record<string, IspHealthState>;
  /** applies made so far */
  readonly applies: number;
  stop(): Promise<void>;
}

const MONITOR_ACTOR = { username: "monitor" };
/** how long a dynamic WAN's address events must be quiet before they are read (a new lease: an address and a route, ms apart) */
const KERNEL_SETTLE_MS = 100;

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
  let base = await baseConfig();
  const loadSettings = async (config: GatewayConfig) => {
    const m = await loadHealthSettings(config, { lab: opts.lab });
    for (const [isp, st] of m) m.set(isp, { ...st, ...opts.override, isp });
    return m;
  };
  let settings = await loadSettings(base.config);
  const target = opts.managed.target;
  // No lab convergence and no traffic probe in the monitor's applies: `lab up` would bring
  // an injected link fault back, and a probe through a dying ISP must not roll a failover back.
  const managed: ManagedTarget = { target, label: opts.managed.label };

  // what runs: the base with the dynamic ISPs' learned addresses (learn() keeps it current)
  const lastGood = await lastGoodRevision();
  const learned: Record<string, Learned | null> = learnedOf(lastGood ? parseStoredConfig(lastGood.config, `the configuration of revision ${lastGood.id}`) : null);
  // until the first learn(): every dynamic ISP as one with nothing learned (disabled)
  let resolved: GatewayConfig = resolveDynamic(base.config, { links: [], routes: [] }).config;
  const health = new Map<string, IspHealthState>();
  const start = Date.now();
  for (const isp of base.config.isps) health.set(isp.name, initialHealth(start, true, settings.get(isp.name)?.targets));
  // nothing applied yet: no health figures at all (rows of an earlier life would be shown as stale)
  if (base.revisionId === null) await db.ispHealth.deleteMany();
  /** health is only judged and recorded for a configuration a user applied */
  const judging = () => base.revisionId !== null;
  let applied = await lastAppliedKey();
  let lastUserRevision = (await latestUserRevision())?.id ?? null;
  let applies = 0;
  let stopped = false;
  let running: Promise<void> | null = null;
  let pending: { reason: string; force: boolean } | null = null;
  const lastSaved = new Map<string, number>();
  // the hosts moved by the last failover applied (a restart during an outage knows them: no second "failover")
  let lastMoves = movesOf(lastGood ? parseStoredConfig(lastGood.config, `the configuration of revision ${lastGood.id}`) : null);

  // ISPs over their monthly cap kept as a last resort (lib/usage/caps.ts), as of the last sample
  // (read at the start too: the first apply must not put hosts back on a capped ISP for 10 s)
  let capped: string[] = await cappedIsps().catch(() => []);
  const view = (): HealthView => Object.fromEntries([...health].map(([k, h]) => [k, { state: h.state, ...(capped.includes(k) ? { capped: true } : {}) }]));

  // Address events on dynamic WANs: counted as they arrive, so that an apply derived from an
  // older reading is abandoned before its first change (the newest state wins: a lease change
  // is an "address removed" then an "address added", and only the second is worth applying).
  let addressEvents = 0;
  let lastAddressEventAt = 0;
  /** dynamic ISPs with nothing learned: why ("no IPv4 address yet" or "no such interface"), and since when */
  const unlearned = new Map<string, { why: string; since: number }>();

  /** Learn the dynamic ISPs' addresses now; a change is logged and recorded as an event (true: something changed). */
  async function learn(): Promise<boolean> {
    const dyn = await learnNow(base.config, target, learned);
    resolved = dyn.config;
    // status, the ISP pages and the next revision say what runs, and since when
    if (hasDynamicIsps(base.config)) await recordLearned(base.config, dyn).catch((e) => log(`recording the learned addresses: ${e instanceof Error ? e.message : e}`));
    let changed = false;
    for (const isp of base.config.isps.filter(isDynamicIsp)) {
      const before = learned[isp.name] ?? null;
      const now = dyn.learned[isp.name] ?? null;
      const problem = dyn.problems.find((p) => p.isp === isp.name)?.message;
      const why = (problem ?? "nothing learned").replace(/: treated as down$/, "");
      if (now || !isp.enabled) unlearned.delete(isp.name);
      else if (unlearned.get(isp.name)?.why !== why) unlearned.set(isp.name, { why, since: Date.now() });
      if (sameLearned(before, now)) continue;
      changed = true;
      learned[isp.name] = now;
      const reason = now ? `${isp.addressMode} ${before ? "address changed" : "address learned"}: ${describeLearned(isp.name, now)}` : `${isp.addressMode}: ${problem ?? "nothing learned"}`;
      log(`${isp.name}: ${reason}`);
      db.healthEvent.create({ data: { isp: isp.name, from: addressOf(before), to: addressOf(now), reason } })
        .catch((e) => log(`recording the address event of ${isp.name}: ${e instanceof Error ? e.message : e}`));
    }
    return changed;
  }

  async function applyNow(reason: string, force: boolean) {
    // a burst of address events (an address, then its route, ms apart) is read once it is over
    const quietFor = lastAddressEventAt + KERNEL_SETTLE_MS - Date.now();
    if (quietFor > 0) await new Promise((r) => setTimeout(r, quietFor));
    let learnedChanged = false;
    const readAt = addressEvents; // the kernel is read after these events
    try {
      learnedChanged = await learn();
    } catch (e) {
      log(`reading the dynamic ISPs' addresses: ${e instanceof Error ? e.message : e}`);
    }
    let superseded = false;
    try {
      superseded = !(await applyResolved(reason, force, () => addressEvents === readAt));
    } finally {
      // the probes follow a new address after the apply, not before it (stopping a ping takes time)
      if (learnedChanged && !stopped && !superseded) await restartPingsIfNeeded();
    }
    // abandoned for a newer address event: run again at once on what the kernel shows now
    if (superseded) pending = { reason: pending?.reason ?? reason, force: force || (pending?.force ?? false) };
  }

  /** false: abandoned before any change because a newer address event arrived */
  async function applyResolved(reason: string, force: boolean, current: () => boolean): Promise<boolean> {
    // Save and apply are separate acts: nothing was ever applied, so the monitor applies nothing
    if (base.revisionId === null) {
      log(`${reason}: no configuration has been applied yet, nothing to fail over`);
      return true;
    }
    const f = planFailover(resolved, view());
    const key = canonicalJson(f.config);
    if (!force && key === applied) return true;
    const t = performance.now();
    try {
      const recorded = await applyDerivedConfig(f.config, {
        actor: MONITOR_ACTOR, source: "monitor", managed, rollbackOnVerifyFailure: false, base: base.config,
        current,
      });
      applies++;
      for (const r of recorded.recovered) log(`recovered an interrupted apply first (revision ${r.revisionId}): ${r.message}`);
      if (recorded.report.ok) {
        applied = key;
        lastMoves = notifyMoves(lastMoves, [...f.moves, ...(f.defaultIsp ? [f.defaultIsp] : [])], reason, recorded.revisionId, log);
      }
      const moved = f.moves.map((m) => `${m.host} ${m.from}->${m.to}`).join(", ") || "no hosts moved";
      const rev = recorded.revisionId === null ? "not recorded" : `revision ${recorded.revisionId}`;
      // hosts moved: the canary proves the new paths at the next tick
      if (recorded.revisionId !== null) canaryAt = 0;
      log(`apply (${reason}): ${recorded.report.result} (${rev}) in ${recorded.report.durationMs} ms; ${moved}`);
      opts.onApply?.({ reason, recorded, at: Date.now(), durationMs: performance.now() - t });
    } catch (e) {
      if (e instanceof SupersededError) {
        log(`apply (${reason}): ${e.message}`);
        return false;
      }
      const error = e instanceof Error ? e.message : String(e);
      log(`apply (${reason}) failed: ${error}`);
      opts.onApply?.({ reason, error, at: Date.now(), durationMs: performance.now() - t });
    }
    return true;
  }

  function scheduleApply(reason: string, force = false) {
    pending = { reason, force: force || (pending?.force ?? false) };
    if (running) return;
    running = (async () => {
      while (pending && !stopped) {
        const p = pending;
        pending = null;
        await applyNow(p.reason, p.force);
      }
      running = null;
    })();
  }

  /** Answers from the ISP's own link only prove the link: its "up" says so, on every screen. */
  function linkScoped(name: string, h: IspHealthState): IspHealthState {
    // a dynamic ISP without an address runs as down, whatever its last probes said: the screens say why
    const u = unlearned.get(name);
    if (u) return { ...h, state: "down", since: Math.max(u.since, h.since), reason: u.why };
    const isp = resolved.isps.find((i) => i.name === name);
    const st = settings.get(name);
    if (!isp || !st || h.state !== "up" || targetScope(isp, st) === "internet") return h;
    return { ...h, reason: "link ok only: every probe target is on the ISP's link (its router); set targets beyond it to see the internet" };
  }

  function take(isp: string, step: Step) {
    health.set(isp, step.health);
    // before any user apply the probes measure nothing Switchyard set up: no word about it
    if (!judging()) return;
    const now = Date.now();
    if (step.change) {
      const c = step.change;
      log(`${isp}: ${c.from} -> ${c.to} (${c.reason})`);
      opts.onChange?.(isp, c, now);
      // fire and forget: a database write, never a network wait in the failover's way
      void emitEvent({ kind: `isp-${c.to}`, isp, reason: c.reason, from: c.from }, log);
    }
    if (step.change || now - (lastSaved.get(isp) ?? 0) >= 1000) {
      lastSaved.set(isp, now);
      saveHealth(isp, linkScoped(isp, step.health), step.change).catch((e) => log(`saving health of ${isp}: ${e instanceof Error ? e.message : e}`));
    }
    if (step.change) scheduleApply(`${isp} ${step.change.to}: ${step.change.reason}`);
  }

  // A link that came back: its routes are restored by a full apply once it has stayed up for
  // the settle time (a flapping link is not worth an apply per flap; going down needs none).
  const linkBack = new Map<string, NodeJS.Timeout>();
  const linkUps = new Map<string, number[]>();
  function linkChanged(isp: string, up: boolean, now: number) {
    clearTimeout(linkBack.get(isp));
    linkBack.delete(isp);
    const st = settings.get(isp);
    if (!up || !st || stopped) return;
    const t = thresholdsOf(st);
    const ups = (linkUps.get(isp) ?? []).filter((at) => now - at < t.changeWindowMs);
    linkUps.set(isp, [...ups, now]);
    // (at most a minute: where the kernel did drop the routes, the probes need them back to see a recovery)
    const settle = Math.min(Math.max(proveFor(ups.length, t), 3 * st.intervalMs), 60_000);
    linkBack.set(isp, setTimeout(() => {
      linkBack.delete(isp);
      if (!stopped && health.get(isp)?.linkUp) scheduleApply(`${isp} link up for ${Math.round(settle / 100) / 10} s: restoring its routes`, true);
    }, settle));
  }

  const stoppers: Stoppable[] = [];
  // A dynamic ISP's address or route changed: learn and apply soon, once for a burst of
  // events (a new lease is an address and a route, a few milliseconds apart).
  let kernelTimer: NodeJS.Timeout | null = null;
  const kernelChanged = (why: string) => {
    addressEvents++;
    lastAddressEventAt = Date.now();
    if (kernelTimer || stopped) return;
    kernelTimer = setTimeout(() => {
      kernelTimer = null;
      if (!stopped) scheduleApply(why);
    }, KERNEL_SETTLE_MS);
  };
  stoppers.push(await watchKernel(target, (e) => {
    for (const isp of base.config.isps) {
      if (isp.wanInterface !== e.ifname) continue;
      if (e.kind !== "link") {
        if (isDynamicIsp(isp)) kernelChanged(`${isp.name}: ${e.kind} ${e.deleted ? "removed" : "added"} on ${e.ifname}`);
        continue;
      }
      const h = health.get(isp.name);
      const st = settings.get(isp.name);
      if (!h || !st) continue;
      const now = Date.now();
      take(isp.name, recordLink(h, e.up, now, thresholdsOf(st)));
      if (e.up !== h.linkUp) linkChanged(isp.name, e.up, now);
    }
  }));
  // What the probes depend on: when a new base or new settings change it, they restart.
  const probeKey = () => canonicalJson({ isps: resolved.isps.map(({ name, linkAddress, enabled }) => ({ name, linkAddress, enabled })), settings: [...settings] });
  let pings: Stoppable[] = [];
  let pingKey = "";
  function startPings() {
    pingKey = probeKey();
    // a dynamic ISP without an address is disabled in `resolved`: nothing to probe from
    for (const isp of resolved.isps.filter((i) => i.enabled)) {
      const s = settings.get(isp.name)!;
      const t = thresholdsOf(s);
      for (const to of s.targets) {
        pings.push(startPing(target, { isp: isp.name, source: isp.linkAddress, target: to, intervalMs: s.intervalMs, timeoutMs: s.timeoutMs }, (r) => {
          const h = health.get(isp.name);
          if (!stopped && h) take(isp.name, recordProbe(h, r.target, r.ok, r.rttMs, Date.now(), t));
        }));
      }
    }
  }
  async function restartPingsIfNeeded() {
    settings = await loadSettings(resolved);
    if (probeKey() === pingKey) return;
    log("the ISPs or their health settings changed: restarting the probes");
    const old = pings;
    pings = [];
    await Promise.all(old.map((p) => p.stop()));
    const now = Date.now();
    for (const name of [...health.keys()]) if (!base.config.isps.some((i) => i.name === name)) health.delete(name);
    for (const isp of base.config.isps) {
      const targets = settings.get(isp.name)?.targets ?? [];
      const h = health.get(isp.name);
      health.set(isp.name, h ? withTargets(h, targets) : initialHealth(now, true, targets));
    }
    if (!stopped) startPings();
  }
  await learn().catch((e) => log(`reading the dynamic ISPs' addresses: ${e instanceof Error ? e.message : e}`));
  settings = await loadSettings(resolved);
  for (const [isp, h] of health) health.set(isp, withTargets(h, settings.get(isp)?.targets ?? []));
  startPings();
  if (judging()) for (const [isp, h] of health) await saveHealth(isp, h, null);

  // Damping may hold a change back with no new probe to release it; and a newer user apply becomes the base.
  let polling: Promise<void> | null = null;
  // long-term traffic and health samples (lib/health/samples.ts); each counter reading also feeds
  // the usage totals and the monthly caps (lib/usage): a cap crossed is a warning, and with
  // "last resort" an apply that moves the hosts away from that ISP
  const sampler = createSampler(target, { log, onCounters: async (counters, at, isps) => {
    try {
      await recordTraffic(counters, isps, at);
      const now = await checkCaps(at, log);
      if (now.join(",") === capped.join(",")) return;
      const was = capped;
      capped = now;
      if (judging()) scheduleApply(now.length > was.length ? `${now.filter((i) => !was.includes(i)).join(", ")} over its monthly cap: used as a last resort only` : "a monthly cap no longer reached: back to normal use");
    } catch (e) {
      log(`counting usage: ${e instanceof Error ? e.message : e}`);
    }
  } });
  // the canary between applies (lib/health/canary-watch.ts): every target proven again through the forward path
  const canary = createCanaryWatch(target, log);
  let canaryRun: Promise<unknown> | null = null;
  let canaryAt = 0;
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
    sampler.tick(judging() ? Object.fromEntries(health) : {}, base.config.isps);
    if (judging() && !running && !canaryRun && Date.now() - canaryAt >= CANARY_EVERY_MS) {
      canaryAt = Date.now();
      const targets = Object.fromEntries([...settings].map(([isp, s]) => [isp, s.targets]));
      canaryRun = canary.run(planFailover(resolved, view()).config, targets).finally(() => (canaryRun = null));
    }
    for (const [isp, h] of health) {
      const st = settings.get(isp);
      if (st) take(isp, recheck(h, Date.now(), thresholdsOf(st)));
    }
    polling ??= poll().finally(() => (polling = null));
    // drift between applies, told once when it appears (lib/notify/drift.ts)
    if (judging() && !running && !drifting && Date.now() - driftAt >= DRIFT_EVERY_MS) {
      driftAt = Date.now();
      drifting = checkDrift(target, log).catch((e) => log(`checking for drift: ${e instanceof Error ? e.message : e}`)).finally(() => (drifting = null));
    }
  }, opts.pollMs ?? 1000);
  async function poll() {
    try {
      // any apply but ours (a new base, or a failed one that left the kernel unknown) gets failover on top
      const latest = await latestUserRevision();
      const seen = latest !== null && latest.id !== lastUserRevision;
      if (seen) {
        lastUserRevision = latest.id;
        const wasJudging = judging();
        base = await baseConfig();
        if (!wasJudging && judging()) {
          // the first user apply: what the probes saw before it says nothing about it
          const now = Date.now();
          for (const isp of base.config.isps) health.set(isp.name, initialHealth(now, health.get(isp.name)?.linkUp ?? true, settings.get(isp.name)?.targets));
        }
        await learn();
        applied = latest.good ? latest.key : null;
        log(`revision ${latest.id} (${latest.result}) by someone else: base is ${base.revisionId === null ? "none" : `revision ${base.revisionId}`}`);
      }
      await restartPingsIfNeeded();
      if (seen) scheduleApply(`revision ${latest.id} applied by someone else`);
    } catch (e) {
      log(`reading the base configuration: ${e instanceof Error ? e.message : e}`);
    }
  }
  // The start is optimistic (all up): once the probes had time to speak, make sure the kernel matches.
  // the notifications' queue is delivered from here, the one process that always runs
  const notifier: DeliveryWorker | null = opts.notify === false ? null : startDeliveryWorker({ log });
  const settle = setTimeout(() => scheduleApply("monitor started"), Math.max(...[...settings.values()].map((s) => s.intervalMs * (Math.max(s.downAfter, s.upAfter) + 1)), 1000));

  return {
    health: () => Object.fromEntries(health),
    get applies() {
      return applies;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(settle);
      if (kernelTimer) clearTimeout(kernelTimer);
      for (const t of linkBack.values()) clearTimeout(t);
      await polling;
      await recovering;
      await canaryRun;
      await drifting;
      await Promise.all([...stoppers, ...pings].map((s) => s.stop()));
      await running;
      await notifier?.stop();
      release();
    },
  };
}

const sameLearned = (a: Learned | null, b: Learned | null) =>
  a === b || (!!a && !!b && a.linkAddress === b.linkAddress && a.linkPrefix === b.linkPrefix && a.gatewayAddress === b.gatewayAddress);
const addressOf = (l: Learned | null) => (l ? `${l.linkAddress}/${l.linkPrefix}` : "no address");
