// `switchyard config import FILE|-`: replace the staged configuration, validated first (nothing changes otherwise).
import type { GatewayConfig } from "@/lib/model";
import { cli, out, emit, plural, counts, actor, database, invalidConfig, parseJson, readInput } from "@/lib/cli/context";

export async function configImport(file: string): Promise<number> {
  const { text, source } = await readInput(file);
  const input = parseJson(text, source);
  await database();
  const { importConfigFile } = await import("@/lib/data/config-file");
  const { recordAudit } = await import("@/lib/data/audit");
  const config = input as GatewayConfig;
  // the audit event is written in the import's own transaction (with the health settings)
  const r = await importConfigFile(input, (tx) =>
    recordAudit(tx, actor(), "config.import", source === "stdin" ? "stdin" : file, null, {
      isps: config.isps.length,
      natAddresses: config.natAddresses.length,
      hosts: config.hosts.length,
    }),
  );
  if (!r.ok) throw invalidConfig(source, r.issues, input, "; nothing was changed");
  const health = r.healthChecks;
  const channels = r.notifications;
  if (cli.json)
    emit({
      ok: true,
      source,
      isps: config.isps.length,
      natAddresses: config.natAddresses.length,
      hosts: config.hosts.length,
      ...(health === undefined ? {} : { healthChecks: health }),
      ...(channels === undefined ? {} : { notifications: channels }),
    });
  else
    out(
      `Imported ${source}: ${counts(config)}${health === undefined ? "" : `, health settings of ${plural(health, "ISP")} (in effect now: they are not staged)`}${channels === undefined ? "" : `, ${plural(channels, "notification channel")} (in effect now)`}. It is staged: \`switchyard plan\` shows what applying it changes, \`switchyard apply\` applies it.`,
    );
  return 0;
}
