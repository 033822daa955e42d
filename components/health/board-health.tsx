"use client";
// The board's health layer: per ISP column the monitor's view (and the lab's fault buttons),
// per host card where the monitor sends it now. Reads GET /api/health/isps; never probes.
import { useEffect, useState } from "react";
import { FaultButtons } from "./fault-buttons";
import { IspHealth } from "./isp-health";
import { useHealth } from "./use-health";

export interface CardHealth {
  failover?: string;
  ispDown?: string;
  /** the ISP its traffic should carry now */
  expectedIsp?: string | null;
}

export function useBoardHealth(lab: boolean) {
  const h = useHealth();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => { setNow(Date.now()); }, [h.snapshot]);
  const snap = h.snapshot;
  const info = (isp: string) => snap?.isps.find((i) => i.isp === isp);

  const column = (isp: string) => {
    const i = info(isp);
    return (
      <>
        {i ? <IspHealth info={i} rtt={h.rtt.get(isp) ?? []} now={now} /> : h.error ? <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">Health unavailable: {h.error}</p> : null}
        {lab && <FaultButtons isp={isp} onDone={h.refresh} />}
      </>
    );
  };

  /** name: the host; isp: the ISP it uses without failover (its own or the default) */
  const card = (name: string, isp: string | null, unlisted: boolean): CardHealth => {
    if (!snap || !isp) return {};
    const move = unlisted ? (snap.defaultIsp && snap.defaultIsp.from === isp ? { to: snap.defaultIsp.to } : null) : snap.moves.find((m) => m.host === name);
    if (move) return { failover: `${move.to}, failover: ${isp} down`, expectedIsp: move.to };
    return info(isp)?.state === "down" ? { ispDown: isp } : {};
  };

  /** where the monitor sends a host (or everyone else: defaultMove) now, when that is not where it goes with every ISP up */
  const moveOf = (name: string) => snap?.moves.find((m) => m.host === name);
  return { column, card, moveOf, defaultMove: snap?.defaultIsp ?? null, refresh: h.refresh, monitorRunning: snap?.monitorRunning ?? null };
}
