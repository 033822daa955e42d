// `switchyard adopt [--stage [--take-over]]`: read a hand-made setup and propose a configuration (lib/adopt).
import type { Command, TargetOptions } from "@/lib/cli/args";
import { CliError, cli, out, emit, plural, actor, database, invalidConfig } from "@/lib/cli/context";
import { managedTarget, requireTarget } from "@/lib/cli/target";
import { printOverrides } from "@/lib/cli/print";

export async function adopt(cmd: Extract<Command, { name: "adopt" }>, opts: TargetOptions): Promise<number> {
  const managed = await managedTarget(opts);
  requireTarget(managed);
  const { readGateway } = await import("@/lib/adopt/read");
  const { inferAdoption } = await import("@/lib/adopt/infer");
  const { overridesWithoutTakeover } = await import("@/lib/adopt/lint-after");
  const input = await readGateway(managed.target);
  const a = inferAdoption(input);
  const overrides = a.config ? overridesWithoutTakeover(a.config, input.observed) : [];
  let staged = false;
  if (cmd.stage) {
    if (!a.config) throw new CliError(`${a.nothing ?? "nothing to adopt"} Nothing was staged.`);
    await database();
    const { stageAdoption } = await import("@/lib/adopt/store");
    const r = await stageAdoption(a.config, { actor: actor(), source: managed.label, takeover: cmd.takeOver ? [...a.takeover, ...a.kept] : null });
    if (!r.ok) throw invalidConfig("the adopted configuration", r.issues, a.config, "; nothing was staged");
    staged = true;
  }
  if (cli.json) {
    emit({ target: managed.label, ...a, overridesWithoutTakeover: overrides, staged, takeOverStaged: staged && cmd.takeOver && a.takeover.length > 0 });
    return 0;
  }
  out(`Target: ${managed.label}`);
  if (!a.config) out(a.nothing ?? "Nothing to adopt.");
  else {
    out("Proposed configuration, and where each item comes from:");
    for (const i of a.items) {
      out(`  ${i.label}: ${i.value}`);
      for (const f of i.from) out(`      from ${f}`);
    }
  }
  if (a.notUnderstood.length) {
    out(`Not understood, stays foreign (${plural(a.notUnderstood.length, "object")}):`);
    for (const n of a.notUnderstood) out(`  ${n.object}\n      ${n.why}`);
  }
  if (a.problems.length) {
    out("What the old setup gets wrong:");
    for (const p of a.problems) out(`  ${p.title}: ${p.detail}`);
  }
  if (a.takeover.length)
    out(`Take over would replace ${plural(a.takeover.length, "old object")} by Switchyard's own (the plan lists each as "replaced: old -> Switchyard's").`);
  for (const k of a.kept)
    out(`  Take over keeps ${k.iptables ? `iptables -t ${k.iptables.table} -A ${k.iptables.chain} ${k.iptables.spec}` : "an old object"}: it ${k.keep}.`);
  if (overrides.length) {
    out("Without take over the old objects stay; the override lint names the hosts they would still steer:");
    printOverrides(overrides);
  }
  if (staged)
    out(
      `Staged${cmd.takeOver && a.takeover.length ? `, with take over of ${plural(a.takeover.length, "old object")}` : " (without take over)"}: \`switchyard plan\` shows what applying it changes, \`switchyard apply\` applies it.`,
    );
  else if (a.config) out("Nothing was changed. `switchyard adopt --stage` stages this configuration (--take-over: the next apply replaces the old objects).");
  return 0;
}
