// The monitor's state: one explicit object, created by monitor.ts, that the probes
// (monitor-probes.ts) and the scheduler of applies (monitor-scheduler.ts) read and change.
// Everything in it was a variable of one long closure before; the comments say what each holds.
import type { GatewayConfig } from "@/lib/model";
import type { DerivedApply } from "@/lib/engine/service";
import type { ManagedTarget } from "@/lib/engine/target";
import type { Target } from "@/lib/net/exec";
import type { Learned } from "@/lib/net/dynamic";
import type { IspHealthSettings } from "@/lib/validation/health";
import type { HealthView } from "./effective";
import type { Stoppable } from "./probe";
import type { HealthChange, IspHealthState, Step } from "./state";
import { loadHealthSettings } from "./store";
import { targetScope } from "./scope";
import type { movesOf } from "@/lib/notify/monitor-hooks";

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

export interface MonitorState {
  readonly opts: MonitorOptions;
  readonly log: (line: string) => void;
  readonly target: Target;
  /** what the monitor's applies run on: the target without lab convergence or traffic probe */
  readonly managed: ManagedTarget;
  /** the configuration the user last applied (revisionId null: none yet), failover goes on top of it */
  base: { config: GatewayConfig; revisionId: number | null };
  settings: Map<string, IspHealthSettings>;
  /** what runs: the base with the dynamic ISPs' learned addresses (learn() keeps it current) */
  resolved: GatewayConfig;
  readonly learned: Record<string, Learned | null>;
  readonly health: Map<string, IspHealthState>;
  /** the canonical JSON of the configuration last applied cleanly (an equal one is not applied again) */
  applied: string | null;
  lastUserRevision: number | null;
  applies: number;
  stopped: boolean;
  /** the apply loop, while it runs; pending: the next apply it runs (the last reason wins) */
  running: Promise<void> | null;
  pending: { reason: string; force: boolean } | null;
  readonly lastSaved: Map<string, number>;
  /** the hosts moved by the last failover applied (a restart during an outage knows them: no second "failover") */
  lastMoves: ReturnType<typeof movesOf>;
  /** ISPs over their monthly cap kept as a last resort (lib/usage/caps.ts), as of the last sample */
  capped: string[];
  /** address events on dynamic WANs, counted as they arrive: an apply derived from an older reading is abandoned */
  addressEvents: number;
  lastAddressEventAt: number;
  /** dynamic ISPs with nothing learned: why ("no IPv4 address yet" or "no such interface"), and since when */
  readonly unlearned: Map<string, { why: string; since: number }>;
  /** when the canary last ran between applies (0: at the next tick) */
  canaryAt: number;
  /** a link that came back: the timer of its restoring apply, and its recent ups */
  readonly linkBack: Map<string, NodeJS.Timeout>;
  readonly linkUps: Map<string, number[]>;
  kernelTimer: NodeJS.Timeout | null;
  pings: Stoppable[];
  /** targets that cannot be probed (an IPv6 target without a source to send from), by ISP: why; each counts as unanswered */
  unprobed: Map<string, string[]>;
  /** what the running probes were started for (monitor-probes.ts probeKey) */
  pingKey: string;
  /** a probe's or a link event's step, taken (monitor.ts wires the scheduler's take) */
  take: (isp: string, step: Step) => void;
}

/** The ISPs' health settings, with the options' override over each. */
export async function loadSettings(opts: MonitorOptions, config: GatewayConfig) {
  const m = await loadHealthSettings(config, { lab: opts.lab });
  for (const [isp, st] of m) m.set(isp, { ...st, ...opts.override, isp });
  return m;
}

/** health is only judged and recorded for a configuration a user applied */
export const judging = (s: MonitorState) => s.base.revisionId !== null;

export const view = (s: MonitorState): HealthView =>
  Object.fromEntries([...s.health].map(([k, h]) => [k, { state: h.state, ...(s.capped.includes(k) ? { capped: true } : {}) }]));

/** Answers from the ISP's own link only prove the link: its "up" says so, on every screen. */
export function linkScoped(s: MonitorState, name: string, h: IspHealthState): IspHealthState {
  // a dynamic ISP without an address runs as down, whatever its last probes said: the screens say why
  const u = s.unlearned.get(name);
  if (u) return { ...h, state: "down", since: Math.max(u.since, h.since), reason: u.why };
  // a target that cannot be probed counts as unanswered: the screens say why
  const why = s.unprobed.get(name);
  if (why?.length && h.state !== "up") return { ...h, reason: `${h.reason}; ${why.join("; ")}` };
  const isp = s.resolved.isps.find((i) => i.name === name);
  const st = s.settings.get(name);
  if (!isp || !st || h.state !== "up" || targetScope(isp, st) === "internet") return h;
  return { ...h, reason: "link ok only: every probe target is on the ISP's link (its router); set targets beyond it to see the internet" };
}
