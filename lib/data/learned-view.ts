// The pages' read of the dynamic ISPs' addresses: what the WAN shows now (read-only `ip`
// commands) beside what runs and since when (lib/data/learned.ts). Checks the session.
import "server-only";
import { currentUser } from "@/lib/auth/guard";
import type { GatewayConfig } from "@/lib/model";
import { learnNow, type DynamicResolution } from "@/lib/net/dynamic";
import { resolveTarget } from "@/lib/engine/target";
import { learnedStatus, type LearnedStatus } from "@/lib/engine/status";
import { loadLearned } from "./learned";

export interface LearnedView {
  /** the WAN now, or why it could not be read */
  now: DynamicResolution | { error: string };
  /** per dynamic ISP: what runs, since when, and whether the WAN differs */
  status: LearnedStatus[];
}

export async function learnedView(config: GatewayConfig): Promise<LearnedView | null> {
  if (!(await currentUser())) return null;
  let now: LearnedView["now"];
  try {
    now = await learnNow(config, resolveTarget().target);
  } catch (e) {
    now = { error: e instanceof Error ? e.message : String(e) };
  }
  return { now, status: learnedStatus(config, await loadLearned(), "error" in now ? null : now, Date.now()) };
}
