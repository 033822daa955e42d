// `switchyard plan`: what an apply of the staged configuration would change on the target; changes nothing.
import type { TargetOptions } from "@/lib/cli/args";
import { cli, out, emit, plural, stagedConfig, recoverFirst } from "@/lib/cli/context";
import { managedTarget, requireTarget } from "@/lib/cli/target";
import { printLines, printOverrides, driftSummary } from "@/lib/cli/print";

export async function plan(opts: TargetOptions): Promise<number> {
  await recoverFirst();
  const config = await stagedConfig();
  const managed = await managedTarget(opts);
  requireTarget(managed);
  const { observeKernel } = await import("@/lib/net/observe");
  const { planChanges } = await import("@/lib/net/plan");
  const { render } = await import("@/lib/net/render");
  const { lastGoodRevision, userConfigOf } = await import("@/lib/data/revisions");
  const { parseStoredConfig } = await import("@/lib/data/stored");
  const { gatewayStatus } = await import("@/lib/engine/status");
  const { listFlows } = await import("@/lib/net/apply");
  const [observed, flows] = await Promise.all([observeKernel(managed.target), listFlows(managed.target, config)]);
  const { withResolvedFirewall } = await import("@/lib/net/firewall");
  const last = await lastGoodRevision();
  const lastConfig = last ? parseStoredConfig(last.config, `the configuration of revision ${last.id}`) : null;
  // what the apply runs: dynamic ISPs as learned now, the failover in force (lib/engine/running.ts)
  const { runningConfig } = await import("@/lib/engine/running");
  const run = await runningConfig(config, managed.target, lastConfig);
  const running = withResolvedFirewall(run.config, observed);
  const desired = render(running).state;
  let p = planChanges(desired, observed, running, flows); // with the flows an apply would clear
  // an adopted configuration's staged take over: the old objects the apply replaces
  const { loadStagedTakeover } = await import("@/lib/adopt/store");
  const takeover = await loadStagedTakeover();
  if (takeover) {
    const { planTakeover, withTakeover } = await import("@/lib/adopt/takeover");
    p = withTakeover(p, planTakeover(takeover, observed, desired));
  }
  const st = gatewayStatus(observed, lastConfig, config, last ? parseStoredConfig(userConfigOf(last), `the configuration of revision ${last.id}`) : null);
  const { drift, stagedDiffersFromLastGood: stagedChanged } = st;
  // overrides as the staged config would meet them
  const overrides = gatewayStatus(observed, null, config).overrides;
  // a foreign object that decides before Switchyard is a problem the plan must not call empty
  const overriding = overrides.filter((o) => !o.neutralised);
  // router advertisements (lib/net/ra): Switchyard's radvd, and any RA daemon it does not control
  const { raSnapshot, raFiles } = await import("@/lib/net/ra/apply");
  const { foreignRaDaemons } = await import("@/lib/net/ra/foreign");
  const { raPlanNotes } = await import("@/lib/net/ra/plan");
  const ra = raPlanNotes(running, raSnapshot(managed.target), await foreignRaDaemons(managed.target, raFiles(managed.target).conf).catch(() => []));
  if (cli.json) {
    emit({
      target: managed.label,
      changes: p.lines,
      empty: p.empty && overriding.length === 0,
      movedHosts: p.movedHosts,
      downLinks: p.downLinks,
      failover: run.moved,
      lastGoodRevision: last ? { id: last.id, createdAt: last.createdAt, result: last.result } : null,
      drift,
      stagedDiffersFromLastGood: stagedChanged,
      overrides,
      ...(ra.length ? { routerAdvertisements: ra } : {}),
    });
    return 0;
  }
  out(`Target: ${managed.label}`);
  if (run.moved.length) out(`Failover in force (the monitor reports an ISP down): the apply runs with ${run.moved.join(", ")}`);
  if (p.lines.length === 0 && overriding.length)
    out(
      `No changes to Switchyard's objects, but ${plural(overriding.length, "foreign object")} override${overriding.length === 1 ? "s" : ""} them (below): the hosts named do not leave as configured, and an apply fails verification until ${overriding.length === 1 ? "it is" : "they are"} removed.`,
    );
  else if (p.lines.length === 0) out("No changes: the gateway already matches the staged configuration.");
  else {
    const n = (op: string) => p.lines.filter((l) => l.op === op).length;
    out(
      `Applying the staged configuration would make ${plural(p.lines.length - n("="), "change")} (+${n("+")} ~${n("~")} -${n("-")}${n("=") ? `; ${n("=")} old kept` : ""}):`,
    );
    printLines(p.lines);
  }
  for (const line of ra) out(line);
  if (p.downLinks.length) out(`Links down (their routes wait for the link): ${p.downLinks.join(", ")}`);
  printOverrides(overrides);
  out(driftSummary(last, drift, stagedChanged));
  return 0;
}
