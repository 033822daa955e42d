// Monthly caps of metered ISPs (IspCap) and what they do:
// - a warning per threshold (warnPct) and month, sent once through the notification outbox
//   (emitEvent "usage-cap"; IspCapWarning remembers what was sent, so a restarted monitor or a
//   second reading above the same threshold sends nothing again);
// - with lastResort, an ISP at or above 100 % of its cap is "capped": render treats it like a
//   last resort (lib/net/render/targets.ts): its hosts move to another ISP while one is up.
// Usage counts both directions (sent + received), as metered plans do. Months are local.
// Not staged: the monitor reads the caps at every sample (10 s).
import { db } from "@/lib/db";
import { emitEvent } from "@/lib/notify/events";
import { capFieldsSchema, type CapFields } from "@/lib/validation/usage";
import { formatIssues } from "@/lib/validation/issues";
import { monthKey, trafficOfMonth } from "./traffic";

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];
type Client = Tx | typeof db;

export type Caps = Map<string, CapFields>;

/** Every stored cap by ISP name; a row the schema refuses is left out (and said in `invalid`). */
export async function loadCaps(client: Client = db): Promise<{ caps: Caps; invalid: Map<string, string> }> {
  const caps: Caps = new Map();
  const invalid = new Map<string, string>();
  for (const row of await client.ispCap.findMany({ orderBy: { isp: "asc" } })) {
    const r = capFieldsSchema.safeParse({ capBytes: row.capBytes, warnPct: row.warnPct, lastResort: row.lastResort });
    if (r.success) caps.set(row.isp, r.data);
    else invalid.set(row.isp, formatIssues(r.error.issues));
  }
  return { caps, invalid };
}

/** Store (or, with null, remove) an ISP's cap. */
export async function writeCapRow(client: Client, isp: string, fields: CapFields | null): Promise<void> {
  if (!fields) {
    await client.ispCap.deleteMany({ where: { isp } });
    return;
  }
  const data = { capBytes: fields.capBytes, warnPct: fields.warnPct.join(","), lastResort: fields.lastResort };
  await client.ispCap.upsert({ where: { isp }, create: { isp, ...data }, update: data });
}

/** An ISP was renamed: its cap, totals and warnings go with it. */
export async function renameUsageRows(tx: Tx, from: string, to: string): Promise<void> {
  if (from === to) return;
  for (const table of [tx.ispCap, tx.ispCounter, tx.ispTraffic, tx.ispCapWarning] as unknown as {
    deleteMany(a: unknown): Promise<unknown>;
    updateMany(a: unknown): Promise<unknown>;
  }[]) {
    await table.deleteMany({ where: { isp: to } });
    await table.updateMany({ where: { isp: from }, data: { isp: to } });
  }
}

export interface CapState {
  isp: string;
  cap: CapFields;
  month: string;
  usedBytes: number;
  /** of the cap, 0-... (above 100 when over) */
  percent: number;
  /** over 100 % with lastResort: used only when no other ISP is up */
  capped: boolean;
}

/** Where each capped ISP stands in the month. Pure. */
export function capStates(caps: Caps, used: Map<string, { tx: number; rx: number }>, month: string): CapState[] {
  return [...caps].map(([isp, cap]) => {
    const u = used.get(isp);
    const usedBytes = u ? u.tx + u.rx : 0;
    const percent = (usedBytes / cap.capBytes) * 100;
    return { isp, cap, month, usedBytes, percent, capped: cap.lastResort && usedBytes >= cap.capBytes };
  });
}

/** The thresholds a state has reached, as warnings. Pure. */
export function reached(s: CapState): number[] {
  return s.cap.warnPct.filter((p) => s.percent >= p);
}

/**
 * Check every cap against this month's usage: send the warnings not sent yet (each threshold
 * once per ISP and month) and return the names of the capped ISPs (sorted).
 */
export async function checkCaps(now: number, log: (line: string) => void = () => {}, timeZone?: string): Promise<string[]> {
  const { caps } = await loadCaps();
  if (!caps.size) return [];
  const month = monthKey(now, timeZone);
  const states = capStates(caps, await trafficOfMonth(month), month);
  for (const s of states) {
    const due = reached(s);
    if (!due.length) continue;
    const sent = new Set((await db.ispCapWarning.findMany({ where: { isp: s.isp, month } })).map((w) => w.percent));
    for (const percent of due.filter((p) => !sent.has(p))) {
      try {
        await db.ispCapWarning.create({ data: { isp: s.isp, month, percent } });
      } catch {
        continue; // recorded meanwhile: sent already
      }
      log(`${s.isp}: ${percent} % of its monthly cap used (${Math.round(s.percent)} %)`);
      await emitEvent({ kind: "usage-cap", isp: s.isp, percent, usedBytes: s.usedBytes, capBytes: s.cap.capBytes, month }, log);
    }
  }
  return states
    .filter((s) => s.capped)
    .map((s) => s.isp)
    .sort();
}

/** The capped ISPs now, for applies not run by the monitor (the monitor keeps its own). */
export async function cappedIsps(now = Date.now(), timeZone?: string): Promise<string[]> {
  const { caps } = await loadCaps();
  if (!caps.size) return [];
  const month = monthKey(now, timeZone);
  return capStates(caps, await trafficOfMonth(month), month)
    .filter((s) => s.capped)
    .map((s) => s.isp)
    .sort();
}
