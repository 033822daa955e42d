// `switchyard apply [--revision N | --last-good] [--wait-links S] [--no-rollback]`: the same apply
// as the web UI's (lib/engine/service.ts), its steps live on stderr, then the verification.
import type { Command, TargetOptions } from "@/lib/cli/args";
import type { ManagedTarget } from "@/lib/engine/target";
import { CliError, cli, out, note, emit, plural, when, actor, oneLine, database, stagedConfig, recoverFirst } from "@/lib/cli/context";
import { managedTarget, requireTarget } from "@/lib/cli/target";
import { printVerification, stepPrinter } from "@/lib/cli/print";

export async function apply(cmd: Extract<Command, { name: "apply" }>, opts: TargetOptions): Promise<number> {
  const managed = await managedTarget(opts);
  if (!managed.labPrefix) requireTarget(managed); // a lab is brought up by the apply itself
  const service = await import("@/lib/engine/service");
  const req = { actor: actor(), source: "cli" as const, managed, onStep: stepPrinter(), rollbackOnVerifyFailure: cmd.rollback };
  // before the boot unit waits for links and picks the last good revision: a recovery may record it
  const early = cmd.waitLinksS || cmd.lastGood ? await recoverFirst() : [];
  if (cmd.waitLinksS) await waitLinks(cmd, managed);
  let recorded;
  if (cmd.lastGood) {
    // the boot path: recovery first, then the last good revision (chosen under the lock), staged edits left alone
    await database();
    recorded = await service.reapplyLastGood(req);
    if (!cli.json)
      note(
        recorded.lastGood
          ? `Re-applied revision ${recorded.lastGood.id} (${when(recorded.lastGood.createdAt)}), the last one that applied cleanly`
          : "No revision has applied cleanly yet: applied the staged configuration",
      );
  } else if (cmd.revision !== undefined) {
    await database();
    if (!(await service.getRevision(cmd.revision))) throw new CliError(`there is no revision ${cmd.revision} (\`switchyard revisions\` lists them)`, 2);
    if (!cli.json) note(`Re-applying revision ${cmd.revision}: it becomes the staged configuration again`);
    recorded = await service.reapplyRevision(cmd.revision, req);
  } else {
    await stagedConfig(); // exit 2 with every problem listed, before anything runs
    if (!cli.json) note(`Applying the staged configuration to ${managed.label}`);
    recorded = await service.applyStaged(req);
  }
  for (const r of recorded.recovered) note(`Recovered first (revision ${r.revisionId}): ${r.message}`);
  const { revisionId, report } = recorded;
  const labFaults = managed.labPrefix ? await injectedFaults(managed.labPrefix, revisionId) : [];
  if (cli.json) {
    emit({ revisionId, ...report, recovered: [...early, ...recorded.recovered], ...(managed.labPrefix ? { labFaults } : {}) });
    return report.ok ? 0 : 1;
  }
  if (report.verification) printVerification(report.verification);
  for (const f of labFaults) out(`Kept: ${f}`);
  const changes = plural(report.planLines.length, "change");
  if (report.result === "applied") out(`Applied: revision ${revisionId}, ${changes} on ${report.target} in ${report.durationMs} ms.`);
  else if (report.result === "unchanged")
    out(`Unchanged: revision ${revisionId}, ${report.target} already matched the configuration (${report.durationMs} ms).`);
  else {
    if (report.failedStep === "precheck") {
      out(`Apply REFUSED by the precheck (revision ${revisionId}): ${oneLine(report.error ?? "unknown error")}. Nothing on the gateway was changed.`);
      return 1;
    }
    const undo = report.rolledBack
      ? report.restoredExactly
        ? "Rolled back: the gateway is exactly as it was before."
        : `Rolled back, but the rollback left differences:\n${(report.rollbackDifferences ?? []).map((d) => `  ${d}`).join("\n")}`
      : "Not rolled back (--no-rollback): the gateway is left as the apply left it.";
    out(`Apply FAILED (revision ${revisionId}) at step ${report.failedStep ?? "?"}: ${oneLine(report.error ?? "unknown error")}. ${undo}`);
  }
  return report.ok ? 0 : 1;
}

/** The lab faults an apply left in place (it never undoes one), read for the configuration it applied. */
async function injectedFaults(prefix: string, revisionId: number): Promise<string[]> {
  const { getRevision } = await import("@/lib/engine/service");
  const rev = await getRevision(revisionId);
  if (!rev) return [];
  const { faultNotes, faultStatus } = await import("@/lib/lab/faults");
  const { parseStoredConfig } = await import("@/lib/data/stored");
  return faultNotes(await faultStatus(parseStoredConfig(rev.config, `the configuration of revision ${rev.id}`), prefix), prefix);
}

/** apply --wait-links S (the boot unit): wait, bounded, for the WAN links of the config about to be applied. */
async function waitLinks(cmd: Extract<Command, { name: "apply" }>, managed: ManagedTarget) {
  if (managed.labPrefix) return note("--wait-links: the apply brings a lab's links up itself; not waiting");
  await database();
  const service = await import("@/lib/engine/service");
  const rev = cmd.lastGood ? await service.lastGoodRevision() : cmd.revision !== undefined ? await service.getRevision(cmd.revision) : null;
  const { parseStoredConfig } = await import("@/lib/data/stored");
  const config = rev ? parseStoredConfig(rev.config, `the configuration of revision ${rev.id}`) : await stagedConfig();
  const { waitForLinks } = await import("@/lib/engine/wait-links");
  const said = (ls: { isp: string; dev: string; missing?: string }[]) => ls.map((l) => `${l.isp} (${l.dev}: ${l.missing})`).join(", ");
  const r = await waitForLinks(managed.target, config, cmd.waitLinksS! * 1000, {
    onWait: (p) => note(`Waiting up to ${cmd.waitLinksS} s for the WAN links: ${said(p)}`),
  });
  const down = r.links.filter((l) => !l.ready);
  if (down.length)
    note(`After ${Math.round(r.waitedMs / 1000)} s still not ready: ${said(down)}; applying what can be applied (their routes follow when the links are up)`);
  else if (r.waited) note(`WAN links ready after ${(r.waitedMs / 1000).toFixed(1)} s`);
}
