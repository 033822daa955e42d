// `switchyard lan list|add|set|remove`: the LANs beside the main one.
import type { Command } from "@/lib/cli/args";
import type { GatewayConfig } from "@/lib/model";
import { CliError, cli, out, emit, table, actor, database, invalidConfig, stagedConfig } from "@/lib/cli/context";

/** `lan list|add|set|remove`: the same validated changes as the Settings page's LAN forms. */
export async function lan(command: Extract<Command, { name: "lan" }>): Promise<number> {
  await database();
  const { lansOf, lanOfAddress } = await import("@/lib/net/lans");
  if (command.action !== "list") {
    const data = await import("@/lib/data/lans");
    const { lanSchema } = await import("@/lib/validation");
    let r: Awaited<ReturnType<typeof data.addLan>>;
    if (command.action === "remove") r = await data.deleteLan(command.lan, actor());
    else if (command.lan === "lan") {
      // the main LAN's IPv6 /64s (args.ts allows only --subnets6 for it): the settings as they are, with those
      const { updateSettings } = await import("@/lib/data/settings");
      const { settingsSchema } = await import("@/lib/validation");
      const input = { ...(await stagedConfig()).settings, lanSubnets6: command.fields.subnets6 ?? "" };
      const parsed = settingsSchema.safeParse(input);
      if (!parsed.success)
        throw invalidConfig(
          "the main LAN",
          parsed.error.issues.map((i) => ({ path: ["settings", i.path.join(".")], message: i.message })),
          input,
        );
      r = await updateSettings(parsed.data, actor());
    } else {
      const config = await stagedConfig();
      const before = (config.settings.lans ?? []).find((l) => l.name === command.lan);
      if (command.action === "set" && !before)
        throw new CliError(
          `lan set: there is no LAN named ${JSON.stringify(command.lan)}${command.lan === "lan" ? " beside the main one (change the main LAN in Settings)" : ""}`,
          2,
        );
      if (command.action === "add" && before) throw new CliError(`lan add: there is already a LAN named ${command.lan}`, 2);
      const f = command.fields;
      const keepDefault = f.isp === undefined && f.policy === undefined;
      const input = {
        name: f.name ?? command.lan,
        interface: f.interface ?? before?.interface,
        subnets: f.subnets ?? before?.subnets,
        subnets6: f.subnets6 ?? before?.subnets6,
        defaultIsp: keepDefault ? (before?.defaultIsp ?? null) : f.isp || null,
        defaultPolicy: keepDefault ? (before?.defaultPolicy ?? null) : f.policy || null,
      };
      const parsed = lanSchema.safeParse(input);
      if (!parsed.success)
        throw invalidConfig(
          `the LAN ${command.lan}`,
          parsed.error.issues.map((i) => ({ path: ["settings", "lans", i.path.join(".")], message: i.message })),
          input,
        );
      r = command.action === "add" ? await data.addLan(parsed.data, actor()) : await data.updateLan(command.lan, parsed.data, actor());
    }
    const flag: Record<string, string> = {
      defaultIsp: "--isp",
      defaultPolicy: "--policy",
      interface: "--interface",
      subnets: "--subnets",
      name: "--rename",
      subnets6: "--subnets6",
      lanSubnets6: "--subnets6",
    };
    if (!r.ok)
      throw new CliError(
        `lan ${command.action}: ${Object.entries(r.errors)
          .map(([k, v]) => (k === "_form" ? v.join("; ") : `${flag[k] ?? k}: ${v.join("; ")}`))
          .join("; ")}`,
        2,
        { errors: r.errors },
      );
  }
  const config = await stagedConfig();
  const lans = lansOf(config).map((l, n) => ({
    name: l.name,
    interface: l.interface,
    subnets: l.subnets,
    ...(ipv6Of(config, n) ? { subnets6: ipv6Of(config, n) } : {}),
    uses: l.defaultPolicy
      ? `policy ${l.defaultPolicy}`
      : n > 0 && l.defaultIsp
        ? l.defaultIsp
        : n === 0
          ? config.settings.defaultPolicy
            ? `policy ${config.settings.defaultPolicy}`
            : (config.settings.defaultIsp ?? "the first ISP")
          : "the gateway's default",
    hosts: config.hosts.filter((h) => lanOfAddress(config, h.address)?.name === l.name).length,
  }));
  const v6 = lans.some((l) => l.subnets6);
  if (cli.json) {
    emit({ lans, ...(command.action !== "list" ? { staged: true } : {}) });
    return 0;
  }
  if (command.action !== "list")
    out(`LAN ${command.lan} ${command.action === "add" ? "added" : command.action === "set" ? "changed" : "removed"} (staged: the next apply uses it)`);
  out(
    table([
      ["LAN", "INTERFACE", "SUBNETS", ...(v6 ? ["IPV6 SUBNETS"] : []), "UNLISTED HOSTS USE", "HOSTS"],
      ...lans.map((l) => [l.name, l.interface, l.subnets.join(","), ...(v6 ? [(l.subnets6 ?? []).join(",") || "-"] : []), l.uses, String(l.hosts)]),
    ]),
  );
  return 0;
}

/** The n-th LAN's IPv6 /64s (the main LAN first), none when it has none. */
function ipv6Of(config: GatewayConfig, n: number): string[] | undefined {
  const list = n === 0 ? config.settings.lanSubnets6 : config.settings.lans?.[n - 1]?.subnets6;
  return list?.length ? list : undefined;
}
