// `switchyard config export/import`: the staged configuration and, beside it, the stored
// health-check settings of its ISPs (lib/validation/config-file.ts has the format). Import is
// all or nothing: the configuration, the health settings and the audit event are one
// transaction, after the whole file was validated.
import { db } from "@/lib/db";
import type { GatewayConfig } from "@/lib/model";
import { HEALTH_KEY, validateConfigFile, type HealthChecks } from "@/lib/validation/config-file";
import { loadConfig, writeConfig, type ImportResult, type Tx } from "./config";
import { storedHealthSettings, writeHealthRow } from "./health-settings";

export type ConfigFile = GatewayConfig & { [HEALTH_KEY]?: HealthChecks };

/** The staged configuration with the stored health settings of its ISPs (none stored: no healthChecks key, as before). */
export async function exportConfigFile(): Promise<ConfigFile> {
  const [config, { stored }] = await Promise.all([loadConfig(), storedHealthSettings()]);
  const healthChecks: HealthChecks = {};
  for (const isp of config.isps) {
    const s = stored.get(isp.name);
    if (s) healthChecks[isp.name] = s;
  }
  return Object.keys(healthChecks).length ? { ...config, [HEALTH_KEY]: healthChecks } : config;
}

/**
 * Replace the staged configuration and the health settings with a file's. With healthChecks,
 * exactly those ISPs have stored settings afterwards (the others use the defaults); without
 * it, the stored settings of ISPs the file still defines are kept. Settings of ISPs the file
 * does not define are removed either way.
 */
export async function importConfigFile(input: unknown, also?: (tx: Tx) => Promise<unknown>): Promise<ImportResult & { healthChecks?: number }> {
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
    await also?.(tx);
  });
  return { ok: true, healthChecks: r.healthChecks ? Object.keys(r.healthChecks).length : undefined };
}
