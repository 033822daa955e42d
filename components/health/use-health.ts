"use client";
// useHealth: the monitor's view of every ISP, polled from GET /api/health/isps (every 2 s by
// default, paused while the tab is hidden), with the last RTT_HISTORY RTT readings per ISP.
// For the board only (one caller per page: it owns its poller).
import { useCallback, useEffect, useRef, useState } from "react";
import type { HealthSnapshot } from "@/lib/health/view-types";

export const RTT_HISTORY = 60;

export interface HealthLive {
  snapshot: HealthSnapshot | null;
  /** ISP name -> RTT in ms, oldest first (0 where there was no reply) */
  rtt: Map<string, number[]>;
  error: string | null;
  refresh: () => void;
}

export function useHealth(intervalMs = 2000): HealthLive {
  const [snapshot, setSnapshot] = useState<HealthSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rtt = useRef(new Map<string, number[]>());
  const kick = useRef<() => void>(() => {});

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const poll = async () => {
      if (timer) clearTimeout(timer);
      timer = null;
      try {
        const res = await fetch("/api/health/isps", { cache: "no-store", headers: { accept: "application/json" } });
        if (res.status === 401) throw new Error("your session has ended");
        if (!res.ok) throw new Error(`the server answered ${res.status}`);
        const snap = (await res.json()) as HealthSnapshot;
        if (stopped) return;
        for (const i of snap.isps) rtt.current.set(i.isp, [...(rtt.current.get(i.isp) ?? []), i.rttMs ?? 0].slice(-RTT_HISTORY));
        setSnapshot(snap);
        setError(null);
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      }
      if (!stopped && !document.hidden) timer = setTimeout(() => void poll(), intervalMs);
    };
    const onVisibility = () => { if (!document.hidden) void poll(); };
    kick.current = () => void poll();
    document.addEventListener("visibilitychange", onVisibility);
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [intervalMs]);

  const refresh = useCallback(() => kick.current(), []);
  return { snapshot, rtt: rtt.current, error, refresh };
}
