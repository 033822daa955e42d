// `switchyard lab up|down|status`: the lab in network namespaces (lib/lab/lab.ts).
import fs from "node:fs";
import type { Command, TargetOptions } from "@/lib/cli/args";
import { databaseFile, databaseUrl } from "@/lib/db-url";
import type { GatewayConfig } from "@/lib/model";
import { cli, out, emit, plural, counts, stagedConfig } from "@/lib/cli/context";
import { labPrefixFor } from "@/lib/cli/target";

export async function lab(cmd: Extract<Command, { name: "lab" }>, opts: TargetOptions): Promise<number> {
  const prefix = labPrefixFor(cmd.prefix, opts);
  const labs = await import("@/lib/lab/lab");
  if (cmd.action === "up") {
    const config = await stagedConfig();
    const r = await labs.labUp(config, { prefix });
    if (cli.json) emit({ prefix, gateway: labs.gatewayNamespace(prefix), ...r });
    else {
      out(`Lab ${prefix} is up in ${r.durationMs} ms (gateway: namespace ${labs.gatewayNamespace(prefix)}; ${counts(config)})`);
      if (r.created.length) out(`  created ${r.created.join(" ")}`);
      if (r.removed.length) out(`  removed ${r.removed.join(" ")}`);
      if (r.serverPid) out(`  test server pid ${r.serverPid}`);
    }
    return 0;
  }
  if (cmd.action === "down") {
    const r = await labs.labDown(prefix);
    if (cli.json) emit({ prefix, ...r });
    else out(r.removed.length ? `Lab ${prefix} is down in ${r.durationMs} ms: removed ${r.removed.join(" ")}` : `Lab ${prefix}: nothing to remove`);
    return 0;
  }
  // status: compared with the staged config when there is a (valid) one
  let config: GatewayConfig | undefined;
  if (fs.existsSync(databaseFile(databaseUrl()))) config = await stagedConfig().catch(() => undefined);
  const s = await labs.labStatus(prefix, config);
  if (cli.json) emit(s);
  else {
    out(`Lab ${prefix}: ${plural(s.namespaces.length, "namespace")}${s.namespaces.length ? ` (${s.namespaces.join(" ")})` : ""}`);
    out(`  test server: ${s.server.running ? `running, pid ${s.server.pid}` : "not running"}`);
    if (s.missing?.length) out(`  missing (lab up creates them): ${s.missing.join(" ")}`);
    if (s.extra?.length) out(`  not in the staged config (lab up removes them): ${s.extra.join(" ")}`);
  }
  if (!cli.json && config && s.namespaces.length && !s.missing?.length) {
    const { faultNotes, faultStatus } = await import("@/lib/lab/faults");
    for (const f of faultNotes(await faultStatus(config, prefix), prefix)) out(`  fault: ${f}`);
  }
  return 0;
}
