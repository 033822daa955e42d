// Turning schema results into what a form shows: one list of messages per field.
import type { z } from "zod";
import type { ConfigIssue } from "./config";
import type { GatewayConfig } from "@/lib/model";

export type FieldErrors = Record<string, string[]>;

export interface FormState {
  ok?: boolean;
  message?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
}

/**
 * Fields that are lists of rows on a form (a policy's members): their issues keep the
 * whole path, "members.1.weight", so each lands on its own row's control.
 */
const ROW_FIELDS = new Set(["members"]);

/** Nested values a form shows as fields of their own (an ISP's IPv6 prefix is the form's ipv6Prefix). */
const NESTED_FIELDS: Record<string, string> = {
  "ipv6.prefix": "ipv6Prefix",
  "ipv6.gateway": "ipv6Gateway",
  "ipv6.translate": "ipv6Translate",
  "ipv6.mode": "ipv6Mode",
};

/** The form key of an issue's path inside one entity: "mac", or "members.1.weight" for a row. */
function fieldKey(path: readonly PropertyKey[]): string {
  if (!path.length) return "_form";
  const [field] = path;
  const nested = NESTED_FIELDS[path.slice(0, 2).map(String).join(".")];
  if (nested) return nested;
  return ROW_FIELDS.has(String(field)) && path.length > 1 ? path.map(String).join(".") : String(field);
}

/** One message per field: the first rule a value breaks says the most (later ones repeat it). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = fieldKey(issue.path);
    if (!out[key]) out[key] = [issue.message];
  }
  return out;
}

/**
 * Map whole-config issues back onto the form of one entity: issues at
 * [collection, index, field] become field errors; issues elsewhere (another
 * entity broke because of this change) become a form-level message.
 */
export function configIssuesForEntity(issues: ConfigIssue[], collection: string, index: number, config?: GatewayConfig): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const [c, i] = issue.path;
    let key = "_form";
    if (c === collection && collection === "settings") key = String(i);
    else if (c === collection && i === index) key = fieldKey(issue.path.slice(2));
    const msg = key === "_form" ? `${describePath(issue.path, config)}: ${issue.message}` : issue.message;
    (out[key] ??= []).push(msg);
  }
  return out;
}

/** "Host laptop (address)" for an issue on another entity than the one being edited. */
export function describePath(path: (string | number)[], config?: GatewayConfig): string {
  const [c, i, f] = path;
  if (c === "settings") return `Settings (${String(i)})`;
  const noun: Record<string, string> = { isps: "ISP", hosts: "Host", natAddresses: "NAT address", policies: "Policy" };
  const entity = config && typeof i === "number" ? (config as unknown as Record<string, { name?: string; address?: string }[]>)[String(c)]?.[i] : undefined;
  const label = entity?.name ?? entity?.address ?? `#${Number(i) + 1}`;
  return `${noun[String(c)] ?? String(c)} ${label}${f ? ` (${String(f)})` : ""}`;
}

export function formValues(fd: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of fd.entries()) if (typeof v === "string" && !k.startsWith("$")) out[k] = v;
  return out;
}

/** A database id from a form field; null for "new". */
export function idFrom(v: unknown): number | null {
  // ids are 32-bit in the schema: a longer number is no id (and must not reach a query)
  return typeof v === "string" && /^[1-9]\d{0,9}$/.test(v) && Number(v) <= 2_147_483_647 ? Number(v) : null;
}

/** Errors of the schema's fields shown at the form's field that sets them ({isp: "uses", policy: "uses"}). */
export function renameErrors(state: FormState, to: Record<string, string>): FormState {
  if (!state.errors) return state;
  const errors: FieldErrors = {};
  for (const [k, msgs] of Object.entries(state.errors)) {
    const list = (errors[to[k] ?? k] ??= []);
    for (const m of msgs) if (!list.includes(m)) list.push(m);
  }
  return { ...state, errors };
}

/**
 * Rows of a list sent as indexed fields ("members.0.isp", "members.0.tier", ...), in index
 * order. Indices are at most two digits: a crafted form cannot ask for a huge array.
 */
export function indexedRows<K extends string>(values: Record<string, string>, list: string, keys: readonly K[]): Record<K, string>[] {
  const re = new RegExp(`^${list}\\.(\\d{1,2})\\.(${keys.join("|")})$`);
  const rows = new Map<number, Record<string, string>>();
  for (const [k, v] of Object.entries(values)) {
    const m = re.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    if (!rows.has(i)) rows.set(i, {});
    rows.get(i)![m[2]] = v;
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => Object.fromEntries(keys.map((k) => [k, r[k] ?? ""])) as Record<K, string>);
}

/**
 * One select for "what this uses": "" the default, "policy:NAME" a policy, anything else an
 * ISP's name (ISP and policy names never clash: the whole-config check refuses it).
 */
export function usesFrom(v: string | undefined): { isp: string | null; policy: string | null } {
  if (!v) return { isp: null, policy: null };
  return v.startsWith("policy:") ? { isp: null, policy: v.slice(7) } : { isp: v, policy: null };
}

export function usesValue(isp: string | null | undefined, policy: string | null | undefined): string {
  return policy ? `policy:${policy}` : (isp ?? "");
}

/** A new ISP's form starts on the lowest routing table (from 100, the usual) and mark not yet used. */
export function nextFreeIspNumbers(config: Pick<GatewayConfig, "isps">): { routingTable: string; mark: string } {
  const tables = new Set(config.isps.map((i) => i.routingTable));
  const marks = new Set(config.isps.map((i) => i.mark));
  const free = (used: Set<number>, from: number, to: number) => {
    for (let n = from; n <= to; n++) if (!used.has(n)) return String(n);
    return "";
  };
  return { routingTable: free(tables, 100, 252) || free(tables, 1, 99), mark: free(marks, 1, 254) };
}

/**
 * The Settings form's canary fields: "on"/"off" and "target=address, ..." -> the setting. A pair
 * that is not target=address is kept as a key the schema refuses, so the error names it.
 */
export function canaryFromForm(on: string, pairs: string): { enabled: boolean; addresses?: Record<string, string> } {
  const addresses: Record<string, string> = {};
  for (const pair of pairs.split(/[,\s]+/).filter(Boolean)) {
    const m = /^([^=]+)=(.*)$/.exec(pair);
    if (m) addresses[m[1].trim()] = m[2].trim();
    else addresses[pair] = "";
  }
  return { enabled: on === "on", ...(Object.keys(addresses).length ? { addresses } : {}) };
}
