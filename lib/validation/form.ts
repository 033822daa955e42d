// Turning schema results into what a form shows: one list of messages per field.
import type { z } from "zod";
import type { ConfigIssue } from "./config";

export type FieldErrors = Record<string, string[]>;

export interface FormState {
  ok?: boolean;
  message?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/**
 * Map whole-config issues back onto the form of one entity: issues at
 * [collection, index, field] become field errors; issues elsewhere (another
 * entity broke because of this change) become a form-level message.
 */
export function configIssuesForEntity(issues: ConfigIssue[], collection: string, index: number): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const [c, i, field] = issue.path;
    const key = c === collection && (i === index || collection === "settings") ? String(collection === "settings" ? i : field ?? "_form") : "_form";
    const msg = key === "_form" ? `${describePath(issue.path)}: ${issue.message}` : issue.message;
    (out[key] ??= []).push(msg);
  }
  return out;
}

function describePath(path: (string | number)[]): string {
  const [c, i, f] = path;
  const noun: Record<string, string> = { isps: "ISP", hosts: "Host", natAddresses: "NAT address", settings: "Settings" };
  if (c === "settings") return `Settings (${String(i)})`;
  return `${noun[String(c)] ?? String(c)} #${Number(i) + 1}${f ? ` (${String(f)})` : ""}`;
}

export function formValues(fd: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of fd.entries()) if (typeof v === "string" && !k.startsWith("$")) out[k] = v;
  return out;
}
