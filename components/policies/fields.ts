// A policy on a form: flat string fields (members as indexed rows, "members.0.isp") to
// and from the policySchema shape. Pure: the form's preview and the server action share it.
import type { PolicyConfig } from "@/lib/model";
import { checkbox } from "@/lib/validation/fields";
import { indexedRows } from "@/lib/validation/form";

export const MEMBER_KEYS = ["isp", "tier", "weight"] as const;
export type MemberRow = Record<(typeof MEMBER_KEYS)[number], string>;
export const MAX_MEMBERS = 8;

export const memberField = (row: number, key: (typeof MEMBER_KEYS)[number]) => `members.${row}.${key}`;

/** The form's values in the shape policySchema parses (numbers stay strings: the schema reads them). */
export function policyInput(v: Record<string, string>) {
  return {
    name: v.name ?? "",
    members: indexedRows(v, "members", MEMBER_KEYS),
    sticky: checkbox(v.sticky),
    lastResort: v.lastResort ?? "",
    notes: v.notes ?? "",
  };
}

export function memberRows(v: Record<string, string>): MemberRow[] {
  return indexedRows(v, "members", MEMBER_KEYS);
}

/** A new policy starts as a failover order over the first two ISPs. */
export function policyValues(p: PolicyConfig | undefined, ispNames: string[]): Record<string, string> {
  const members = p?.members ?? ispNames.slice(0, 2).map((isp, i) => ({ isp, tier: i + 1, weight: 1 }));
  const out: Record<string, string> = { name: p?.name ?? "", sticky: p?.sticky ? "on" : "", lastResort: p?.lastResort ?? "", notes: p?.notes ?? "" };
  members.forEach((m, i) => {
    out[memberField(i, "isp")] = m.isp;
    out[memberField(i, "tier")] = String(m.tier);
    out[memberField(i, "weight")] = String(m.weight);
  });
  return out;
}
