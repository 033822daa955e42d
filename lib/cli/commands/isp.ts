// `switchyard isp set ISP --ipv6-...`: an ISP's IPv6 (docs/ipv6.md), the same validated change as
// the ISP form's IPv6 section. The ISP's other fields are kept as they are.
import type { Command } from "@/lib/cli/args";
import { CliError, cli, out, emit, actor, invalidConfig } from "@/lib/cli/context";

const FLAG: Record<string, string> = {
  ipv6Mode: "--ipv6-mode",
  ipv6Prefix: "--ipv6-prefix",
  ipv6Gateway: "--ipv6-gateway",
  ipv6Translate: "--ipv6-translate",
  ipv6Hosts: "--ipv6-hosts",
};

export async function isp(command: Extract<Command, { name: "isp" }>): Promise<number> {
  const { loadConfigWithIds } = await import("@/lib/data/config");
  const { updateIsp } = await import("@/lib/data/isps");
  const { ispSchema } = await import("@/lib/validation");
  const { config, ids } = await loadConfigWithIds();
  const index = config.isps.findIndex((i) => i.name === command.isp);
  if (index < 0) throw new CliError(`isp set: there is no ISP named ${JSON.stringify(command.isp)} (${config.isps.map((i) => i.name).join(", ")})`, 2);
  const before = config.isps[index];
  const f = command.ipv6;
  // --ipv6-prefix none: IPv6 off (its gateway goes with it); otherwise each flag changes its own value
  // --ipv6-mode pd: learned by DHCPv6-PD (docs/dynamic.md), nothing stored; static again: the flags give prefix and gateway
  const mode = f.mode ?? before.ipv6?.mode ?? "static";
  const ipv6 =
    f.prefix === ""
      ? undefined
      : mode === "pd"
        ? { mode, prefix: "", gateway: "", translate: f.translate ?? before.ipv6?.translate ?? true }
        : {
            prefix: f.prefix ?? before.ipv6?.prefix ?? "",
            gateway: f.gateway ?? before.ipv6?.gateway ?? "",
            translate: f.translate ?? before.ipv6?.translate ?? true,
          };
  // kept as it was unless asked: "unreachable" with a new prefix is refused by the schema, naming --ipv6-hosts
  const ipv6Hosts = f.hosts ?? before.ipv6Hosts;
  const input = { ...before, ipv6, ipv6Hosts };
  const parsed = ispSchema.safeParse(input);
  if (!parsed.success)
    throw invalidConfig(
      `the ISP ${command.isp}`,
      parsed.error.issues.map((i) => ({ path: ["isps", index, ...(i.path as (string | number)[])], message: i.message })),
      { isps: config.isps.map((x, n) => (n === index ? input : x)) },
    );
  const r = await updateIsp(ids.isps[index], parsed.data, actor());
  if (!r.ok)
    throw new CliError(
      `isp set: ${Object.entries(r.errors)
        .map(([k, v]) => (k === "_form" ? v.join("; ") : `${FLAG[k] ?? k}: ${v.join("; ")}`))
        .join("; ")}`,
      2,
      { errors: r.errors },
    );
  const now = parsed.data.ipv6;
  const hosts = parsed.data.ipv6Hosts ?? "follow";
  if (cli.json) emit({ isp: parsed.data.name, ipv6: now ?? null, ...(now ? {} : { ipv6Hosts: hosts }), staged: true });
  else
    out(
      now
        ? `ISP ${command.isp}: IPv6 ${now.mode === "pd" ? "learned by DHCPv6-PD (the box's client; each apply reads it)" : `${now.prefix} via ${now.gateway}`}, ${now.translate === false ? "no translation (a host's IPv6 follows its address)" : "other ISPs' prefixes translated"} (staged: the next apply uses it)`
        : `ISP ${command.isp}: IPv6 off, ${hosts === "unreachable" ? "its hosts' IPv6 refused (they use IPv4)" : "its hosts' IPv6 follows their address"} (staged: the next apply uses it)`,
    );
  return 0;
}
