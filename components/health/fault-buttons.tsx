"use client";
// Lab only: cut an ISP's upstream or link, or restore it (the monitor must notice by itself).
import { useState, useTransition } from "react";
import { labFaultAction } from "@/app/(admin)/lab-fault-actions";

const FAULTS = [
  { fault: "upstream-down", label: "Cut upstream" },
  { fault: "link-down", label: "Cut link" },
  { fault: "restore", label: "Restore" },
] as const;

export function FaultButtons({ isp, onDone }: { isp: string; onDone?: () => void }) {
  const [pending, start] = useTransition();
  const [msg, setMsg] = useState<string | null>(null);
  const fire = (fault: string, label: string) =>
    start(async () => {
      const r = await labFaultAction(isp, fault);
      setMsg(r.error ? `Failed: ${r.error}` : `${label}: done`);
      if (!r.error) setTimeout(() => setMsg(null), 5000);
      onDone?.();
    });
  return (
    <div role="group" aria-label={`Lab faults for ${isp}`} className="mt-2 flex flex-wrap items-center gap-1">
      <span className="text-[11px] tracking-wide text-slate-500 uppercase dark:text-slate-400">lab</span>
      {FAULTS.map((f) => (
        <button
          key={f.fault}
          type="button"
          disabled={pending}
          onClick={() => fire(f.fault, f.label)}
          aria-label={`${f.label} of ${isp}`}
          className="rounded border border-slate-300 px-1.5 py-0.5 text-[11px] hover:bg-slate-100 disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          {f.label}
        </button>
      ))}
      {msg && (
        <span className="text-[11px] text-slate-500 dark:text-slate-400" aria-live="polite">
          {msg}
        </span>
      )}
    </div>
  );
}
