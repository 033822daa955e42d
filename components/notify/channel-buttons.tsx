"use client";
// The Test button: sent now; the result, a refused SMTP login included, said here.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";

export function TestButton({ action }: { action: () => Promise<{ ok: boolean; error?: string }> }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ ok: boolean; error?: string } | null>(null);
  const router = useRouter();
  return (
    <div className="space-y-2">
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          start(async () => {
            setResult(null);
            setResult(await action());
            router.refresh(); // the last delivery and the list below follow
          })
        }
        className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {pending ? "Sending…" : "Send a test message"}
      </button>
      <div role="status" aria-live="polite">
        {result?.ok && (
          <p className="rounded-md border border-emerald-300 bg-emerald-50 p-2 text-sm text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
            Test message sent.
          </p>
        )}
        {result && !result.ok && (
          <p className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
            Test failed: {result.error}
          </p>
        )}
      </div>
    </div>
  );
}
