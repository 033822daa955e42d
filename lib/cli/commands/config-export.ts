// `switchyard config export [--file F]`: the staged configuration file, on stdout or into F.
import fs from "node:fs";
import { CliError, cli, out, emit, plural, counts, database, fsReason } from "@/lib/cli/context";

export async function configExport(file: string | undefined): Promise<number> {
  await database();
  const { configFileText, exportConfigFile } = await import("@/lib/data/config-file");
  const config = await exportConfigFile(); // with the stored health settings, caps, channels, schedule
  const text = configFileText(config);
  if (file === undefined || file === "-") {
    process.stdout.write(text);
    return 0;
  }
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new CliError(`cannot write ${file}: ${fsReason(e)}`);
  }
  const health = Object.keys(config.healthChecks ?? {}).length;
  if (cli.json) emit({ ok: true, file, isps: config.isps.length, natAddresses: config.natAddresses.length, hosts: config.hosts.length, healthChecks: health });
  else out(`Wrote the staged configuration (${counts(config)}${health ? `, health settings of ${plural(health, "ISP")}` : ""}) to ${file}`);
  return 0;
}
