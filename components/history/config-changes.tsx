// Configuration changes in words: "host laptop: ISP: ISP2 → ISP1".
import type { ConfigChange } from "@/lib/config-diff";

const mark = { added: "+", removed: "−", changed: "~" };
const color = {
  added: "text-emerald-700 dark:text-emerald-400",
  removed: "text-red-700 dark:text-red-400",
  changed: "text-amber-700 dark:text-amber-400",
};

export function ConfigChanges({ changes, empty = "No differences." }: { changes: ConfigChange[]; empty?: string }) {
  if (changes.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">{empty}</p>;
  return (
    <ul aria-label="Configuration changes" className="space-y-1 text-sm">
      {changes.map((c) => (
        <li key={`${c.kind}|${c.name}|${c.op}`} className="flex gap-2">
          <span aria-hidden className={`w-3 shrink-0 font-mono font-bold ${color[c.op]}`}>
            {mark[c.op]}
          </span>
          <span className="min-w-0">
            <span className="font-medium">
              {c.kind} {c.name}
            </span>
            <span className="text-slate-700 dark:text-slate-300">
              {c.op === "changed" ? `: ${c.details.join("; ")}` : ` ${c.op}${c.details.length ? ` (${c.details.join("; ")})` : ""}`}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
