// Writing the monthly caps of ISPs (IspCap rows), with the audit event. Not staged: the monitor
// reads them at its next sample (10 s). Used by the ISP form (in the ISP's own transaction),
// `switchyard cap` and the import file (lib/data/config-file.ts).
import { db } from "@/lib/db";
import { loadCaps, writeCapRow } from "@/lib/usage/caps";
import { capFieldsSchema, type CapFields } from "@/lib/validation/usage";
import type { ConfigIssue } from "@/lib/validation/config";
import { loadConfig } from "./config";
import { recordAudit, type Actor } from "./audit";

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** undefined: leave as it is; null: no cap; fields: this cap. */
export type CapWrite = CapFields | null | undefined;

/** Write an ISP's cap in a transaction, audited when it changes. */
export async function writeCap(tx: Tx, actor: Actor, isp: string, cap: CapWrite): Promise<void> {
  if (cap === undefined) return;
  const before = (await loadCaps(tx)).caps.get(isp) ?? null;
  if (JSON.stringify(before) === JSON.stringify(cap)) return;
  await writeCapRow(tx, isp, cap);
  await recordAudit(tx, actor, cap ? "cap.set" : "cap.remove", isp, before, cap);
}

export type CapResult = { ok: true; cap: CapFields | null } | { ok: false; issues: ConfigIssue[] };

/** `cap set`: the given fields over the ISP's current cap (a new cap needs capBytes), validated as a whole. */
export async function setCap(isp: string, changes: Partial<Record<keyof CapFields, unknown>>, actor: Actor): Promise<CapResult> {
  const config = await loadConfig();
  if (!config.isps.some((i) => i.name === isp)) return { ok: false, issues: [{ path: [], message: `There is no ISP named ${isp} (ISPs: ${config.isps.map((i) => i.name).join(", ") || "none"})` }] };
  const current = (await loadCaps()).caps.get(isp);
  const r = capFieldsSchema.safeParse({ ...current, ...changes });
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })) };
  await db.$transaction((tx) => writeCap(tx, actor, isp, r.data));
  return { ok: true, cap: r.data };
}

/** `cap remove`: the ISP has no cap any more (its totals stay). */
export async function removeCap(isp: string, actor: Actor): Promise<CapResult> {
  await db.$transaction((tx) => writeCap(tx, actor, isp, null));
  return { ok: true, cap: null };
}
