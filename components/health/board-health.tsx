"use client";
// The board's health layer: per ISP column the monitor's view (and the lab's fault buttons),
// per host card where the monitor sends it now. Reads GET /api/health/isps; never probes.
import { useEffect, useState } from "react";
import { columnLoad, ispProof } from "@/lib/health/words";
import type { ProofVerdict } from "@/lib/health/view-types";
import { FaultButtons } from "./fault-buttons";
import { IspHealth } from "./isp-health";
import { useHealth } from "./use-health";

export interface CardHealth {
  failover?: string;
  ispDown?: string;
  /** the ISP its traffic should carry now */
  expectedIsp?: string | null;
}

/** The monitor changed the kernel after the user's last apply (a failover, a failback), and how it proved this host. */
export interface PathChange {
  at: string;
  revisionId: number;
  verdict?: ProofVerdict;
}

export function useBoardHealth(lab: boolean) {
  const h = useHealth();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
  }, [h.snapshot]);
  const snap = h.snapshot;
  const info = (isp: string) => snap?.isps.find((i) => i.isp === isp);

  const column = (isp: string) => {
    const i = info(isp);
    return (
      <>
        {i ? (
          <IspHealth info={i} rtt={h.rtt.get(isp) ?? []} now={now} proof={ispProof(snap?.canary, isp, now)} />
        ) : h.error ? (
          <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">Health unavailable: {h.error}</p>
        ) : null}
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
  /** "3 hosts (2 by failover)" for an ISP column, from the names of the hosts placed there */
  const count = (isp: string, placed: string[]) => columnLoad(isp, placed, snap?.moves ?? []);
  const isDown = (isp: string) => info(isp)?.state === "down";
  /**
   * set when the monitor changed paths through one of `isps` (the host's ISPs as last proved) after
   * the proof shown: that proof is from before an outage, not current. A host whose ISPs stayed up keeps its proof.
   */
  const pathChange = (name: string, isps: (string | null | undefined)[]): PathChange | undefined => {
    const m = snap?.monitorApply;
    if (!m || !isps.some((i) => i && m.isps.includes(i))) return undefined;
    return { at: m.at, revisionId: m.revisionId, verdict: m.hosts.find((v) => v.name === name) };
  };
  return {
    column,
    card,
    moveOf,
    count,
    isDown,
    pathChange,
    defaultMove: snap?.defaultIsp ?? null,
    refresh: h.refresh,
    monitorRunning: snap?.monitorRunning ?? null,
  };
}
