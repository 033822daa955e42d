// The config file of `switchyard config export/import`: the staged configuration
// (lib/validation/config.ts) plus, beside it, the stored health-check settings of its ISPs:
//   { "settings": ..., "isps": [...], ..., "healthChecks": { "ISP1": { "targets": [...], ... } } }
// healthChecks is not part of the staged configuration (health settings are not staged: a
// running monitor uses them at once), and not its "health" (the monitor's derived down-list).
// An ISP without an entry uses the defaults. One schema: lib/validation/health.ts.
// Beside them, "notifications": the channels (lib/validation/notify.ts), secrets left out: an
// export marks them "secretSet": true, an import without "secret" keeps the stored one.
import type { GatewayConfig } from "@/lib/model";
import { validateConfig, type ConfigIssue } from "./config";
import { checkedHealthFieldsSchema, type HealthFields } from "./health";
import { channelSchema, type ChannelInput } from "./notify";

export const HEALTH_KEY = "healthChecks";
export const NOTIFY_KEY = "notifications";

export type HealthChecks = Record<string, HealthFields>;

export type ConfigFileResult =
  | { ok: true; config: GatewayConfig; healthChecks: HealthChecks | undefined; notifications?: ChannelInput[] }
  | { ok: false; issues: ConfigIssue[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Validate a whole file; every problem at once, each with its path (healthChecks.ISP1.reliability). */
export function validateConfigFile(input: unknown): ConfigFileResult {
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
  if (!Array.isArray(raw)) return { ok: false, issues: [{ path: [NOTIFY_KEY], message: 'Expected a list of channels, like [{"name": "phone", "type": "ntfy", ...}]' }] };
  const issues: ConfigIssue[] = [];
  const channels: ChannelInput[] = [];
  raw.forEach((entry, i) => {
    // what an export says of the secret is no secret: dropped, the stored one is kept
    const { secretSet: _s, lastDelivery: _l, ...fields } = isObject(entry) ? entry : ({} as Record<string, unknown>);
    void _s;
    void _l;
    const c = channelSchema.safeParse(isObject(entry) ? fields : entry);
    if (!c.success) for (const is of c.error.issues) issues.push({ path: [NOTIFY_KEY, i, ...(is.path as (string | number)[])], message: is.message });
    else if (channels.some((o) => o.name === c.data.name)) issues.push({ path: [NOTIFY_KEY, i, "name"], message: `A channel named ${c.data.name} is already in this file` });
    else channels.push(c.data);
  });
  return issues.length ? { ok: false, issues } : { ok: true, channels };
}

function validateConfigFileWithoutChannels(input: unknown): ConfigFileResult {
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
