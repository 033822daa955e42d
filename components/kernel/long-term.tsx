"use client";
// Long-term graphs of the Live page: per-ISP traffic, latency and loss as the monitor kept
// them (GET /api/health/samples), drawn with uPlot (~21 KiB gzipped, loaded only here, on
// demand). Refreshed every 10 s, the samples' resolution.
import { useEffect, useMemo, useState } from "react";
import type { SampleRange, SeriesResponse } from "@/lib/health/samples";
import { Chart, type ChartSeries } from "./chart";

const RANGE_LABELS: Record<SampleRange, string> = { "1h": "1 hour", "24h": "24 hours", "30d": "30 days" };
// sent and received differ in colour AND line style (blue solid, orange dashed: apart for
// colour-blind eyes too); ISPs on one chart differ the same way
const SENT = { color: "#2563eb" };
const RECEIVED = { color: "#ea580c", dash: [6, 4] };
const ISP_STYLES: { color: string; dash?: number[] }[] = [
  { color: "#2563eb" },
  { color: "#ea580c", dash: [6, 4] },
  { color: "#059669", dash: [2, 3] },
  { color: "#9333ea", dash: [10, 3, 2, 3] },
  { color: "#0891b2", dash: [12, 4] },
  { color: "#be123c", dash: [3, 6] },
];

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
        if (!stopped) {
          setData(body);
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void load();
    const t = setInterval(() => document.visibilityState === "visible" && void load(), 10_000);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [range]);

  return (
    <div role="region" aria-label="Long-term history" className="mt-6 space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-semibold">
          History <span className="font-normal text-sm text-slate-500 dark:text-slate-400">kept by the monitor: 10 s for 24 h, 5 min for 30 days</span>
        </h3>
        <div role="group" aria-label="Range" className="inline-flex overflow-hidden rounded-md ring-1 ring-slate-300 dark:ring-slate-700">
          {(Object.keys(RANGE_LABELS) as SampleRange[]).map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={range === r}
              onClick={() => setRange(r)}
              className={`px-3 py-1 text-sm ${range === r ? "bg-indigo-600 text-white" : "bg-white text-slate-700 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-300"}`}
            >
              {RANGE_LABELS[r]}
            </button>
          ))}
        </div>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not load the history: {error}
        </p>
      )}
      {data && data.isps.length === 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No samples yet: nothing was measured in this range (the monitor writes them once a configuration is applied,{" "}
          <code className="font-mono">switchyard monitor</code>).
        </p>
      )}
      {data && data.isps.length > 0 && <Graphs data={data} />}
    </div>
  );
}

function Graphs({ data }: { data: SeriesResponse }) {
  const charts = useMemo(() => build(data), [data]); // stable per response: charts rebuild only on new data
  const span = useMemo<[number, number]>(() => [data.from, data.to], [data]);
  const common = { at: data.at, span, step: data.step };
  return (
    <div className="grid grid-cols-[repeat(auto-fit,minmax(min(100%,22rem),1fr))] gap-3">
      {charts.traffic.map((c) => (
        <Chart key={c.title} title={c.title} {...common} series={c.series} quantity="rate" />
      ))}
      <Chart title="Latency per ISP" {...common} series={charts.rtt} quantity="ms" />
      <Chart title="Loss per ISP" {...common} series={charts.loss} quantity="pct" />
    </div>
  );
}

function build(data: SeriesResponse): { traffic: { title: string; series: ChartSeries[] }[]; rtt: ChartSeries[]; loss: ChartSeries[] } {
  const style = (i: number) => ISP_STYLES[i % ISP_STYLES.length];
  return {
    traffic: data.isps.map((s) => ({
      title: `Traffic ${s.name}`,
      series: [
        { label: "sent", values: s.tx, ...SENT },
        { label: "received", values: s.rx, ...RECEIVED },
      ],
    })),
    rtt: data.isps.map((s, i) => ({ label: s.name, values: s.rtt, ...style(i) })),
    loss: data.isps.map((s, i) => ({ label: s.name, values: s.loss, ...style(i) })),
  };
}
