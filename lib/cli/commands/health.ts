// `switchyard health show|set|reset`: the ISPs' health-check settings (lib/data/health-settings.ts).
import type { Command, TargetOptions } from "@/lib/cli/args";
import { CliError, cli, out, emit, plural, actor, database } from "@/lib/cli/context";
import { managedTarget } from "@/lib/cli/target";

/** `health show|set|reset`: the settings the monitor probes an ISP with; not staged (a running monitor reloads them every second). */
export async function health(cmd: Extract<Command, { name: "health-show" | "health-set" | "health-reset" }>, opts: TargetOptions): Promise<number> {
  const lab = Boolean((await managedTarget(opts)).labPrefix); // which defaults: the lab's test server, or public targets
  await database();
  const hs = await import("@/lib/data/health-settings");
  const { healthText, healthIssueLines } = await import("@/lib/cli/health-print");
  if (cmd.name === "health-show") {
    const { loadConfig } = await import("@/lib/data/config");
    const config = await loadConfig();
    if (cmd.isp && !config.isps.some((i) => i.name === cmd.isp))
      throw new CliError(`there is no ISP named ${cmd.isp} (ISPs: ${config.isps.map((i) => i.name).join(", ") || "none"})`, 2);
    const all = await hs.effectiveHealthSettings(config, lab);
    const shown = all.filter((e) => !cmd.isp || e.isp === cmd.isp);
    const defaults = (name: string) => hs.defaultFields(config.isps.find((i) => i.name === name) ?? name, lab);
    if (cli.json) emit({ defaults: lab ? "lab" : "real-router", isps: shown.map((e) => ({ ...e, defaults: defaults(e.isp) })) });
    else out(shown.length ? shown.map((e) => healthText(e, defaults(e.isp), lab)).join("\n\n") : "No ISPs.");
    return 0;
  }
  const r = cmd.name === "health-set" ? await hs.setHealthSettings(cmd.isp, cmd.changes, actor(), lab) : await hs.resetHealthSettings(cmd.isp, actor(), lab);
  if (!r.ok) {
    const lines = healthIssueLines(r.issues);
    if (r.issues.length === 1 && r.issues[0].path.length === 0) throw new CliError(lines[0], 2);
    throw new CliError(
      `the health settings of ${cmd.isp} are not valid (${plural(lines.length, "problem")}); nothing was changed:\n${lines.map((l) => `  ${l}`).join("\n")}`,
      2,
      { issues: r.issues.map((i, n) => ({ path: i.path.join("."), message: i.message, text: lines[n] })) },
    );
  }
  const { targetScope } = await import("@/lib/health/scope");
  const scope = targetScope(r.isp, r.settings);
  if (cli.json) emit({ ok: true, isp: cmd.isp, settings: r.settings, stored: r.stored, scope, warning: r.warning });
  else {
    const what = cmd.name === "health-reset" ? "back to the defaults" : r.stored ? "saved" : "saved (they are the defaults: nothing is stored)";
    out(`Health settings of ${cmd.isp} ${what}. A running monitor uses them within a second (they are not staged: no apply needed).`);
    out(healthText({ isp: cmd.isp, settings: r.settings, stored: r.stored, scope, warning: r.warning }, hs.defaultFields(r.isp, lab), lab));
  }
  return 0;
}
