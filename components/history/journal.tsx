// The commands an apply ran, in order: argv, exit code, duration, and the stdin it
// was given (ip -batch lines, iptables-restore input). What an admin reads to see
// exactly what touched the kernel.
import type { JournalEntry } from "@/lib/net/exec";

export function Journal({ entries }: { entries: JournalEntry[] }) {
  if (entries.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No commands were recorded for this revision.</p>;
  return (
    <ol aria-label="Commands run" className="space-y-2 font-mono text-xs">
      {entries.map((e, i) => (
        <li key={i} className="rounded-md border border-slate-200 p-2 dark:border-slate-800">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <span className="break-all">{e.argv.join(" ")}</span>
            <span className={e.exitCode === 0 ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}>
              exit {e.exitCode} · {e.durationMs} ms
            </span>
          </div>
          {e.stderr && <pre className="mt-1 whitespace-pre-wrap text-red-700 dark:text-red-400">{e.stderr}</pre>}
          {e.input && (
            <details className="mt-1">
              <summary className="cursor-pointer text-slate-500">stdin ({e.input.split("\n").filter(Boolean).length} lines)</summary>
              <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-950 p-2 text-slate-100">{e.input}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
