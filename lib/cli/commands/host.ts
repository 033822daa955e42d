// `switchyard host set HOST --mac learned|MAC|none`: a host's MAC, by which its IPv6 is matched
// (docs/ipv6.md). learned: the MAC the gateway's neighbour table shows for the host's IPv4
// address now (lib/data/host-mac.ts), or a clear error when it shows none usable. The same
// validated, audited, staged change as the host form.
import type { Command, TargetOptions } from "@/lib/cli/args";
import { CliError, cli, out, emit, actor } from "@/lib/cli/context";
import { managedTarget, requireTarget } from "@/lib/cli/target";

export async function host(command: Extract<Command, { name: "host" }>, opts: TargetOptions): Promise<number> {
  if (command.mac === "learned") {
    const managed = await managedTarget(opts);
    requireTarget(managed);
    const { storeSeenMac } = await import("@/lib/data/host-mac");
    const r = await storeSeenMac(managed.target, { name: command.host }, actor());
    if (!r.ok) throw new CliError(`host set --mac learned: ${r.error}`, 2);
    if (cli.json) emit({ host: r.host, mac: r.mac, seen: { dev: r.seen.dev, state: r.seen.state }, staged: true });
    else out(`Host ${r.host}: MAC ${r.mac} (seen on ${r.seen.dev}, ${r.seen.state}) (staged: the next apply uses it)`);
    return 0;
  }
  const { loadConfigWithIds } = await import("@/lib/data/config");
  const { updateHost } = await import("@/lib/data/hosts");
  const { hostSchema } = await import("@/lib/validation");
  const { config, ids } = await loadConfigWithIds();
  const index = config.hosts.findIndex((h) => h.name === command.host);
  if (index < 0) throw new CliError(`host set: there is no host named ${JSON.stringify(command.host)}`, 2);
  const parsed = hostSchema.safeParse({ ...config.hosts[index], mac: command.mac });
  if (!parsed.success) throw new CliError(`host set --mac: ${parsed.error.issues.map((i) => i.message).join("; ")}`, 2);
  const r = await updateHost(ids.hosts[index], parsed.data, actor());
  if (!r.ok) throw new CliError(`host set: ${Object.values(r.errors).flat().join("; ")}`, 2, { errors: r.errors });
  if (cli.json) emit({ host: command.host, mac: parsed.data.mac, staged: true });
  else out(`Host ${command.host}: ${parsed.data.mac ? `MAC ${parsed.data.mac}` : "no MAC (its IPv6 follows its address)"} (staged: the next apply uses it)`);
  return 0;
}
