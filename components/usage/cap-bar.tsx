// A monthly cap as a bar: the share used, ticks at the warning levels, red once over.
export function CapBar({ percent, warn, label }: { percent: number; warn: number[]; label: string }) {
  const shown = Math.min(100, Math.max(0, percent));
  const tone = percent >= 100 ? "bg-red-600" : warn.some((w) => percent >= w) ? "bg-amber-500" : "bg-emerald-600";
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(shown)}
      className="relative mt-2 h-2 w-full max-w-md rounded bg-slate-200 dark:bg-slate-700"
    >
      <div className={`h-2 rounded ${tone}`} style={{ width: `${shown}%` }} />
      {warn
        .filter((w) => w < 100)
        .map((w) => (
          <span key={w} aria-hidden className="absolute top-0 h-2 w-px bg-slate-500" style={{ left: `${w}%` }} />
        ))}
    </div>
  );
}
