// `switchyard ra [show|on|off]`: router advertisements by Switchyard's own radvd (lib/net/ra,
// docs/ipv6.md): what each LAN is told (a down ISP's /64 deprecated at the next apply), whether
// our radvd runs on the target and any other RA daemon there; or a staged change of the setting.
import type { TargetOptions } from "@/lib/cli/args";
import { CliError, cli, out, emit, table, actor, database, invalidConfig, stagedConfig } from "@/lib/cli/context";
import { managedTarget } from "@/lib/cli/target";

export async function ra(change: "on" | "off" | undefined, opts: TargetOptions): Promise<number> {
  await database();
  let config = await stagedConfig();
  if (change) {
    const { updateSettings } = await import("@/lib/data/settings");
    const { settingsSchema, validateConfig } = await import("@/lib/validation");
    const settings = { ...config.settings, ra: { enabled: change === "on" } };
    const input = settingsSchema.safeParse(settings);
    // the rule that spans entities (a LAN with IPv6 subnets) is the whole configuration's
    const whole = validateConfig({ ...config, settings });
    const issues = [
      ...(input.success ? [] : input.error.issues.map((i) => ({ path: ["settings", ...i.path] as (string | number)[], message: i.message }))),
      ...(whole.ok ? [] : whole.issues.filter((i) => i.path[0] === "settings" && i.path[1] === "ra")),
    ];
    if (issues.length || !input.success) throw invalidConfig("the router advertisements setting", issues, {});
    const r = await updateSettings(input.data, actor());
    if (!r.ok) throw new CliError(`the router advertisements setting is not valid: ${Object.values(r.errors).flat().join("; ")}`, 2);
    config = await stagedConfig();
  }
  const { raInterfaces, raEnabled } = await import("@/lib/net/ra/render");
  const { ourRadvdPid } = await import("@/lib/net/ra/apply");
  const { foreignRaDaemons } = await import("@/lib/net/ra/foreign");
  const { raFiles } = await import("@/lib/net/ra/apply");
  const managed = await managedTarget(opts);
  const enabled = raEnabled(config);
  const advertised = raInterfaces(config);
  const pid = ourRadvdPid(managed.target);
  const foreign = await foreignRaDaemons(managed.target, raFiles(managed.target).conf).catch(() => []);
  if (cli.json) {
    emit({ enabled, interfaces: advertised, radvd: { pid, config: raFiles(managed.target).conf }, foreign, ...(change ? { staged: true } : {}) });
    return 0;
  }
  out(`Router advertisements: ${enabled ? "on" : "off"}${change ? " (staged: the next apply uses it)" : ""}`);
  if (advertised.length)
    out(
      table([
        ["LAN", "INTERFACE", "PREFIX", "ISP", "ADVERTISED"],
        ...advertised.flatMap((i) =>
          i.prefixes.map((p) => [i.lan, i.interface, p.network, p.isp ?? "-", p.deprecated ? `deprecated (${p.deprecated})` : "preferred"]),
        ),
      ]),
    );
  out(`  Switchyard's radvd on ${managed.label}: ${pid ? `running (pid ${pid})` : "not running"}`);
  for (const f of foreign)
    out(`  ${f.daemon} (pid ${f.pid}) sends router advertisements on ${f.interfaces?.join(", ") ?? "its interfaces"}: Switchyard does not control it`);
  return 0;
}
