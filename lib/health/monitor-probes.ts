// The monitor's probes: one streaming ping per (ISP, target) from the ISP's own address,
// restarted when the ISPs or their settings change; and the dynamic ISPs' addresses, learned
// from the kernel (lib/net/dynamic.ts) and recorded. Each ping result is a step of the ISP's
// state machine (state.ts), handed to s.take.
import { db } from "@/lib/db";
import { canonicalJson } from "@/lib/engine/status";
import { describeLearned, hasDynamicIsps, learnNow, type Learned } from "@/lib/net/dynamic";
import { recordLearned } from "@/lib/data/learned";
import { isDynamicIsp } from "@/lib/validation/entities";
import { lanSubnets6 } from "@/lib/net/render/ipv6";
import { startPing, type Stoppable } from "./probe";
import { probeFrom } from "./probe-source";
import { initialHealth, recordProbe, withTargets } from "./state";
import { thresholdsOf } from "./store";
import { loadSettings, type MonitorState } from "./monitor-state";

/** Learn the dynamic ISPs' addresses now; a change is logged and recorded as an event (true: something changed). */
export async function learn(s: MonitorState): Promise<boolean> {
  const { log } = s;
  const dyn = await learnNow(s.base.config, s.target, s.learned);
  s.resolved = dyn.config;
  // status, the ISP pages and the next revision say what runs, and since when
  if (hasDynamicIsps(s.base.config))
    await recordLearned(s.base.config, dyn).catch((e) => log(`recording the learned addresses: ${e instanceof Error ? e.message : e}`));
  let changed = false;
  for (const isp of s.base.config.isps.filter(isDynamicIsp)) {
    const before = s.learned[isp.name] ?? null;
    const now = dyn.learned[isp.name] ?? null;
    const problem = dyn.problems.find((p) => p.isp === isp.name)?.message;
    const why = (problem ?? "nothing learned").replace(/: treated as down$/, "");
    if (now || !isp.enabled) s.unlearned.delete(isp.name);
    else if (s.unlearned.get(isp.name)?.why !== why) s.unlearned.set(isp.name, { why, since: Date.now() });
    if (sameLearned(before, now)) continue;
    changed = true;
    s.learned[isp.name] = now;
    const reason = now
      ? `${isp.addressMode} ${before ? "address changed" : "address learned"}: ${describeLearned(isp.name, now)}`
      : `${isp.addressMode}: ${problem ?? "nothing learned"}`;
    log(`${isp.name}: ${reason}`);
    db.healthEvent
      .create({ data: { isp: isp.name, from: addressOf(before), to: addressOf(now), reason } })
      .catch((e) => log(`recording the address event of ${isp.name}: ${e instanceof Error ? e.message : e}`));
  }
  return changed;
}

// What the probes depend on: when a new base or new settings change it, they restart.
// (IPv6 targets leave from a LAN /64's address with the ISP's mark: those are part of it.)
const probeKey = (s: MonitorState) =>
  canonicalJson({
    isps: s.resolved.isps.map(({ name, linkAddress, enabled, mark, ipv6 }) => ({ name, linkAddress, enabled, mark, ipv6: ipv6 ?? null })),
    lan6: lanSubnets6(s.resolved).map((l) => [l.lan.name, l.address, l.isp?.name ?? null]),
    settings: [...s.settings],
  });

/** A target that cannot be probed: a lost probe every interval (it counts as unanswered, never silently skipped). */
function neverAnswered(intervalMs: number, onLost: () => void): Stoppable {
  const timer = setInterval(onLost, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
    },
  };
}

export function startPings(s: MonitorState) {
  s.pingKey = probeKey(s);
  s.unprobed = new Map();
  // a dynamic ISP without an address is disabled in `resolved`: nothing to probe from
  for (const isp of s.resolved.isps.filter((i) => i.enabled)) {
    const st = s.settings.get(isp.name)!;
    const t = thresholdsOf(st);
    const take = (target: string, ok: boolean, rttMs?: number) => {
      const h = s.health.get(isp.name);
      if (!s.stopped && h) s.take(isp.name, recordProbe(h, target, ok, rttMs, Date.now(), t));
    };
    for (const to of st.targets) {
      const from = probeFrom(s.resolved, isp, to);
      if ("why" in from) {
        s.log(`${isp.name}: ${from.why}`);
        s.unprobed.set(isp.name, [...(s.unprobed.get(isp.name) ?? []), from.why]);
        s.pings.push(neverAnswered(st.intervalMs, () => take(to, false)));
        continue;
      }
      const spec = { isp: isp.name, ...from, target: to, intervalMs: st.intervalMs, timeoutMs: st.timeoutMs };
      s.pings.push(startPing(s.target, spec, (r) => take(r.target, r.ok, r.rttMs)));
    }
  }
}

export async function restartPingsIfNeeded(s: MonitorState) {
  s.settings = await loadSettings(s.opts, s.resolved);
  if (probeKey(s) === s.pingKey) return;
  s.log("the ISPs or their health settings changed: restarting the probes");
  const old = s.pings;
  s.pings = [];
  await Promise.all(old.map((p) => p.stop()));
  const now = Date.now();
  for (const name of [...s.health.keys()]) if (!s.base.config.isps.some((i) => i.name === name)) s.health.delete(name);
  for (const isp of s.base.config.isps) {
    const targets = s.settings.get(isp.name)?.targets ?? [];
    const h = s.health.get(isp.name);
    s.health.set(isp.name, h ? withTargets(h, targets) : initialHealth(now, true, targets));
  }
  if (!s.stopped) startPings(s);
}

const sameLearned = (a: Learned | null, b: Learned | null) =>
  a === b || (!!a && !!b && a.linkAddress === b.linkAddress && a.linkPrefix === b.linkPrefix && a.gatewayAddress === b.gatewayAddress);
const addressOf = (l: Learned | null) => (l ? `${l.linkAddress}/${l.linkPrefix}` : "no address");
