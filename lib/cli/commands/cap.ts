// `switchyard cap show|set|remove`: the monthly caps of metered ISPs (lib/data/caps.ts).
import { issueLines } from "@/lib/validation/issues";
import type { Command } from "@/lib/cli/args";
import { CliError, cli, out, emit, actor, database } from "@/lib/cli/context";

/** `cap show|set|remove`: monthly caps of metered ISPs; not staged (the monitor checks them at every sample). */
export async function cap(cmd: Extract<Command, { name: "cap-show" | "cap-set" | "cap-remove" }>): Promise<number> {
  await database();
  const { loadConfig } = await import("@/lib/data/config");
  const { usageOf } = await import("@/lib/usage/view");
  const { capText, usageLines } = await import("@/lib/cli/usage-print");
  const config = await loadConfig();
  if (cmd.isp && !config.isps.some((i) => i.name === cmd.isp))
    throw new CliError(`there is no ISP named ${cmd.isp} (ISPs: ${config.isps.map((i) => i.name).join(", ") || "none"})`, 2);
  if (cmd.name !== "cap-show") {
    const caps = await import("@/lib/data/caps");
    const r = cmd.name === "cap-set" ? await caps.setCap(cmd.isp, cmd.changes, actor()) : await caps.removeCap(cmd.isp, actor());
    if (!r.ok) {
      const { CAP_FLAG_OF } = await import("@/lib/cli/cap-args");
      const lines = issueLines(r.issues, { label: (path) => CAP_FLAG_OF[path[0] as keyof typeof CAP_FLAG_OF] ?? path.map(String).join(".") });
      throw new CliError(`the cap of ${cmd.isp} is not valid; nothing was changed:\n${lines.map((l) => `  ${l}`).join("\n")}`, 2, {
        issues: r.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    if (cli.json) emit({ ok: true, isp: cmd.isp, cap: r.cap });
    else out(`${capText(cmd.isp, r.cap)}. Not staged: the monitor uses it at its next sample (10 s).`);
    return 0;
  }
  const names = cmd.isp ? [cmd.isp] : config.isps.map((i) => i.name);
  const usages = await usageOf(names, { among: config.isps.map((i) => i.name) });
  const { loadCaps } = await import("@/lib/usage/caps");
  const { caps } = await loadCaps();
  if (cli.json)
    emit({
      isps: usages.map((u) => ({ isp: u.isp, cap: caps.get(u.isp) ?? null, month: u.month, percent: u.cap?.percent ?? null, capped: u.cap?.capped ?? false })),
    });
  else out(usages.length ? usages.map((u) => `${capText(u.isp, caps.get(u.isp) ?? null)}\n${usageLines([u])[1]}`).join("\n") : "No ISPs.");
  return 0;
}
