// The config file of `switchyard config export/import`: the staged configuration
// (lib/validation/config.ts) plus, beside it, the stored health-check settings of its ISPs:
//   { "settings": ..., "isps": [...], ..., "healthChecks": { "ISP1": { "targets": [...], ... } } }
// healthChecks is not part of the staged configuration (health settings are not staged: a
// running monitor uses them at once), and not its "health" (the monitor's derived down-list).
// An ISP without an entry uses the defaults. One schema: lib/validation/health.ts.
// Beside it, "usageCaps": { "LTE": { "capBytes": "50GB", "warnPct": [80, 90], "lastResort": true } },
// the monthly caps of metered ISPs (lib/validation/usage.ts); an ISP without an entry has none.
import type { GatewayConfig } from "@/lib/model";
import { validateConfig, type ConfigIssue } from "./config";
import { checkedHealthFieldsSchema, type HealthFields } from "./health";
import { capFieldsSchema, type CapFields } from "./usage";

export const HEALTH_KEY = "healthChecks";

export type HealthChecks = Record<string, HealthFields>;

/** Monthly caps of metered ISPs (lib/validation/usage.ts), also not staged. */
export const USAGE_KEY = "usageCaps";
export type UsageCaps = Record<string, CapFields>;

export type ConfigFileResult =
  | { ok: true; config: GatewayConfig; healthChecks: HealthChecks | undefined; usageCaps: UsageCaps | undefined }
  | { ok: false; issues: ConfigIssue[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** One per-ISP section of the file (healthChecks, usageCaps): each entry through its schema, each problem at its path. */
function section<T>(key: string, raw: unknown, names: Set<unknown>, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, example: string, issues: ConfigIssue[]): Record<string, T> {
  const out: Record<string, T> = {};
  if (!isObject(raw)) {
    issues.push({ path: [key], message: `Expected an object of ISP names, like ${example}` });
    return out;
  }
  for (const [name, entry] of Object.entries(raw)) {
    if (!names.has(name)) issues.push({ path: [key, name], message: `There is no ISP named ${name} in this file` });
    const h = schema.safeParse(entry);
    if (h.success) out[name] = h.data;
    else for (const i of h.error.issues) issues.push({ path: [key, name, ...(i.path as (string | number)[])], message: i.message });
  }
  return out;
}

/** Validate a whole file; every problem at once, each with its path (healthChecks.ISP1.reliability, usageCaps.LTE.capBytes). */
export function validateConfigFile(input: unknown): ConfigFileResult {
  if (!isObject(input) || (!Object.hasOwn(input, HEALTH_KEY) && !Object.hasOwn(input, USAGE_KEY))) {
    const r = validateConfig(input);
    return r.ok ? { ...r, healthChecks: undefined, usageCaps: undefined } : r;
  }
  const { [HEALTH_KEY]: rawHealth, [USAGE_KEY]: rawCaps, ...rest } = input;
  const r = validateConfig(rest);
  const issues: ConfigIssue[] = r.ok ? [] : [...r.issues];
  const names = new Set(Array.isArray(rest.isps) ? rest.isps.map((i) => (isObject(i) ? i.name : undefined)) : []);
  const healthChecks = Object.hasOwn(input, HEALTH_KEY) ? section(HEALTH_KEY, rawHealth, names, checkedHealthFieldsSchema, '{"ISP1": {"targets": ["9.9.9.9"], ...}}', issues) : undefined;
  const usageCaps = Object.hasOwn(input, USAGE_KEY) ? section(USAGE_KEY, rawCaps, names, capFieldsSchema, '{"LTE": {"capBytes": "50GB", "warnPct": [80, 90, 100], "lastResort": true}}', issues) : undefined;
  if (issues.length || !r.ok) return { ok: false, issues };
  return { ok: true, config: r.config, healthChecks, usageCaps };
}
