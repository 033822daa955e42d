"use client";
// useHealth: the monitor's view of every ISP, the newest revision and whether someone is
// applying, polled from GET /api/health/isps (every 2 s, paused while the tab is hidden), with
// the last RTT_HISTORY RTT readings per ISP. One poller per page, however many components use
// it (the layout's FollowGateway, the board, the drift banner, the Live page's ISP cards).
import { useSyncExternalStore } from "react";
import type { HealthSnapshot } from "@/lib/health/view-types";

export const RTT_HISTORY = 60;
export const HEALTH_URL = "/api/health/isps";
const INTERVAL_MS = 2000;

export interface HealthState {
  snapshot: HealthSnapshot | null;
  /** ISP name -> RTT in ms, oldest first (0 where there was no reply) */
  rtt: Map<string, number[]>;
  error: string | null;
}

export interface HealthLive extends HealthState {
  refresh: () => void;
}

const INITIAL: HealthState = { snapshot: null, rtt: new Map(), error: null };

class HealthPoller {
  state: HealthState = INITIAL;
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  private again = false;
  private stopped = true;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.stopped = false;
      document.addEventListener("visibilitychange", this.onVisibility);
      if (!document.hidden) void this.poll();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.stopped = true;
        document.removeEventListener("visibilitychange", this.onVisibility);
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
      }
    };
  };

  getState = () => this.state;

  refresh = () => {
    if (this.stopped) return;
    if (this.inFlight) this.again = true;
    else void this.poll();
  };

  private onVisibility = () => {
    if (!document.hidden) this.refresh();
  };

  private set(next: HealthState) {
    this.state = next;
    for (const l of this.listeners) l();
  }

  private async poll() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight = true;
    try {
      const res = await fetch(HEALTH_URL, { cache: "no-store", headers: { accept: "application/json" } });
      if (res.status === 401) throw new Error("your session has ended");
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      const snap = (await res.json()) as HealthSnapshot;
      const rtt = new Map(this.state.rtt);
      for (const i of snap.isps) rtt.set(i.isp, [...(rtt.get(i.isp) ?? []), i.rttMs ?? 0].slice(-RTT_HISTORY));
      this.set({ snapshot: snap, rtt, error: null });
    } catch (e) {
      this.set({ ...this.state, error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.inFlight = false;
    }
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      void this.poll();
    } else if (!document.hidden) {
      this.timer = setTimeout(() => void this.poll(), INTERVAL_MS);
    }
  }
}

const poller = new HealthPoller();
const serverState = () => INITIAL;

export function useHealth(): HealthLive {
  const state = useSyncExternalStore(poller.subscribe, poller.getState, serverState);
  return { ...state, refresh: poller.refresh };
}
