// `switchyard config export/import`: the staged configuration and, beside it, the stored
// health-check settings of its ISPs (lib/validation/config-file.ts has the format). Import is
// all or nothing: the configuration, the health settings and the audit event are one
// transaction, after the whole file was validated.
import { db } from "@/lib/db";
import type { GatewayConfig } from "@/lib/model";
import { HEALTH_KEY, validateConfigFile, type HealthChecks } from "@/lib/validation/config-file";
import { loadConfig, writeConfig, type ImportResult, type Tx } from "./config";
import { storedHealthSettings, writeHealthRow } from "./health-settings";
import { BACKUPS_KEY, type BackupScheduleInput } from "@/lib/validation/backup";
import { loadBackupSchedule, writeBackupSchedule } from "@/lib/backup/schedule-store";

export type ConfigFile = GatewayConfig & { [HEALTH_KEY]?: HealthChecks; [BACKUPS_KEY]?: BackupScheduleInput };

/** The staged configuration with the stored health settings of its ISPs (none stored: no healthChecks key, as before). */
export async function exportConfigFile(): Promise<ConfigFile> {
  const [config, { stored }] = await Promise.all([loadConfig(), storedHealthSettings()]);
  const healthChecks: HealthChecks = {};
  for (const isp of config.isps) {
    const s = stored.get(isp.name);
    if (s) healthChecks[isp.name] = s;
  }
  // the backup schedule only when it is not the default (off), so older files read the same
  const backups = await loadBackupSchedule();
  return { ...config, ...(Object.keys(healthChecks).length ? { [HEALTH_KEY]: healthChecks } : {}), ...(backups.every !== "off" ? { [BACKUPS_KEY]: backups } : {}) };
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
    // a file with "backups" sets the schedule; without it, the schedule is left as it is
    if (r.backups) await writeBackupSchedule(tx, r.backups);
    await also?.(tx);
  });
  return { ok: true, healthChecks: r.healthChecks ? Object.keys(r.healthChecks).length : undefined };
}
