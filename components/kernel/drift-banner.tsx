"use client";
// The dashboard's drift banner: shown when the kernel's Switchyard objects differ from the last
// good revision (someone changed them by hand), when a whole part of them vanished, or when
// foreign objects override hosts. While anyone applies (this page, another browser, the CLI,
// the monitor), the kernel is between two revisions: it says who applies instead.
// From the shared pollers (Live view, health): no request of its own.
import Link from "next/link";
import { useHealth } from "@/components/health/use-health";
import { applyingWords } from "@/lib/health/words";
import { useLiveKernel } from "./use-live-kernel";

/** "Apply in progress by alice (ui) since 10:32:05", from whichever poller saw the lock last. */
export function ApplyingNote({ applying }: { applying: { holder: string; since: string } }) {
  return (
    <div
      role="status"
      aria-label="Apply in progress"
      className="mb-4 rounded-lg border border-sky-300 bg-sky-50 p-3 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950/50 dark:text-sky-200"
    >
      <strong>{applyingWords(applying)}</strong>: the kernel is changing; this page follows when it is recorded.
    </div>
  );
}

/** Someone holds the apply lock, as either poller last saw it. */
export function useApplying(): { holder: string; since: string } | null {
  const { snapshot } = useLiveKernel();
  const health = useHealth();
  return snapshot?.applying ?? health.snapshot?.applying ?? null;
}

export function DriftBanner() {
  const { snapshot } = useLiveKernel();
  const applying = useApplying();
  if (applying) return <ApplyingNote applying={applying} />;
  if (!snapshot || snapshot.lastGoodRevision === null) return null;
  const drift = snapshot.drift.length;
  const overrides = (snapshot.overrides ?? []).filter((o) => !o.neutralised);
  if (drift === 0 && !snapshot.vanished && overrides.length === 0) return null;
  return (
    <div
      role="alert"
      aria-label="Kernel drift"
      className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200"
    >
      {(drift > 0 || snapshot.vanished) && (
        <p>
          <strong>The kernel differs from the last good revision #{snapshot.lastGoodRevision}</strong>
          {drift > 0 && (
            <>
              {" "}
              in {drift} {drift === 1 ? "object" : "objects"}
            </>
          )}
          . {snapshot.vanished ?? "Someone or something changed Switchyard's rules, routes or chains."}{" "}
          <Link href="/status" className="font-medium underline">
            See the drift and re-apply on the Live kernel page
          </Link>
          .
        </p>
      )}
      {overrides.length > 0 && (
        <p className={drift > 0 || snapshot.vanished ? "mt-1" : ""}>
          <strong>
            {overrides.length} foreign {overrides.length === 1 ? "object overrides" : "objects override"} Switchyard
          </strong>
          : the affected host cards name {overrides.length === 1 ? "it" : "them"}.{" "}
          <Link href="/status" className="font-medium underline">
            Details
          </Link>
          .
        </p>
      )}
    </div>
  );
}
