// `switchyard config export/import`: the staged configuration and, beside it, the stored
// health-check settings and monthly caps of its ISPs and the notification channels (lib/validation/config-file.ts has the format). Import is
// all or nothing: the configuration, the health settings and the audit event are one
// transaction, after the whole file was validated.
import { db } from "@/lib/db";
import type { GatewayConfig } from "@/lib/model";
import { HEALTH_KEY, NOTIFY_KEY, USAGE_KEY, validateConfigFile, type HealthChecks, type UsageCaps } from "@/lib/validation/config-file";
import { exportedChannels, writeChannels, type ExportedChannel } from "@/lib/notify/channels";
import { loadCaps, writeCapRow } from "@/lib/usage/caps";
import { loadConfig, writeConfig, type ImportResult, type Tx } from "./config";
import { storedHealthSettings, writeHealthRow } from "./health-settings";
import { BACKUPS_KEY, type BackupScheduleInput } from "@/lib/validation/backup";
import { loadBackupSchedule, writeBackupSchedule } from "@/lib/backup/schedule-store";

export type ConfigFile = GatewayConfig & { [HEALTH_KEY]?: HealthChecks; [USAGE_KEY]?: UsageCaps; [NOTIFY_KEY]?: ExportedChannel[]; [BACKUPS_KEY]?: BackupScheduleInput };

/** The file's text, as `config export` writes it and the UI's download and scheduled copies too (byte for byte). */
export const configFileText = (file: unknown) => `${JSON.stringify(file, null, 2)}\n`;

/** The staged configuration with the stored health settings and caps of its ISPs (none stored: no healthChecks / usageCaps key, as before). */
export async function exportConfigFile(): Promise<ConfigFile> {
  const [config, { stored }, { caps }, channels] = await Promise.all([loadConfig(), storedHealthSettings(), loadCaps(), exportedChannels()]);
  const healthChecks: HealthChecks = {};
  const usageCaps: UsageCaps = {};
  for (const isp of config.isps) {
    const s = stored.get(isp.name);
    if (s) healthChecks[isp.name] = s;
    const c = caps.get(isp.name);
    if (c) usageCaps[isp.name] = c;
  }
  // the backup schedule only when it is not the default (off), so older files read the same
  const backups = await loadBackupSchedule();
  return {
    ...config,
    ...(Object.keys(healthChecks).length ? { [HEALTH_KEY]: healthChecks } : {}),
    ...(Object.keys(usageCaps).length ? { [USAGE_KEY]: usageCaps } : {}),
    // channels without their secrets ("secretSet": true says one is stored); none: no key, as before
    ...(channels.length ? { [NOTIFY_KEY]: channels } : {}),
    ...(backups.every !== "off" ? { [BACKUPS_KEY]: backups } : {}),
  };
}

/**
 * Replace the staged configuration and the health settings with a file's. With healthChecks,
 * exactly those ISPs have stored settings afterwards (the others use the defaults); without
 * it, the stored settings of ISPs the file still defines are kept. Settings of ISPs the file
 * does not define are removed either way.
 */
export async function importConfigFile(input: unknown, also?: (tx: Tx) => Promise<unknown>): Promise<ImportResult & { healthChecks?: number; usageCaps?: number; notifications?: number }> {
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
    // with "notifications": exactly those channels afterwards, each keeping its stored secret unless the file gives one
    if (r.notifications) await writeChannels(tx, r.notifications);
    // a file with "backups" sets the schedule; without it, the schedule is left as it is
    if (r.backups) await writeBackupSchedule(tx, r.backups);
    await also?.(tx);
  });
  return { ok: true, healthChecks: r.healthChecks ? Object.keys(r.healthChecks).length : undefined, usageCaps: r.usageCaps ? Object.keys(r.usageCaps).length : undefined, notifications: r.notifications?.length };
}
