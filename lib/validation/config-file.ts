// The config file of `switchyard config export/import`: the staged configuration
// (lib/validation/config.ts) plus, beside it, the stored health-check settings of its ISPs:
//   { "settings": ..., "isps": [...], ..., "healthChecks": { "ISP1": { "targets": [...], ... } } }
// healthChecks is not part of the staged configuration (health settings are not staged: a
// running monitor uses them at once), and not its "health" (the monitor's derived down-list).
// An ISP without an entry uses the defaults. One schema: lib/validation/health.ts.
import type { GatewayConfig } from "@/lib/model";
import { validateConfig, type ConfigIssue } from "./config";
import { checkedHealthFieldsSchema, type HealthFields } from "./health";
import { BACKUPS_KEY, backupScheduleSchema, type BackupScheduleInput } from "./backup";

export const HEALTH_KEY = "healthChecks";

export type HealthChecks = Record<string, HealthFields>;

export type ConfigFileResult =
  | { ok: true; config: GatewayConfig; healthChecks: HealthChecks | undefined; backups?: BackupScheduleInput }
  | { ok: false; issues: ConfigIssue[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Validate a whole file; every problem at once, each with its path (healthChecks.ISP1.reliability). */
export function validateConfigFile(input: unknown): ConfigFileResult {
  // "backups" (the scheduled copies: lib/validation/backup.ts) is checked on its own, beside the rest
  if (isObject(input) && Object.hasOwn(input, BACKUPS_KEY)) {
    const { [BACKUPS_KEY]: raw, ...rest } = input;
    const b = backupScheduleSchema.safeParse(raw);
    const r = validateConfigFile(rest);
    const issues = [...(r.ok ? [] : r.issues), ...(b.success ? [] : b.error.issues.map((i) => ({ path: [BACKUPS_KEY, ...(i.path as (string | number)[])], message: i.message })))];
    if (issues.length || !r.ok || !b.success) return { ok: false, issues };
    return { ...r, backups: b.data };
  }
  if (!isObject(input) || !Object.hasOwn(input, HEALTH_KEY)) {
    const r = validateConfig(input);
    return r.ok ? { ...r, healthChecks: undefined } : r;
  }
  const { [HEALTH_KEY]: raw, ...rest } = input;
  const r = validateConfig(rest);
  const issues: ConfigIssue[] = r.ok ? [] : [...r.issues];
  const healthChecks: HealthChecks = {};
  if (!isObject(raw)) {
    issues.push({ path: [HEALTH_KEY], message: 'Expected an object of ISP names, like {"ISP1": {"targets": ["9.9.9.9"], ...}}' });
  } else {
    const names = new Set(Array.isArray(rest.isps) ? rest.isps.map((i) => (isObject(i) ? i.name : undefined)) : []);
    for (const [name, entry] of Object.entries(raw)) {
      if (!names.has(name)) issues.push({ path: [HEALTH_KEY, name], message: `There is no ISP named ${name} in this file` });
      const h = checkedHealthFieldsSchema.safeParse(entry);
      if (h.success) healthChecks[name] = h.data;
      else for (const i of h.error.issues) issues.push({ path: [HEALTH_KEY, name, ...(i.path as (string | number)[])], message: i.message });
    }
  }
  if (issues.length || !r.ok) return { ok: false, issues };
  return { ok: true, config: r.config, healthChecks };
}
