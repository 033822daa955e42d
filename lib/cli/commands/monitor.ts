// `switchyard monitor`: the health monitor in the foreground (lib/health/monitor.ts) until SIGTERM.
import type { TargetOptions } from "@/lib/cli/args";
import { CliError, note, stagedConfig } from "@/lib/cli/context";
import { managedTarget, requireTarget } from "@/lib/cli/target";

export async function monitor(opts: TargetOptions): Promise<number> {
  const managed = await managedTarget(opts);
  requireTarget(managed);
  await stagedConfig();
  const { startMonitor } = await import("@/lib/health/monitor");
  const log = (l: string) => note(`${new Date().toISOString()} ${l}`);
  // SWITCHYARD_MONITOR_INTERVAL_MS (tests, demos): probe interval and timeout of every ISP
  const fast = process.env.SWITCHYARD_MONITOR_INTERVAL_MS;
  const ms = fast === undefined ? null : (await import("zod")).z.coerce.number().int().min(100).max(60_000).safeParse(fast);
  if (ms && !ms.success) throw new CliError(`SWITCHYARD_MONITOR_INTERVAL_MS must be a whole number of ms from 100 to 60000, not ${JSON.stringify(fast)}`, 2);
  const override = ms?.success ? { intervalMs: ms.data, timeoutMs: ms.data } : undefined;
  const m = await startMonitor({ managed, lab: Boolean(managed.labPrefix), log, override });
  log(`monitoring ${managed.label}: ${Object.keys(m.health()).join(", ")} (stop with SIGTERM)`);
  await new Promise((done) => ["SIGTERM", "SIGINT"].forEach((s) => process.once(s, done)));
  await m.stop();
  log(`stopped after ${m.applies} ${m.applies === 1 ? "apply" : "applies"}`);
  return 0;
}
