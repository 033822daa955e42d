"use client";
// The dashboard's drift banner: shown when the kernel's Switchyard objects differ from the last
// good revision (someone changed them by hand), when a whole part of them vanished, or when
// foreign objects override hosts. From the Live view's shared poller: no request of its own.
import Link from "next/link";
import { useLiveKernel } from "./use-live-kernel";

export function DriftBanner() {
  const { snapshot } = useLiveKernel();
  if (!snapshot || snapshot.lastGoodRevision === null) return null;
  const drift = snapshot.drift.length;
  const overrides = (snapshot.overrides ?? []).filter((o) => !o.neutralised);
  if (drift === 0 && !snapshot.vanished && overrides.length === 0) return null;
  return (
    <div role="alert" aria-label="Kernel drift" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200">
      {(drift > 0 || snapshot.vanished) && (
        <p>
          <strong>The kernel differs from the last good revision #{snapshot.lastGoodRevision}</strong>
          {drift > 0 && <> in {drift} {drift === 1 ? "object" : "objects"}</>}.{" "}
          {snapshot.vanished ?? "Someone or something changed Switchyard's rules, routes or chains."}{" "}
          <Link href="/status" className="font-medium underline">See the drift and re-apply on the Live kernel page</Link>.
        </p>
      )}
      {overrides.length > 0 && (
        <p className={drift > 0 || snapshot.vanished ? "mt-1" : ""}>
          <strong>{overrides.length} foreign {overrides.length === 1 ? "object overrides" : "objects override"} Switchyard</strong>: the affected host cards name {overrides.length === 1 ? "it" : "them"}.{" "}
          <Link href="/status" className="font-medium underline">Details</Link>.
        </p>
      )}
    </div>
  );
}
