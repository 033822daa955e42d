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

/** One message per field: the first rule a value breaks says the most (later ones repeat it). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "_form";
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
    const [c, i, field] = issue.path;
    let key = "_form";
    if (c === collection && collection === "settings") key = String(i);
    else if (c === collection && i === index) key = String(field ?? "_form");
    const msg = key === "_form" ? `${describePath(issue.path, config)}: ${issue.message}` : issue.message;
    (out[key] ??= []).push(msg);
  }
  return out;
}

/** "Host laptop (address)" for an issue on another entity than the one being edited. */
export function describePath(path: (string | number)[], config?: GatewayConfig): string {
  const [c, i, f] = path;
  if (c === "settings") return `Settings (${String(i)})`;
  const noun: Record<string, string> = { isps: "ISP", hosts: "Host", natAddresses: "NAT address" };
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

/** A new ISP's form starts on the lowest routing table (from 100, the usual) and mark not yet used. */
export function nextFreeIspNumbers(config: Pick<GatewayConfig, "isps">): { routingTable: string; mark: string } {
  const tables = new Set(config.isps.map((i) => i.routingTable));
  const marks = new Set(config.isps.map((i) => i.mark));
  const free = (used: Set<number>, from: number, to: number) => {
    for (let n = from; n <= to; n++) if (!used.has(n)) return String(n);
    return "";
  };
  return { routingTable: free(tables, 100, 252) || free(tables, 1, 99), mark: free(marks, 1, 255) };
}
