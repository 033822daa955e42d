// Writing and reading the health-check settings of ISPs (IspHealthSettings rows). Not staged:
// a running monitor reloads them every second (lib/health/monitor.ts), so a write here takes
// effect at once. An ISP without a row uses the defaults (lib/health/store.ts); a write equal to
// the defaults stores nothing, so "defaults" stays true when the defaults are what is set.
// Used by the ISP form (in the ISP's own transaction), `switchyard health` and config import.
import { db } from "@/lib/db";
import type { GatewayConfig, IspConfig } from "@/lib/model";
import { defaultHealthSettings, rowToInput } from "@/lib/health/store";
import { linkOnlyWarning, targetScope, type TargetScope } from "@/lib/health/scope";
import { checkedHealthFieldsSchema, HEALTH_FIELDS, healthTargetIssues, type HealthFields } from "@/lib/validation/health";
import type { ConfigIssue } from "@/lib/validation/config";
import { resolveTarget } from "@/lib/engine/target";
import { loadConfig } from "./config";
import { recordAudit, type Actor } from "./audit";
import { formatIssues } from "@/lib/validation/issues";

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];
type Client = Tx | typeof db;

/** Is the gateway this process manages a lab (lab defaults: its test server)? From the same environment the monitor's target comes from. */
export function managesLab(env = process.env): boolean {
  try {
    return Boolean(resolveTarget({}, env).labPrefix);
  } catch {
    return false;
  }
}

/** The defaults of an ISP (by name: as without IPv6; the lab's defaults of an ISP with IPv6 add its server's IPv6 address). */
export function defaultFields(isp: string | Pick<IspConfig, "name" | "ipv6">, lab: boolean): HealthFields {
  const { isp: _isp, ...fields } = defaultHealthSettings(typeof isp === "string" ? { name: isp } : isp, { lab });
  return fields;
}

export function sameFields(a: HealthFields, b: HealthFields): boolean {
  return HEALTH_FIELDS.every((k) => (k === "targets" ? a.targets.join(",") === b.targets.join(",") : a[k] === b[k]));
}

/** What to store: null when the fields are the defaults (no row: the ISP follows the defaults). */
export function toStore(isp: string | Pick<IspConfig, "name" | "ipv6">, fields: HealthFields, lab: boolean): HealthFields | null {
  return sameFields(fields, defaultFields(isp, lab)) ? null : fields;
}

/** Store (or, with null, remove) an ISP's row. */
export async function writeHealthRow(tx: Client, isp: string, fields: HealthFields | null): Promise<void> {
  if (!fields) {
    await tx.ispHealthSettings.deleteMany({ where: { isp } });
    return;
  }
  const data = { ...fields, isp, targets: fields.targets.join(",") };
  await tx.ispHealthSettings.upsert({ where: { isp }, create: data, update: data });
}

/** An ISP was renamed: its settings go with it (a stale row of the new name is replaced). */
export async function renameHealthRow(tx: Tx, from: string, to: string): Promise<void> {
  if (from === to) return;
  await tx.ispHealthSettings.deleteMany({ where: { isp: to } });
  await tx.ispHealthSettings.updateMany({ where: { isp: from }, data: { isp: to } });
}

/** Every stored row by ISP name, validated; a row that fails the schema is reported, not used. */
export async function storedHealthSettings(client: Client = db): Promise<{ stored: Map<string, HealthFields>; invalid: Map<string, string> }> {
  const stored = new Map<string, HealthFields>();
  const invalid = new Map<string, string>();
  for (const row of await client.ispHealthSettings.findMany({ orderBy: { isp: "asc" } })) {
    const { isp, ...rest } = rowToInput(row) as { isp: string };
    const r = checkedHealthFieldsSchema.safeParse(rest);
    if (r.success) stored.set(isp, r.data);
    else invalid.set(isp, formatIssues(r.error.issues));
  }
  return { stored, invalid };
}

export interface EffectiveHealth {
  isp: string;
  settings: HealthFields;
  /** true: a stored row; false: the defaults */
  stored: boolean;
  scope: TargetScope;
  /** set when every target is on the ISP's link */
  warning: string | null;
  /** a stored row the schema refuses (the monitor refuses to start with it) */
  invalid?: string;
}

/** The settings each ISP of the config is probed with: its row, or the defaults. */
export async function effectiveHealthSettings(config: Pick<GatewayConfig, "isps">, lab: boolean): Promise<EffectiveHealth[]> {
  const { stored, invalid } = await storedHealthSettings();
  return config.isps.map((isp) => {
    const own = stored.get(isp.name);
    const settings = own ?? defaultFields(isp, lab);
    return { isp: isp.name, settings, stored: Boolean(own), scope: targetScope(isp, settings), warning: linkOnlyWarning(isp, settings), ...(invalid.has(isp.name) ? { invalid: invalid.get(isp.name) } : {}) };
  });
}

export type HealthWrite =
  | { ok: true; isp: IspConfig; settings: HealthFields; stored: boolean; warning: string | null }
  | { ok: false; issues: ConfigIssue[] };

async function stagedIsp(name: string): Promise<IspConfig | ConfigIssue[]> {
  const config = await loadConfig();
  const isp = config.isps.find((i) => i.name === name);
  if (isp) return isp;
  const known = config.isps.map((i) => i.name).join(", ") || "none";
  return [{ path: [], message: `There is no ISP named ${name} (ISPs: ${known})` }];
}

/**
 * `health set`: the given fields (as typed) over the ISP's current settings (stored or the
 * defaults), validated as a whole; issues carry the field's name as their path.
 */
export async function setHealthSettings(name: string, changes: Partial<Record<keyof HealthFields, unknown>>, actor: Actor, lab: boolean): Promise<HealthWrite> {
  const isp = await stagedIsp(name);
  if (Array.isArray(isp)) return { ok: false, issues: isp };
  const current = (await effectiveHealthSettings({ isps: [isp] }, lab))[0];
  const r = checkedHealthFieldsSchema.safeParse({ ...current.settings, ...changes });
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })) };
  const v6 = healthTargetIssues(isp, r.data.targets);
  if (v6.length) return { ok: false, issues: v6 };
  const store = toStore(isp, r.data, lab);
  await db.$transaction(async (tx) => {
    await writeHealthRow(tx, name, store);
    await recordAudit(tx, actor, "health.set", name, current.stored ? current.settings : null, store);
  });
  return { ok: true, isp, settings: r.data, stored: store !== null, warning: linkOnlyWarning(isp, r.data) };
}

/** `health reset`: back to the defaults (the row goes). */
export async function resetHealthSettings(name: string, actor: Actor, lab: boolean): Promise<HealthWrite> {
  const isp = await stagedIsp(name);
  if (Array.isArray(isp)) return { ok: false, issues: isp };
  const current = (await effectiveHealthSettings({ isps: [isp] }, lab))[0];
  await db.$transaction(async (tx) => {
    await writeHealthRow(tx, name, null);
    if (current.stored) await recordAudit(tx, actor, "health.reset", name, current.settings, null);
  });
  const settings = defaultFields(isp, lab);
  return { ok: true, isp, settings, stored: false, warning: linkOnlyWarning(isp, settings) };
}
