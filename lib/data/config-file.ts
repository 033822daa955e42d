// `switchyard config export/import`: the staged configuration and, beside it, the stored
// health-check settings and monthly caps of its ISPs (lib/validation/config-file.ts has the format). Import is
// all or nothing: the configuration, the health settings and the audit event are one
// transaction, after the whole file was validated.
import { db } from "@/lib/db";
import type { GatewayConfig } from "@/lib/model";
import { HEALTH_KEY, USAGE_KEY, validateConfigFile, type HealthChecks, type UsageCaps } from "@/lib/validation/config-file";
import { loadCaps, writeCapRow } from "@/lib/usage/caps";
import { loadConfig, writeConfig, type ImportResult, type Tx } from "./config";
import { storedHealthSettings, writeHealthRow } from "./health-settings";

export type ConfigFile = GatewayConfig & { [HEALTH_KEY]?: HealthChecks; [USAGE_KEY]?: UsageCaps };

/** The staged configuration with the stored health settings and caps of its ISPs (none stored: no healthChecks / usageCaps key, as before). */
export async function exportConfigFile(): Promise<ConfigFile> {
  const [config, { stored }, { caps }] = await Promise.all([loadConfig(), storedHealthSettings(), loadCaps()]);
  const healthChecks: HealthChecks = {};
  const usageCaps: UsageCaps = {};
  for (const isp of config.isps) {
    const s = stored.get(isp.name);
    if (s) healthChecks[isp.name] = s;
    const c = caps.get(isp.name);
    if (c) usageCaps[isp.name] = c;
  }
  return {
    ...config,
    ...(Object.keys(healthChecks).length ? { [HEALTH_KEY]: healthChecks } : {}),
    ...(Object.keys(usageCaps).length ? { [USAGE_KEY]: usageCaps } : {}),
  };
}

/**
 * Replace the staged configuration and the health settings with a file's. With healthChecks,
 * exactly those ISPs have stored settings afterwards (the others use the defaults); without
 * it, the stored settings of ISPs the file still defines are kept. Settings of ISPs the file
 * does not define are removed either way.
 */
export async function importConfigFile(input: unknown, also?: (tx: Tx) => Promise<unknown>): Promise<ImportResult & { healthChecks?: number; usageCaps?: number }> {
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
    // caps likewise: with usageCaps exactly those; without, the caps of ISPs the file keeps
    if (r.usageCaps) {
      await tx.ispCap.deleteMany();
      for (const [isp, fields] of Object.entries(r.usageCaps)) await writeCapRow(tx, isp, fields);
    } else {
      await tx.ispCap.deleteMany({ where: { isp: { notIn: names } } });
    }
    await also?.(tx);
  });
  return { ok: true, healthChecks: r.healthChecks ? Object.keys(r.healthChecks).length : undefined, usageCaps: r.usageCaps ? Object.keys(r.usageCaps).length : undefined };
}
