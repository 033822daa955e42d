// `switchyard config export/import`: the staged configuration and, beside it, the stored
// health-check settings of its ISPs (lib/validation/config-file.ts has the format). Import is
// all or nothing: the configuration, the health settings and the audit event are one
// transaction, after the whole file was validated.
import { db } from "@/lib/db";
import type { GatewayConfig } from "@/lib/model";
import { HEALTH_KEY, NOTIFY_KEY, validateConfigFile, type HealthChecks } from "@/lib/validation/config-file";
import { exportedChannels, writeChannels, type ExportedChannel } from "@/lib/notify/channels";
import { loadConfig, writeConfig, type ImportResult, type Tx } from "./config";
import { storedHealthSettings, writeHealthRow } from "./health-settings";

export type ConfigFile = GatewayConfig & { [HEALTH_KEY]?: HealthChecks; [NOTIFY_KEY]?: ExportedChannel[] };

/** The staged configuration with the stored health settings of its ISPs (none stored: no healthChecks key, as before). */
export async function exportConfigFile(): Promise<ConfigFile> {
  const [config, { stored }, channels] = await Promise.all([loadConfig(), storedHealthSettings(), exportedChannels()]);
  const healthChecks: HealthChecks = {};
  for (const isp of config.isps) {
    const s = stored.get(isp.name);
    if (s) healthChecks[isp.name] = s;
  }
  const file: ConfigFile = Object.keys(healthChecks).length ? { ...config, [HEALTH_KEY]: healthChecks } : config;
  // channels without their secrets ("secretSet": true says one is stored); none: no key, as before
  return channels.length ? { ...file, [NOTIFY_KEY]: channels } : file;
}

/**
 * Replace the staged configuration and the health settings with a file's. With healthChecks,
 * exactly those ISPs have stored settings afterwards (the others use the defaults); without
 * it, the stored settings of ISPs the file still defines are kept. Settings of ISPs the file
 * does not define are removed either way.
 */
export async function importConfigFile(input: unknown, also?: (tx: Tx) => Promise<unknown>): Promise<ImportResult & { healthChecks?: number; notifications?: number }> {
  const r = validateConfigFile(input);
  if (!r.ok) return r;
  const names = r.config.isps.map((i) => i.name);
  await db.$transaction(async (tx) => {
    await writeConfig(tx, r.config);
    if (r.healthChecks) {
      await tx.ispHealthSettings.deleteMany();
      for (const [isp, fields] of Object.entries(r.healthChecks)) await writeHealthRow(tx, isp, fields);
    } else {
      await tx.ispHealthSettings.deleteMany({ where: { isp: { notIn: names } } });
    }
    // with "notifications": exactly those channels afterwards, each keeping its stored secret unless the file gives one
    if (r.notifications) await writeChannels(tx, r.notifications);
    await also?.(tx);
  });
  return { ok: true, healthChecks: r.healthChecks ? Object.keys(r.healthChecks).length : undefined, notifications: r.notifications?.length };
}
