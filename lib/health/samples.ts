// Long-term traffic and health per ISP, kept in SQLite (model IspSample) so the graphs
// survive a reload and a restart:
//   10 s rows (traffic rates from SWYD-ACCT, mean RTT, mean loss, worst state) kept 24 h;
//   300 s rows, the averages of the 10 s rows of each finished 5-minute bucket, kept 30 days.
// The monitor calls sampler.tick(health, isps) every tick (~1 s); the sampler collects the
// health readings and, every 10 s, reads the accounting counters (one `iptables-save -c -t
// mangle`), writes one row per ISP, rolls up finished 5-minute buckets and prunes old rows.
// A failed tick is logged and skipped: samples never stop the monitor.
// Nothing is recorded where nothing was measured: an ISP without a probe result yet (or not
// in `health` at all: the monitor gives none before the first user apply) has no loss, RTT or
// state in its row, and a row with nothing known (no reading, no traffic rate) is not written,
// so the charts show a gap, never a 100 % loss that no probe saw.
import { db } from "@/lib/db";
import type { IspConfig } from "@/lib/model";
import { BINARIES, run, type Target } from "@/lib/net/exec";
import { parseAccountingRule } from "@/lib/net/parse/ipt-spec";
import { parseIptablesSave } from "@/lib/net/parse/iptables-save";
import { parseNftTableJson } from "@/lib/net/parse/nft-json";
import { NFT_FAMILY, NFT_NAME } from "@/lib/net/types";
import { existsSync } from "node:fs";
import type { FirewallBackend } from "@/lib/model";
import { CHAINS } from "@/lib/net/render";
import { insertGaps } from "@/lib/charts/series";
import { measured, type IspHealthState } from "./state";

export const FINE_S = 10;
export const COARSE_S = 300;
export const FINE_KEEP_MS = 24 * 3600_000;
export const COARSE_KEEP_MS = 30 * 24 * 3600_000;

export type Counters = Record<string, { tx: number; rx: number }>;

/** SWYD-ACCT counters by WAN interface from `iptables-save -c -t mangle`, or from `nft -j list chain inet switchyard SWYD-ACCT`. Pure. */
export function accountingCounters(output: string, backend: FirewallBackend = "iptables"): Counters {
  const out: Counters = Object.create(null);
  const chains = backend === "nftables" ? parseNftTableJson(output).chains : parseIptablesSave(output).chains.filter((c) => c.table === "mangle");
  const acct = chains.find((c) => c.name === CHAINS.acct);
  for (const r of acct?.rules ?? []) {
    const m = parseAccountingRule(r.spec);
    if (!m) continue;
    const c = (out[m.dev] ??= { tx: 0, rx: 0 });
    if (m.direction === "out") c.tx += r.bytes ?? 0;
    else c.rx += r.bytes ?? 0;
  }
  return out;
}

/** Bytes/s between two readings; null when unknown (first reading, or the chain was reloaded). */
export function rate(before: number | undefined, after: number | undefined, seconds: number): number | null {
  if (before === undefined || after === undefined || !(seconds > 0) || after < before) return null;
  return (after - before) / seconds;
}

const RANK = { "": 0, up: 1, degraded: 2, down: 3 } as const;
type StateName = keyof typeof RANK;
const worse = (a: StateName, b: StateName): StateName => (RANK[b] > RANK[a] ? b : a);

interface Acc {
  rtt: number[];
  loss: number[];
  state: StateName;
}

export interface SampleRow {
  at: Date;
  resolution: number;
  isp: string;
  txRate: number | null;
  rxRate: number | null;
  rttMs: number | null;
  lossPct: number | null;
  state: string;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const meanOf = (xs: (number | null)[]) => mean(xs.filter((x): x is number => x !== null));

/** The 300 s row of one ISP from its 10 s rows in that bucket. Pure. */
export function rollUp(isp: string, at: Date, fine: SampleRow[]): SampleRow {
  return {
    at,
    resolution: COARSE_S,
    isp,
    txRate: meanOf(fine.map((r) => r.txRate)),
    rxRate: meanOf(fine.map((r) => r.rxRate)),
    rttMs: meanOf(fine.map((r) => r.rttMs)),
    lossPct: meanOf(fine.map((r) => r.lossPct)),
    state: fine.reduce<StateName>((s, r) => worse(s, (r.state in RANK ? r.state : "") as StateName), ""),
  };
}

const bucket = (ms: number, seconds: number) => Math.floor(ms / (seconds * 1000)) * seconds * 1000;

export interface Sampler {
  tick(health: Record<string, IspHealthState>, isps: IspConfig[]): void;
  /** the write in progress, if any (tests, shutdown) */
  flush(): Promise<void>;
}

/** The accounting counters of whichever backend runs: Switchyard's nftables chain if it is there, else iptables'. */
export async function readAccounting(target: Target): Promise<Counters | null> {
  if (existsSync(BINARIES.nft)) {
    const nft = await run(target, "nft", ["-j", "list", "chain", NFT_FAMILY, NFT_NAME, CHAINS.acct], { allowFailure: true, timeoutMs: 5_000 });
    if (nft.exitCode === 0) return accountingCounters(nft.stdout, "nftables");
  }
  const res = await run(target, "iptables-save", ["-c", "-t", "mangle"], { allowFailure: true, timeoutMs: 5_000 });
  return res.exitCode === 0 ? accountingCounters(res.stdout) : null;
}

export interface SamplerOptions {
  log?: (line: string) => void;
  now?: () => number;
  /** every reading of the counters (null: none could be read), after the rows are written: usage totals (lib/usage) */
  onCounters?: (counters: Counters | null, at: number, isps: IspConfig[]) => Promise<void>;
}

export function createSampler(target: Target, opts: SamplerOptions = {}): Sampler {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const acc = new Map<string, Acc>();
  let bucketStart = bucket(now(), FINE_S);
  let last: { at: number; counters: Counters } | null = null;
  let writing: Promise<void> | null = null;
  let lastRollUp = bucket(now(), COARSE_S);

  async function write(at: number, isps: IspConfig[], taken: Map<string, Acc>) {
    const counters = await readAccounting(target);
    const t = now();
    const dt = last ? (t - last.at) / 1000 : 0;
    const rows = isps.flatMap((isp) => {
      const a = taken.get(isp.name);
      const before = last?.counters[isp.wanInterface];
      const after = counters?.[isp.wanInterface];
      const row = {
        at: new Date(at),
        resolution: FINE_S,
        isp: isp.name,
        txRate: rate(before?.tx, after?.tx, dt),
        rxRate: rate(before?.rx, after?.rx, dt),
        rttMs: a ? mean(a.rtt) : null,
        lossPct: a ? mean(a.loss) : null,
        state: a?.state ?? "",
      };
      return row.txRate === null && row.rxRate === null && row.lossPct === null && row.rttMs === null ? [] : [row];
    });
    last = counters ? { at: t, counters } : null;
    if (rows.length)
      await db.$transaction(
        rows.map((data) =>
          db.ispSample.upsert({ where: { resolution_isp_at: { resolution: FINE_S, isp: data.isp, at: data.at } }, create: data, update: data }),
        ),
      );
    await opts.onCounters?.(counters, t, isps);
    const coarse = bucket(t, COARSE_S);
    if (coarse > lastRollUp) {
      await rollUpBucket(lastRollUp);
      lastRollUp = coarse;
      await prune(t);
    }
  }

  return {
    tick(health, isps) {
      const b = bucket(now(), FINE_S);
      if (b > bucketStart && !writing) {
        // this reading belongs to the new bucket: write the finished one first
        const taken = new Map(acc);
        acc.clear();
        const at = bucketStart;
        bucketStart = b;
        writing = write(at, isps, taken)
          .catch((e) => log(`writing traffic samples: ${e instanceof Error ? e.message : e}`))
          .finally(() => (writing = null));
      }
      for (const isp of isps) {
        const h = health[isp.name];
        if (!h || !measured(h)) continue;
        const a = acc.get(isp.name) ?? { rtt: [], loss: [], state: "" };
        if (h.rttMs !== null) a.rtt.push(h.rttMs);
        a.loss.push(h.lossPct);
        a.state = worse(a.state, h.state);
        acc.set(isp.name, a);
      }
    },
    async flush() {
      await writing;
    },
  };
}

/** Average the 10 s rows of the 5-minute bucket starting at `from` into 300 s rows. */
export async function rollUpBucket(from: number): Promise<void> {
  const fine = await db.ispSample.findMany({ where: { resolution: FINE_S, at: { gte: new Date(from), lt: new Date(from + COARSE_S * 1000) } } });
  const byIsp = new Map<string, SampleRow[]>();
  for (const r of fine) byIsp.set(r.isp, [...(byIsp.get(r.isp) ?? []), r]);
  const rows = [...byIsp].map(([isp, rs]) => rollUp(isp, new Date(from), rs));
  await db.$transaction(
    rows.map((data) => db.ispSample.upsert({ where: { resolution_isp_at: { resolution: COARSE_S, isp: data.isp, at: data.at } }, create: data, update: data })),
  );
}

export async function prune(now: number): Promise<void> {
  await db.ispSample.deleteMany({
    where: {
      OR: [
        { resolution: FINE_S, at: { lt: new Date(now - FINE_KEEP_MS) } },
        { resolution: COARSE_S, at: { lt: new Date(now - COARSE_KEEP_MS) } },
      ],
    },
  });
}

export type SampleRange = "1h" | "24h" | "30d";
export const RANGES: Record<SampleRange, { resolution: number; ms: number }> = {
  "1h": { resolution: FINE_S, ms: 3600_000 },
  "24h": { resolution: FINE_S, ms: FINE_KEEP_MS },
  "30d": { resolution: COARSE_S, ms: COARSE_KEEP_MS },
};

/** At most this many points per ISP and range are sent to the browser. */
export const MAX_POINTS = 1500;

/** Rows averaged into buckets of `seconds` (one row per ISP and bucket, oldest first). Pure. */
export function downsample(rows: SampleRow[], seconds: number): SampleRow[] {
  const groups = new Map<string, SampleRow[]>();
  for (const r of rows) {
    const k = `${bucket(r.at.getTime(), seconds)}\u0000${r.isp}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()]
    .map((g) => ({ ...rollUp(g[0].isp, new Date(bucket(g[0].at.getTime(), seconds)), g), resolution: seconds }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Samples of every ISP over a range, oldest first (the Live page's long-term graphs). */
export async function loadSamples(range: SampleRange, now = Date.now()): Promise<SampleRow[]> {
  const r = RANGES[range];
  const rows = await db.ispSample.findMany({ where: { resolution: r.resolution, at: { gte: new Date(now - r.ms) } }, orderBy: { at: "asc" } });
  const step = Math.ceil(r.ms / 1000 / MAX_POINTS / r.resolution) * r.resolution;
  return step > r.resolution ? downsample(rows, step) : rows;
}

export interface SeriesResponse {
  range: SampleRange;
  /** seconds per point */
  step: number;
  /** the range shown, seconds since the epoch: the x axis spans it whatever was measured */
  from: number;
  to: number;
  /** bucket starts, seconds since the epoch (uPlot's x axis); a gap in the samples holds one point of nulls */
  at: number[];
  isps: { name: string; tx: (number | null)[]; rx: (number | null)[]; rtt: (number | null)[]; loss: (number | null)[] }[];
}

/**
 * Rows -> one shared time axis and aligned series per ISP (null where an ISP has no row). Where
 * nothing was measured for more than two steps (no monitor, nothing applied yet) one point of
 * nulls breaks the lines: a chart never draws a line across time nobody measured. Pure.
 */
export function alignSeries(range: SampleRange, rows: SampleRow[], now = Date.now()): SeriesResponse {
  const step = rows.length ? rows[0].resolution : RANGES[range].resolution;
  const measured = [...new Set(rows.map((r) => r.at.getTime()))].sort((a, b) => a - b);
  const at = insertGaps(measured, step * 1000);
  const index = new Map(at.map((t, i) => [t, i]));
  const names = [...new Set(rows.map((r) => r.isp))].sort();
  const isps = names.map((name) => ({
    name,
    tx: at.map(() => null as number | null),
    rx: at.map(() => null as number | null),
    rtt: at.map(() => null as number | null),
    loss: at.map(() => null as number | null),
  }));
  const byName = new Map(isps.map((s) => [s.name, s]));
  for (const r of rows) {
    const s = byName.get(r.isp)!;
    const i = index.get(r.at.getTime())!;
    s.tx[i] = r.txRate;
    s.rx[i] = r.rxRate;
    // a bucket without a health reading measured no loss and no RTT
    s.rtt[i] = r.state === "" ? null : r.rttMs;
    s.loss[i] = r.state === "" ? null : r.lossPct;
  }
  return { range, step, from: Math.floor((now - RANGES[range].ms) / 1000), to: Math.ceil(now / 1000), at: at.map((t) => t / 1000), isps };
}

/** Rows of buckets that ended before `since` (the first apply): nothing was measured then, whatever a row says. Pure. */
export function measuredSince(rows: SampleRow[], since: Date | null): SampleRow[] {
  if (!since) return [];
  return rows.filter((r) => r.at.getTime() + r.resolution * 1000 > since.getTime());
}
