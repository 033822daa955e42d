"use client";
// Live traffic for the board, from the Live kernel view's shared poller.
import { useLiveKernel } from "@/components/kernel/use-live-kernel";
import type { ColumnLive } from "./column";

export interface BoardLive {
  isps: Map<string, ColumnLive>;
  /** host address -> open connections by ISP */
  hosts: Map<string, Record<string, number>>;
  /** foreign objects overriding Switchyard (not the neutralised ones), for the host cards they affect */
  overrides?: { object: string; effect: string; hosts: string[] }[];
  /** e.g. "Live view: the gateway could not be read" */
  note?: string;
  refresh: () => void;
}

export function useBoardLive(): BoardLive | null {
  const { snapshot, rates, error, refresh } = useLiveKernel();
  if (!snapshot) return error ? { isps: new Map(), hosts: new Map(), note: `Live traffic unavailable: ${error.message}`, refresh } : null;
  const isps = new Map(snapshot.isps.map((isp) => [isp.name, { isp, txRate: rates[isp.name]?.txRate, rxRate: rates[isp.name]?.rxRate }]));
  const hosts = new Map(snapshot.hosts.map((h) => [h.address, h.flowsByIsp]));
  const overrides = (snapshot.overrides ?? []).filter((o) => !o.neutralised);
  return { isps, hosts, overrides, note: error ? `Live traffic paused: ${error.message}` : undefined, refresh };
}
