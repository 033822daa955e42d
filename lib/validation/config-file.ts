// The config file of `switchyard config export/import`: the staged configuration
// (lib/validation/config.ts) plus, beside it, the stored health-check settings of its ISPs:
//   { "settings": ..., "isps": [...], ..., "healthChecks": { "ISP1": { "targets": [...], ... } } }
// healthChecks is not part of the staged configuration (health settings are not staged: a
// running monitor uses them at once), and not its "health" (the monitor's derived down-list).
// An ISP without an entry uses the defaults. One schema: lib/validation/health.ts.
// Beside it, "usageCaps": { "LTE": { "capBytes": "50GB", "warnPct": [80, 90], "lastResort": true } },
// the monthly caps of metered ISPs (lib/validation/usage.ts); an ISP without an entry has none.
// And "notifications": the channels (lib/validation/notify.ts), secrets left out: an
// export marks them "secretSet": true, an import without "secret" keeps the stored one.
import type { GatewayConfig } from "@/lib/model";
import { validateConfig, type ConfigIssue } from "./config";
import { checkedHealthFieldsSchema, healthTargetIssues, type HealthFields } from "./health";
import { capFieldsSchema, type CapFields } from "./usage";
import { channelSchema, type ChannelInput } from "./notify";
import { BACKUPS_KEY, backupScheduleSchema, type BackupScheduleInput } from "./backup";

export const HEALTH_KEY = "healthChecks";
export const NOTIFY_KEY = "notifications";

export type HealthChecks = Record<string, HealthFields>;

/** Monthly caps of metered ISPs (lib/validation/usage.ts), also not staged. */
export const USAGE_KEY = "usageCaps";
export type UsageCaps = Record<string, CapFields>;

export type ConfigFileResult =
  | {
      ok: true;
      config: GatewayConfig;
      healthChecks: HealthChecks | undefined;
      usageCaps: UsageCaps | undefined;
      notifications?: ChannelInput[];
      backups?: BackupScheduleInput;
    }
  | { ok: false; issues: ConfigIssue[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** One per-ISP section of the file (healthChecks, usageCaps): each entry through its schema, each problem at its path. */
function section<T>(
  key: string,
  raw: unknown,
  names: Set<unknown>,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  example: string,
  issues: ConfigIssue[],
): Record<string, T> {
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

/** Validate a whole file; every problem at once, each with its path (healthChecks.ISP1.reliability). */
export function validateConfigFile(input: unknown): ConfigFileResult {
  // "backups" (the scheduled copies: lib/validation/backup.ts) is checked on its own, beside the rest
  if (isObject(input) && Object.hasOwn(input, BACKUPS_KEY)) {
    const { [BACKUPS_KEY]: raw, ...rest } = input;
    const b = backupScheduleSchema.safeParse(raw);
    const r = validateConfigFile(rest);
    const issues = [
      ...(r.ok ? [] : r.issues),
      ...(b.success ? [] : b.error.issues.map((i) => ({ path: [BACKUPS_KEY, ...(i.path as (string | number)[])], message: i.message }))),
    ];
    if (issues.length || !r.ok || !b.success) return { ok: false, issues };
    return { ...r, backups: b.data };
  }
  if (isObject(input) && Object.hasOwn(input, NOTIFY_KEY)) {
    const { [NOTIFY_KEY]: raw, ...rest } = input;
    const n = validateChannels(raw);
    const r = validateConfigFileWithoutChannels(rest);
    if (!r.ok || !n.ok) return { ok: false, issues: [...(r.ok ? [] : r.issues), ...(n.ok ? [] : n.issues)] };
    return { ...r, notifications: n.channels };
  }
  return validateConfigFileWithoutChannels(input);
}

function validateChannels(raw: unknown): { ok: true; channels: ChannelInput[] } | { ok: false; issues: ConfigIssue[] } {
  if (!Array.isArray(raw))
    return { ok: false, issues: [{ path: [NOTIFY_KEY], message: 'Expected a list of channels, like [{"name": "phone", "type": "ntfy", ...}]' }] };
  const issues: ConfigIssue[] = [];
  const channels: ChannelInput[] = [];
  raw.forEach((entry, i) => {
    // what an export says of the secret is no secret: dropped, the stored one is kept
    const { secretSet: _s, lastDelivery: _l, ...fields } = isObject(entry) ? entry : ({} as Record<string, unknown>);
    void _s;
    void _l;
    const c = channelSchema.safeParse(isObject(entry) ? fields : entry);
    if (!c.success) for (const is of c.error.issues) issues.push({ path: [NOTIFY_KEY, i, ...(is.path as (string | number)[])], message: is.message });
    else if (channels.some((o) => o.name === c.data.name))
      issues.push({ path: [NOTIFY_KEY, i, "name"], message: `A channel named ${c.data.name} is already in this file` });
    else channels.push(c.data);
  });
  return issues.length ? { ok: false, issues } : { ok: true, channels };
}

/** The file without its channels: the configuration and its per-ISP sections (healthChecks.ISP1.reliability, usageCaps.LTE.capBytes). */
function validateConfigFileWithoutChannels(input: unknown): ConfigFileResult {
  if (!isObject(input) || (!Object.hasOwn(input, HEALTH_KEY) && !Object.hasOwn(input, USAGE_KEY))) {
    const r = validateConfig(input);
    return r.ok ? { ...r, healthChecks: undefined, usageCaps: undefined } : r;
  }
  const { [HEALTH_KEY]: rawHealth, [USAGE_KEY]: rawCaps, ...rest } = input;
  const r = validateConfig(rest);
  const issues: ConfigIssue[] = r.ok ? [] : [...r.issues];
  const names = new Set(Array.isArray(rest.isps) ? rest.isps.map((i) => (isObject(i) ? i.name : undefined)) : []);
  const healthChecks = Object.hasOwn(input, HEALTH_KEY)
    ? section(HEALTH_KEY, rawHealth, names, checkedHealthFieldsSchema, '{"ISP1": {"targets": ["9.9.9.9"], ...}}', issues)
    : undefined;
  const usageCaps = Object.hasOwn(input, USAGE_KEY)
    ? section(USAGE_KEY, rawCaps, names, capFieldsSchema, '{"LTE": {"capBytes": "50GB", "warnPct": [80, 90, 100], "lastResort": true}}', issues)
    : undefined;
  // an IPv6 probe target needs its ISP's IPv6 (as the file defines the ISP)
  if (r.ok)
    for (const [name, h] of Object.entries(healthChecks ?? {})) {
      const isp = r.config.isps.find((i) => i.name === name);
      if (isp) for (const i of healthTargetIssues(isp, h.targets)) issues.push({ path: [HEALTH_KEY, name, ...i.path], message: i.message });
    }
  if (issues.length || !r.ok) return { ok: false, issues };
  return { ok: true, config: r.config, healthChecks, usageCaps };
}
