// `switchyard verify`: the target checked against the staged configuration (kernel state, paths, canary, lab traffic).
import type { TargetOptions } from "@/lib/cli/args";
import { cli, out, emit, stagedConfig, recoverFirst } from "@/lib/cli/context";
import { managedTarget, requireTarget } from "@/lib/cli/target";
import { printVerification } from "@/lib/cli/print";

export async function verify(opts: TargetOptions): Promise<number> {
  await recoverFirst();
  const config = await stagedConfig();
  const managed = await managedTarget(opts);
  requireTarget(managed);
  const { verifyKernel } = await import("@/lib/net/verify");
  const { render } = await import("@/lib/net/render");
  const { probeEgress } = await import("@/lib/lab/lab");
  const prefix = managed.labPrefix;
  const probe = prefix ? (a: string) => probeEgress(prefix, a) : undefined;
  const { resolveFirewallOn } = await import("@/lib/net/firewall");
  const running = await resolveFirewallOn(managed.target, (await (await import("@/lib/net/dynamic")).learnNow(config, managed.target)).config); // dynamic ISPs as learned now
  const { canaryTargetsOf } = await import("@/lib/engine/canary");
  const report = await verifyKernel(managed.target, running, render(running).state, probe, await canaryTargetsOf(running, Boolean(prefix)));
  if (cli.json) emit({ target: managed.label, ...report });
  else {
    out(`Target: ${managed.label}`);
    printVerification(report);
  }
  return report.ok ? 0 : 1;
}
