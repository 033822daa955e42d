// A small live line chart: `capacity` slots, the newest sample at the right edge, so the line
// grows in from the right as readings arrive. Scaled to its own peak. Plain SVG.
export function Sparkline({
  values: samples,
  capacity = 60,
  label,
  className = "",
}: {
  values: number[];
  capacity?: number;
  label: string;
  className?: string;
}) {
  const W = 120;
  const H = 32;
  // one sample is a level, not a point: draw it across one slot
  const values = (samples.length === 1 ? [samples[0], samples[0]] : samples).slice(-capacity);
  const max = Math.max(1, ...values);
  const slot = W / Math.max(1, capacity - 1);
  const pts = values.map((v, i) => [W - (values.length - 1 - i) * slot, H - 1 - (v / max) * (H - 2)] as const);
  const line = pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  const area = pts.length > 1 ? `M${pts[0][0].toFixed(1)},${H} L${line.replaceAll(" ", " L")} L${W},${H} Z` : "";
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      className={`h-10 w-full text-indigo-500 dark:text-indigo-400 ${className}`}
    >
      <line x1="0" y1={H - 0.5} x2={W} y2={H - 0.5} stroke="currentColor" strokeOpacity="0.25" strokeWidth="1" vectorEffect="non-scaling-stroke" />
      {area && <path d={area} fill="currentColor" fillOpacity="0.12" />}
      {pts.length > 1 && (
        <polyline points={line} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" vectorEffect="non-scaling-stroke" />
      )}
    </svg>
  );
}
