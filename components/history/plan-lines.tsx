// A plan as the commands it runs: "+ ip rule add ...", "- ip route del ...".
import type { PlanLine } from "@/lib/net/plan";

const tone = {
  "+": "text-emerald-300",
  "-": "text-red-300",
  "~": "text-amber-300",
  "=": "text-slate-400",
};

export function PlanLines({
  lines,
  empty = "Nothing to change: the gateway already has all of it.",
  label = "Planned commands",
}: {
  lines: PlanLine[];
  empty?: string;
  label?: string;
}) {
  if (lines.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">{empty}</p>;
  return (
    <pre aria-label={label} className="max-h-80 overflow-auto rounded-md bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-100">
      {lines.map((l, i) => (
        <div key={i} className="whitespace-pre-wrap break-all">
          <span className={`select-none ${tone[l.op]}`}>{l.op} </span>
          {l.text}
        </div>
      ))}
    </pre>
  );
}
