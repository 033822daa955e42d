// useLiveKernel: the gateway as it is right now, polled from GET /api/kernel.
// For client components only (the Live kernel page, the dashboard's ISP columns and host cards).
//
//   const { snapshot, rates, history, error, updatedAt } = useLiveKernel();   // every 2 s
//   rates["ISP1"]?.txRate                       bytes/s sent through ISP1 (undefined until 2 readings)
//   history["ISP1"]                             the last HISTORY_LENGTH samples, oldest first
//   snapshot?.hosts                             open flows per host (LiveSnapshot, lib/engine/live-types.ts)
//
// Returns (stable API):
//   snapshot   LiveSnapshot | null  the latest reading with ok: true; kept while later polls fail,
//                                   so the UI can show the last known state next to the error
//   previous   LiveSnapshot | null  the reading before it (to compute rates of other counters,
//                                   e.g. iptables rule packets); null after a pause
//   rates      Record<ISP name, { txRate, rxRate }>  bytes/s between the last two readings
//                                   (from SWYD-ACCT: tx = forwarded out of the ISP, rx = back in);
//                                   an ISP is missing when it has no earlier reading or its
//                                   counters went backwards (the chain was reloaded)
//   history    Record<ISP name, RateSample[]>  up to HISTORY_LENGTH (60) samples, oldest first
//   error      LiveError | null     why the latest poll failed: "session" (401: log in again,
//                                   polling stops until refresh()), "gateway" (the server could
//                                   not read the kernel: error.message says why), "network"
//                                   (the Switchyard server did not answer); null when it worked
//   updatedAt  number | null        Date.now() when `snapshot` arrived
//   refresh()                       poll now (e.g. after an apply)
//
// Every component calling useLiveKernel(n) with the same interval shares one poller (one
// request per interval, however many components use it). Polling pauses while the tab is
// hidden and resumes at once when it is shown again; it stops when no component uses it.
// Rates are computed from the server's observedAt timestamps, not the browser's clock.
import { useSyncExternalStore } from "react";
import type { LiveSnapshot } from "@/lib/engine/live-types";

export interface IspRate {
  /** bytes per second */
  txRate: number;
  rxRate: number;
}

export interface RateSample extends IspRate {
  /** ms since the epoch (the snapshot's observedAt) */
  at: number;
}

export interface LiveError {
  kind: "session" | "gateway" | "network";
  message: string;
  /** HTTP status when there was one */
  status?: number;
}

export interface LiveKernelState {
  snapshot: LiveSnapshot | null;
  previous: LiveSnapshot | null;
  rates: Record<string, IspRate>;
  history: Record<string, RateSample[]>;
  error: LiveError | null;
  updatedAt: number | null;
}

export interface LiveKernel extends LiveKernelState {
  refresh: () => void;
}

export const HISTORY_LENGTH = 60;
export const LIVE_KERNEL_URL = "/api/kernel";

// Keyed by ISP name, which the admin chooses ("constructor", "toString"...): no prototype to collide with.
const byName = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

const INITIAL: LiveKernelState = { snapshot: null, previous: null, rates: byName(), history: byName(), error: null, updatedAt: null };

/** Rates and history after a new reading. Pure (exported for tests and other consumers). */
export function advance(state: LiveKernelState, snap: LiveSnapshot, prev: LiveSnapshot | null, now: number): LiveKernelState {
  const rates = byName<IspRate>();
  const history = byName<RateSample[]>();
  const at = Date.parse(snap.observedAt);
  const dt = prev ? (at - Date.parse(prev.observedAt)) / 1000 : 0;
  for (const isp of snap.isps) {
    const before = prev?.isps.find((i) => i.name === isp.name);
    const past = state.history[isp.name] ?? [];
    const dTx = before ? isp.txBytes - before.txBytes : -1;
    const dRx = before ? isp.rxBytes - before.rxBytes : -1;
    if (dt > 0 && dTx >= 0 && dRx >= 0) {
      rates[isp.name] = { txRate: dTx / dt, rxRate: dRx / dt };
      history[isp.name] = [...past, { at, ...rates[isp.name] }].slice(-HISTORY_LENGTH);
    } else {
      history[isp.name] = past;
    }
  }
  return { snapshot: snap, previous: prev, rates, history, error: null, updatedAt: now };
}

class Poller {
  state: LiveKernelState = INITIAL;
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private controller: AbortController | null = null;
  private inFlight = false;
  private again = false;
  private stopped = true;
  /** the last reading is too old to compute rates from (the tab was hidden) */
  private stale = false;

  constructor(readonly intervalMs: number) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  };

  getState = () => this.state;

  refresh = () => {
    if (this.stopped) return;
    if (this.inFlight) this.again = true;
    else void this.poll();
  };

  private set(next: LiveKernelState) {
    this.state = next;
    for (const l of this.listeners) l();
  }

  private start() {
    this.stopped = false;
    document.addEventListener("visibilitychange", this.onVisibility);
    if (!document.hidden) void this.poll();
  }

  private stop() {
    this.stopped = true;
    this.stale = true;
    document.removeEventListener("visibilitychange", this.onVisibility);
    this.clearTimer();
    this.controller?.abort();
  }

  private clearTimer() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private onVisibility = () => {
    if (document.hidden) {
      this.clearTimer();
      this.stale = true;
    } else {
      this.refresh();
    }
  };

  private fail(error: LiveError) {
    this.set({ ...this.state, error });
  }

  private async poll() {
    this.clearTimer();
    this.inFlight = true;
    this.controller = new AbortController();
    let sessionEnded = false;
    try {
      const res = await fetch(LIVE_KERNEL_URL, { cache: "no-store", signal: this.controller.signal, headers: { accept: "application/json" } });
      if (res.status === 401) {
        sessionEnded = true;
        this.fail({ kind: "session", status: 401, message: "Your session has ended. Log in again to keep watching the gateway." });
      } else if (!res.ok) {
        this.fail({ kind: "network", status: res.status, message: `The Switchyard server answered ${res.status} ${res.statusText}.` });
      } else {
        const snap = (await res.json()) as LiveSnapshot;
        if (!snap.ok) {
          this.fail({ kind: "gateway", message: snap.error ?? "The gateway could not be read." });
        } else {
          const prev = this.stale ? null : this.state.snapshot;
          this.stale = false;
          this.set(advance(this.state, snap, prev, Date.now()));
        }
      }
    } catch (e) {
      if (this.stopped) return;
      this.fail({ kind: "network", message: `The Switchyard server did not answer (${e instanceof Error ? e.message : String(e)}).` });
    } finally {
      this.inFlight = false;
      this.controller = null;
    }
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      void this.poll();
    } else if (!sessionEnded && !document.hidden) {
      this.timer = setTimeout(() => void this.poll(), this.intervalMs);
    }
  }
}

const pollers = new Map<number, Poller>();
const poller = (intervalMs: number) => {
  let p = pollers.get(intervalMs);
  if (!p) pollers.set(intervalMs, (p = new Poller(intervalMs)));
  return p;
};
const serverState = () => INITIAL;

export function useLiveKernel(intervalMs = 2000): LiveKernel {
  const p = poller(intervalMs);
  const state = useSyncExternalStore(p.subscribe, p.getState, serverState);
  return { ...state, refresh: p.refresh };
}
