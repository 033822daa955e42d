"use client";
// "MAC seen on the LAN: aa:bb:…  [Use it]" for a host without a MAC (docs/ipv6.md): its IPv6 is
// matched by its MAC, and the gateway's neighbour table already knows it. The action reads the
// table again and stores what it shows then (a staged change, like typing it into the form).
import { useState, useTransition } from "react";
import { storeSeenMacAction } from "@/app/(admin)/hosts/actions";

export function SeenMac({ hostId, mac, compact = false }: { hostId: number; mac: string; compact?: boolean }) {
  const [pending, start] = useTransition();
  const [answer, setAnswer] = useState<{ error?: string; mac?: string } | null>(null);
  const use = () => start(async () => setAnswer(await storeSeenMacAction(hostId)));
  return (
    <div className={`${compact ? "mt-1 px-3 pb-2" : "mt-4"} text-xs text-slate-600 dark:text-slate-400`} data-testid="seen-mac">
      MAC seen on the LAN: <span className="font-mono">{mac}</span>{" "}
      <button
        type="button"
        onClick={use}
        disabled={pending || Boolean(answer?.mac)}
        className="ml-1 rounded border border-slate-300 px-2 py-0.5 font-medium text-indigo-700 hover:bg-slate-50 disabled:opacity-50 dark:border-slate-600 dark:text-indigo-300 dark:hover:bg-slate-800"
      >
        {pending ? "Storing…" : "Use it"}
      </button>
      <span role="status" aria-live="polite" className="ml-2">
        {answer?.mac ? (
          `Stored ${answer.mac} (staged: the next apply uses it)`
        ) : answer?.error ? (
          <span className="text-red-700 dark:text-red-400">{answer.error}</span>
        ) : null}
      </span>
    </div>
  );
}
