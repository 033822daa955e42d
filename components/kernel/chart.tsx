"use client";
// One long-term chart: uPlot on a canvas, the x axis the chosen range (not the data's extent),
// the y axis from lib/charts/scale.ts (a unit that fits, labels never clipped), lines broken
// where nothing was measured, a lone reading drawn as a dot. The legend is ours, not uPlot's:
// it shows the readings under the pointer (mouse, or a finger: uPlot itself follows only the
// mouse) and the newest readings otherwise, and each series' line style beside its colour.
import { useEffect, useMemo, useRef, useState } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { axisWidth, formatValue, tickLabels, yTicks, type Quantity } from "@/lib/charts/scale";
import { isolatedPoints, latestIndex, nearestIndex } from "@/lib/charts/series";

export type ChartSeries = { label: string; values: (number | null)[]; color: string; dash?: number[] };

const HEIGHT = 180;
const FONT = "12px ui-sans-serif, system-ui, sans-serif";
const AXIS = {
  stroke: "#64748b",
  font: FONT,
  grid: { stroke: "rgba(100,116,139,0.15)", width: 1 },
  ticks: { stroke: "rgba(100,116,139,0.3)", width: 1, size: 6 },
};

let measurer: CanvasRenderingContext2D | null = null;
function measure(text: string): number {
  measurer ??= document.createElement("canvas").getContext("2d");
  if (!measurer) return text.length * 7.5;
  measurer.font = FONT;
  return measurer.measureText(text).width;
}

const timeLabel = (s: number, span: number) =>
  new Date(s * 1000).toLocaleString(
    undefined,
    span > 2 * 86400
      ? { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }
      : { hour: "2-digit", minute: "2-digit", second: span <= 3600 ? "2-digit" : undefined },
  );

interface Props {
  title: string;
  at: number[];
  span: [number, number];
  step: number;
  series: ChartSeries[];
  quantity: Quantity;
}

export function Chart({ title, at, span, step, series, quantity }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  // the times at which this chart has a reading (the x axis is shared by every ISP's charts)
  const own = useMemo(() => at.flatMap((_, i) => (series.some((s) => s.values[i] !== null) ? [i] : [])), [at, series]);
  const ownTimes = useMemo(() => own.map((i) => at[i]), [own, at]);
  const latest = useRef({ at, span, step, series });
  latest.current = { at, span, step, series };
  // where the pointer is (s) and how near a reading must be to be named there; null: no pointer on
  // the chart. A time, not an index: a refresh every 10 s shifts the indexes under it.
  const [pointer, setPointer] = useState<{ t: number; near: number } | null>(null);
  const [drawn, setDrawn] = useState<{ x: [number, number]; y: string[] } | null>(null);
  const shape = series.map((s) => `${s.label}/${s.color}/${s.dash?.join(",") ?? ""}`).join("|");
  const points = series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
  const empty = points === 0; // no samples: no box to draw in

  // the plot is made once per set of series and fed new data in place (refreshes keep the pointer)
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let plot: uPlot | null = null;
    let gone = false;
    let yTickValues: number[] = [0, 1];
    let away: ((e: TouchEvent) => void) | null = null;
    const observer = new ResizeObserver(() => plot?.setSize({ width: el.clientWidth, height: HEIGHT }));
    // a reading is named when within 1.5 steps or 12 px of the pointer: never a value from elsewhere
    const follow = (u: uPlot) => {
      const left = u.cursor.left ?? -1;
      if (left < 0) return setPointer(null);
      const t = u.posToVal(left, "x");
      const px = Math.abs(u.posToVal(left + 12, "x") - t);
      setPointer({ t, near: Math.max(1.5 * latest.current.step, px) });
    };
    void import("uplot").then(({ default: UPlot }) => {
      if (gone) return;
      const { series: ss } = latest.current;
      plot = new UPlot(
        {
          width: el.clientWidth,
          height: HEIGHT,
          legend: { show: false },
          cursor: { y: false, drag: { x: false, y: false, setScale: false }, points: { size: 8 } },
          scales: {
            // the x axis is the chosen range, whatever was measured in it
            x: { time: true, range: () => latest.current.span },
            y: {
              range: (_u, _min, max) => {
                yTickValues = yTicks(max, quantity);
                return [0, yTickValues[yTickValues.length - 1]];
              },
            },
          },
          axes: [
            { ...AXIS, space: 80 },
            {
              ...AXIS,
              splits: () => yTickValues,
              values: (_u, splits) => tickLabels(splits, quantity),
              size: (_u, values) => axisWidth(values ?? tickLabels(yTickValues, quantity), measure, AXIS.ticks.size),
            },
          ],
          series: [
            {},
            ...ss.map((s) => ({
              label: s.label,
              stroke: s.color,
              width: 2,
              dash: s.dash,
              spanGaps: false,
              points: { show: true, size: 6, fill: s.color, filter: (u: uPlot, i: number) => isolatedPoints(u.data[i] as (number | null)[]) },
            })),
          ],
          hooks: {
            setCursor: [follow],
            draw: [(u) => setDrawn({ x: [u.scales.x.min ?? 0, u.scales.x.max ?? 0], y: tickLabels(yTickValues, quantity) })],
          },
        },
        [latest.current.at, ...ss.map((s) => s.values)] as uPlot.AlignedData,
        el,
      );
      plotRef.current = plot;
      observer.observe(el);
      // a finger moves the cursor too; horizontal drags read along the line, vertical ones scroll the page
      const over = plot.over;
      over.style.touchAction = "pan-y";
      const touch = (e: TouchEvent) => {
        const p = e.touches[0];
        if (!p || !plot) return;
        const r = over.getBoundingClientRect();
        plot.setCursor({ left: Math.min(Math.max(p.clientX - r.left, 0), r.width), top: Math.min(Math.max(p.clientY - r.top, 0), r.height) });
      };
      over.addEventListener("touchstart", touch, { passive: true });
      over.addEventListener("touchmove", touch, { passive: true });
      // a finger never "leaves" the chart: a touch anywhere else puts the readout back on the latest readings
      away = (e: TouchEvent) => !over.contains(e.target as Node) && plot?.setCursor({ left: -10, top: -10 });
      document.addEventListener("touchstart", away, { passive: true });
    });
    return () => {
      gone = true;
      if (away) document.removeEventListener("touchstart", away);
      observer.disconnect();
      plot?.destroy();
      plotRef.current = null;
    };
  }, [shape, quantity, empty]); // data arrives through `latest` and the effect below, not by remaking the plot

  const spanLength = span[1] - span[0];
  useEffect(() => {
    plotRef.current?.setData([at, ...series.map((s) => s.values)] as uPlot.AlignedData);
  }, [at, series, span]);
  // another range: where the pointer was means something else now
  useEffect(() => plotRef.current?.setCursor({ left: -10, top: -10 }), [spanLength]);

  const near = pointer ? nearestIndex(ownTimes, pointer.t, pointer.near) : null;
  const shown = pointer ? (near === null ? null : own[near]) : latestIndex(series.map((s) => s.values));
  const spanS = span[1] - span[0];
  return (
    <figure
      role="group"
      aria-label={title}
      data-x-min={drawn?.x[0]}
      data-x-max={drawn?.x[1]}
      data-y-labels={drawn ? JSON.stringify(drawn.y) : undefined}
      className="min-w-0 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
    >
      <figcaption className="mb-1 text-sm font-semibold">{title}</figcaption>
      {points === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">No samples in this range yet.</p>
      ) : (
        <div
          ref={box}
          role="img"
          aria-label={`${title}: ${points} samples from ${timeLabel(span[0], spanS)} to ${timeLabel(span[1], spanS)}`}
          className="select-none"
        />
      )}
      {points > 0 && (
        <div
          role="status"
          aria-label={`${title} readout`}
          className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400"
        >
          <span className="tabular-nums">
            {pointer
              ? shown !== null
                ? timeLabel(at[shown], spanS)
                : `${timeLabel(pointer.t, spanS)}, nothing measured`
              : shown !== null
                ? `latest, ${timeLabel(at[shown], spanS)}`
                : ""}
          </span>
          {series.map((s) => (
            <span key={s.label} data-series={s.label} className="inline-flex items-center gap-1.5">
              <svg width="22" height="8" aria-hidden="true">
                <line x1="1" y1="4" x2="21" y2="4" stroke={s.color} strokeWidth="2" strokeDasharray={s.dash?.join(" ")} />
              </svg>
              <span>{s.label}</span>
              <span data-value className="font-medium tabular-nums text-slate-900 dark:text-slate-100">
                {formatValue(shown === null ? null : s.values[shown], quantity)}
              </span>
            </span>
          ))}
        </div>
      )}
    </figure>
  );
}
