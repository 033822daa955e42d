// The target a command works on (--netns, --host, --lab, or the environment's SWITCHYARD_*),
// checked before anything runs there.
import { labPrefix as labPrefixSchema, netnsName } from "@/lib/validation/cli";
import fs from "node:fs";
import type { TargetOptions } from "@/lib/cli/args";
import type { ManagedTarget } from "@/lib/engine/target";
import { CliError } from "@/lib/cli/context";

export async function managedTarget(opts: TargetOptions): Promise<ManagedTarget> {
  // the environment is input too: the same rules as the options
  const env = process.env;
  if (!opts.netns && !opts.host && !opts.lab) {
    if (env.SWITCHYARD_NETNS && !netnsName.safeParse(env.SWITCHYARD_NETNS).success)
      throw new CliError(`SWITCHYARD_NETNS: ${JSON.stringify(env.SWITCHYARD_NETNS)} is not a valid network namespace name`, 2);
    const t = env.SWITCHYARD_TARGET;
    if (t?.startsWith("netns:") && !netnsName.safeParse(t.slice(6)).success)
      throw new CliError(`SWITCHYARD_TARGET: ${JSON.stringify(t.slice(6))} is not a valid network namespace name`, 2);
    if (env.SWITCHYARD_LAB_PREFIX && !labPrefixSchema.safeParse(env.SWITCHYARD_LAB_PREFIX).success)
      throw new CliError(`SWITCHYARD_LAB_PREFIX: ${JSON.stringify(env.SWITCHYARD_LAB_PREFIX)} is not a valid lab prefix`, 2);
  }
  const { resolveTarget } = await import("@/lib/engine/target");
  let managed: ManagedTarget;
  try {
    managed = resolveTarget(opts);
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e), 2);
  }
  // a lab target: the lab plugs into the apply (lib/engine/target-hooks.ts)
  if (managed.labPrefix) await import("@/lib/lab/apply-hooks");
  return managed;
}

/** `ip netns exec` needs /run/netns/NAME: say so plainly instead of quoting ip's error. */
export function requireTarget(m: ManagedTarget) {
  if (m.target.kind !== "netns") return;
  const name = m.target.name;
  if (fs.existsSync(`/run/netns/${name}`) || fs.existsSync(`/var/run/netns/${name}`)) return;
  if (m.labPrefix)
    throw new CliError(
      `the lab ${m.labPrefix} is not up (no namespace ${name}): run \`switchyard lab up --lab ${m.labPrefix}\` or \`switchyard apply --lab ${m.labPrefix}\``,
    );
  throw new CliError(`there is no network namespace ${name} (see \`ip netns list\`)`);
}

export function labPrefixFor(cmdPrefix: string | undefined, opts: TargetOptions): string {
  const p = cmdPrefix ?? opts.lab ?? process.env.SWITCHYARD_LAB_PREFIX ?? "sy";
  if (!labPrefixSchema.safeParse(p).success) throw new CliError(`SWITCHYARD_LAB_PREFIX: ${JSON.stringify(p)} is not a valid lab prefix`, 2);
  return p;
}
