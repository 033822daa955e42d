// The learned addresses of dynamic ISPs (DHCP, PPP), kept in the database so that status, the
// ISP pages and each revision can say what runs and since when (not only the monitor's log).
// Written by whoever learns (the monitor on an address event, every apply before it runs);
// learnedAt is when an address was first seen and stays while the lease keeps it.
import { db } from "@/lib/db";
import type { GatewayConfig } from "@/lib/model";
import type { DynamicResolution, Learned, UnlearnedKind } from "@/lib/net/dynamic";
import { isDynamicIsp } from "@/lib/validation/entities";

export interface LearnedRecord {
  isp: string;
  mode: string;
  wan: string;
  address: string | null;
  prefix: number | null;
  gateway: string | null;
  gatewayFrom: Learned["gatewayFrom"] | null;
  learnedAt: Date | null;
  problem: string | null;
  problemKind: UnlearnedKind | null;
  checkedAt: Date;
}

/** What a revision ran each dynamic ISP with: its address and when it was learned, or why it had none. */
export type RevisionLearned = Record<string, { address: string; prefix: number; gateway: string; learnedAt: string | null } | { problem: string }>;

export async function loadLearned(): Promise<LearnedRecord[]> {
  return (await db.learnedAddress.findMany({ orderBy: { isp: "asc" } })) as LearnedRecord[];
}

/** Pure: the rows a resolution makes, given the rows before (an unchanged address keeps its learnedAt). */
export function learnedRows(config: GatewayConfig, dyn: DynamicResolution, before: LearnedRecord[], now: Date): LearnedRecord[] {
  return config.isps.filter(isDynamicIsp).map((isp) => {
    const l = dyn.learned[isp.name] ?? null;
    const old = before.find((r) => r.isp === isp.name);
    const base = { isp: isp.name, mode: isp.addressMode ?? "dhcp", wan: isp.wanInterface, checkedAt: now };
    if (l) {
      const same = old?.address === l.linkAddress && old.prefix === l.linkPrefix && old.wan === isp.wanInterface;
      return { ...base, address: l.linkAddress, prefix: l.linkPrefix, gateway: l.gatewayAddress, gatewayFrom: l.gatewayFrom, learnedAt: same ? old.learnedAt : now, problem: null, problemKind: null };
    }
    const p = dyn.problems.find((x) => x.isp === isp.name);
    const problem = p ? p.message.replace(/: treated as down$/, "") : "nothing learned (the ISP is disabled)";
    return { ...base, address: null, prefix: null, gateway: null, gatewayFrom: null, learnedAt: null, problem, problemKind: p?.kind ?? null };
  });
}

/** Store what was just learned; rows of ISPs that are no longer dynamic go. */
export async function recordLearned(config: GatewayConfig, dyn: DynamicResolution, now = new Date()): Promise<LearnedRecord[]> {
  const rows = learnedRows(config, dyn, await loadLearned(), now);
  await db.$transaction([
    db.learnedAddress.deleteMany({ where: { isp: { notIn: rows.map((r) => r.isp) } } }),
    ...rows.map((r) => db.learnedAddress.upsert({ where: { isp: r.isp }, create: r, update: r })),
  ]);
  return rows;
}

/** Pure: the revision's record of its dynamic ISPs, from the configuration it ran (learned values in it) and the rows. */
export function revisionLearned(ran: GatewayConfig, rows: LearnedRecord[]): RevisionLearned | null {
  const out: RevisionLearned = {};
  for (const isp of ran.isps.filter(isDynamicIsp)) {
    const row = rows.find((r) => r.isp === isp.name);
    if (isp.linkAddress) {
      const learnedAt = row?.address === isp.linkAddress ? row.learnedAt?.toISOString() ?? null : null;
      out[isp.name] = { address: isp.linkAddress, prefix: isp.linkPrefix, gateway: isp.gatewayAddress, learnedAt };
    } else out[isp.name] = { problem: row?.problem ?? "nothing learned" };
  }
  return Object.keys(out).length ? out : null;
}
