// The monitor recovers interrupted applies like every entry point (lib/engine/recovery.ts): at its
// start, before it reads its base, and while it runs: an apply of the CLI or the web server killed
// while the monitor runs is converged within a tick, not when someone next runs `status` (the
// monitor may be the only Switchyard process for days). Split from monitor.ts.
import { recoverAbandoned, recoverInterrupted, type Recovery } from "@/lib/engine/recovery";

const said = (r: Recovery) => `recovered an interrupted apply (revision ${r.revisionId}): ${r.message}`;
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** At the start: waits for the apply lock like any entry point; a failure is logged and tried again at every tick. */
export async function recoverAtStart(log: (line: string) => void): Promise<void> {
  try {
    for (const r of await recoverInterrupted()) log(said(r));
  } catch (e) {
    log(`recovering an interrupted apply failed: ${reason(e)} (tried again while the monitor runs)`);
  }
}

/** Each tick: the dead apply's intent, if any, recovered now; one failure logged once, not every second. */
export function recoveryWatch(log: (line: string) => void): () => Promise<void> {
  let lastError = "";
  return async () => {
    try {
      for (const r of await recoverAbandoned()) log(said(r));
      lastError = "";
    } catch (e) {
      if (reason(e) !== lastError) log(`recovering an interrupted apply failed: ${reason(e)}`);
      lastError = reason(e);
    }
  };
}
