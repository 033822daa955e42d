// A line diff of two texts, changed lines with a little context; the whole text on demand.
import { diffStats, lineDiff, withContext, type DiffLine } from "@/lib/text-diff";

const row = {
  "+": "bg-emerald-950/60 text-emerald-200",
  "-": "bg-red-950/60 text-red-200",
  " ": "text-slate-300",
};

function Lines({ lines, label }: { lines: (DiffLine & { skipped?: number })[]; label: string }) {
  return (
    <pre aria-label={label} className="max-h-[32rem] overflow-auto rounded-md bg-slate-950 py-2 font-mono text-xs leading-relaxed">
      {lines.map((l, i) =>
        l.skipped ? (
          <div key={i} className="px-3 text-slate-500 select-none">
            ⋯ {l.skipped} unchanged {l.skipped === 1 ? "line" : "lines"}
          </div>
        ) : (
          <div key={i} className={`flex gap-3 px-3 ${row[l.op]}`}>
            <span className="w-8 shrink-0 text-right text-slate-500 select-none">{l.a ?? ""}</span>
            <span className="w-8 shrink-0 text-right text-slate-500 select-none">{l.b ?? ""}</span>
            <span className="w-3 shrink-0 select-none">{l.op}</span>
            <span className="whitespace-pre-wrap break-all">{l.text}</span>
          </div>
        ),
      )}
    </pre>
  );
}

export function LineDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const lines = lineDiff(before, after);
  const { added, removed } = diffStats(lines);
  if (added + removed === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">The two rulesets are identical.</p>;
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        <span className="font-medium text-emerald-700 dark:text-emerald-400">{added} added</span>,{" "}
        <span className="font-medium text-red-700 dark:text-red-400">{removed} removed</span> of {lines.length} lines.
      </p>
      <Lines lines={withContext(lines, 3)} label={label} />
      <details>
        <summary className="cursor-pointer text-sm font-medium text-indigo-700 dark:text-indigo-400">Show every line</summary>
        <div className="mt-2">
          <Lines lines={lines} label={`${label} (every line)`} />
        </div>
      </details>
    </div>
  );
}
