"use client";
// Long-term graphs of the Live page: per-ISP traffic, latency and loss as the monitor kept
// them (GET /api/health/samples), drawn with uPlot (~21 KiB gzipped, loaded only here, on
// demand). Refreshed every 10 s, the samples' resolution.
import { useEffect, useMemo, useRef, useState } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { SampleRange, SeriesResponse } from "@/lib/health/samples";
import { formatBytes } from "./format";

const RANGE_LABELS: Record<SampleRange, string> = { "1h": "1 hour", "24h": "24 hours", "30d": "30 days" };
const COLORS = ["#4f46e5", "#059669", "#d97706", "#dc2626", "#0891b2", "#7c3aed"];

type Series = { label: string; values: (number | null)[]; color: string; dash?: number[] };

function Chart({ title, at, span, series, unit }: { title: string; at: number[]; span: [number, number]; series: Series[]; unit: (v: number) => string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let plot: uPlot | null = null;
    let gone = false;
    const observer = new ResizeObserver(() => plot?.setSize({ width: el.clientWidth, height: 160 }));
    void import("uplot").then(({ default: UPlot }) => {
      if (gone) return;
      plot = new UPlot({
        width: el.clientWidth, height: 160,
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
        // the x axis is the chosen range, not just where samples exist
        scales: { x: { time: true, range: () => span }, y: { range: (_u, min, max) => [0, Math.max(max ?? 0, min ?? 0, 1e-9) * 1.1] } },
        axes: [{ stroke: "#64748b" }, { stroke: "#64748b", size: 64, values: (_u, vals) => vals.map((v) => unit(v)) }],
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, dash: s.dash, spanGaps: false, value: (_u: uPlot, v: number | null) => (v === null ? "–" : unit(v)) }))],
      }, [at, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
      observer.observe(el);
    });
    return () => {
      gone = true;
      observer.disconnect();
      plot?.destroy();
    };
  }, [at, span, series, unit]);
  const points = series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
  return (
    <figure role="group" aria-label={title} className="min-w-0 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <figcaption className="mb-1 text-sm font-semibold">{title}</figcaption>
      {points === 0 ? <p className="text-sm text-slate-500 dark:text-slate-400">No samples in this range yet.</p> : <div ref={box} role="img" aria-label={`${title}: ${points} samples`} />}
    </figure>
  );
}

const rateUnit = (v: number) => `${formatBytes(v)}/s`;
const msUnit = (v: number) => `${Math.round(v * 10) / 10} ms`;
const pctUnit = (v: number) => `${Math.round(v)} %`;

export function LongTermGraphs() {
  const [range, setRange] = useState<SampleRange>("1h");
  const [data, setData] = useState<SeriesResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const res = await fetch(`/api/health/samples?range=${range}`, { cache: "no-store" });
        if (!res.ok) throw new Error(res.status === 401 ? "Your session has ended: log in again." : `the server answered ${res.status}`);
        const body = (await res.json()) as SeriesResponse;
        if (!stopped) { setData(body); setError(null); }
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void load();
    const t = setInterval(() => document.visibilityState === "visible" && void load(), 10_000);
    return () => { stopped = true; clearInterval(t); };
  }, [range]);

  return (
    <div role="region" aria-label="Long-term history" className="mt-6 space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-semibold">History <span className="font-normal text-sm text-slate-500 dark:text-slate-400">kept by the monitor: 10 s for 24 h, 5 min for 30 days</span></h3>
        <div role="group" aria-label="Range" className="inline-flex overflow-hidden rounded-md ring-1 ring-slate-300 dark:ring-slate-700">
          {(Object.keys(RANGE_LABELS) as SampleRange[]).map((r) => (
            <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}
              className={`px-3 py-1 text-sm ${range === r ? "bg-indigo-600 text-white" : "bg-white text-slate-700 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-300"}`}>
              {RANGE_LABELS[r]}
            </button>
          ))}
        </div>
      </div>
      {error && <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load the history: {error}</p>}
      {data && data.isps.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">No samples yet: nothing was measured in this range (the monitor writes them once a configuration is applied, <code className="font-mono">switchyard monitor</code>).</p>}
      {data && data.isps.length > 0 && <Graphs data={data} />}
    </div>
  );
}

function Graphs({ data }: { data: SeriesResponse }) {
  const charts = useMemo(() => build(data), [data]); // stable per response: charts rebuild only on new data
  const span = useMemo<[number, number]>(() => [data.from, data.to], [data]);
  return (
    <div className="grid grid-cols-[repeat(auto-fit,minmax(min(100%,22rem),1fr))] gap-3">
      {charts.traffic.map((c) => <Chart key={c.title} title={c.title} at={data.at} span={span} series={c.series} unit={rateUnit} />)}
      <Chart title="Latency per ISP" at={data.at} span={span} series={charts.rtt} unit={msUnit} />
      <Chart title="Loss per ISP" at={data.at} span={span} series={charts.loss} unit={pctUnit} />
    </div>
  );
}

function build(data: SeriesResponse) {
  return {
    traffic: data.isps.map((s, i) => ({
      title: `Traffic ${s.name}`,
      series: [
        { label: "sent", values: s.tx, color: COLORS[i % COLORS.length] },
        { label: "received", values: s.rx, color: COLORS[i % COLORS.length], dash: [4, 3] },
      ],
    })),
    rtt: data.isps.map((s, i) => ({ label: s.name, values: s.rtt, color: COLORS[i % COLORS.length] })),
    loss: data.isps.map((s, i) => ({ label: s.name, values: s.loss, color: COLORS[i % COLORS.length] })),
  };
}
