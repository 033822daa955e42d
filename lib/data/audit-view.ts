// Reads of the audit log for the web UI (page and CSV export): filtered by kind (the action's
// first word: login, isp, host, apply, ...) and user, paged. Each read checks the session.
import "server-only";
import { currentUser } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { clampPage, pageFrom, type PageAsked } from "@/lib/validation/paging";

export const AUDIT_PAGE_SIZE = 50;
/** The CSV export's ceiling: a bigger log is exported in pieces by filtering. */
export const AUDIT_EXPORT_MAX = 50_000;

export interface AuditFilter {
  /** the action's kind: "login" matches login.ok, login.failed, ... */
  kind?: string;
  user?: string;
}

/** ?kind=&user=&page= -> a filter and a 1-based page (pageFrom: why a bad page was not used); anything unexpected is ignored. */
export function parseAuditQuery(q: Record<string, string | string[] | undefined>): AuditFilter & PageAsked {
  const one = (v: string | string[] | undefined) => (typeof v === "string" && v.length <= 100 ? v : undefined);
  return {
    kind: one(q.kind) && /^[a-z][a-z0-9_-]*$/.test(one(q.kind)!) ? one(q.kind) : undefined,
    user: one(q.user) || undefined,
    ...pageFrom(q.page),
  };
}

const where = (f: AuditFilter) => ({
  ...(f.kind ? { OR: [{ action: f.kind }, { action: { startsWith: `${f.kind}.` } }] } : {}),
  ...(f.user ? { actor: f.user } : {}),
});

/** One page of events; a page past the last is the last (`page` says which was read). */
export async function auditPage(f: AuditFilter & { page: number }) {
  if (!(await currentUser())) return null;
  const total = await db.auditEvent.count({ where: where(f) });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = clampPage(f.page, pages);
  const [events, kinds, users] = await Promise.all([
    db.auditEvent.findMany({ where: where(f), orderBy: { id: "desc" }, skip: (page - 1) * AUDIT_PAGE_SIZE, take: AUDIT_PAGE_SIZE }),
    db.auditEvent.findMany({ distinct: ["action"], select: { action: true } }),
    db.auditEvent.findMany({ distinct: ["actor"], select: { actor: true }, orderBy: { actor: "asc" } }),
  ]);
  return {
    total, events, page, pages,
    kinds: [...new Set(kinds.map((k) => k.action.split(".")[0]))].sort(),
    users: users.map((u) => u.actor),
  };
}

/** One CSV field: quoted, and a leading = + - @ defused so a spreadsheet never runs it as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export const AUDIT_CSV_HEADER = ["id", "at", "actor", "client_ip", "action", "target", "result", "before", "after"];

/** The filtered log as CSV (newest first), or null without a session. */
export async function auditCsv(f: AuditFilter): Promise<string | null> {
  if (!(await currentUser())) return null;
  const rows = await db.auditEvent.findMany({ where: where(f), orderBy: { id: "desc" }, take: AUDIT_EXPORT_MAX });
  const lines = [AUDIT_CSV_HEADER.join(",")];
  for (const e of rows) {
    lines.push([String(e.id), e.at.toISOString(), e.actor, e.clientIp, e.action, e.target, e.result, e.before ?? "", e.after ?? ""].map(csvField).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
