// The ISP form's "Monthly cap" fieldset (lib/validation/usage.ts). Not staged: the monitor
// checks the month's usage against it at every sample (10 s). An empty cap means none.
import type { FieldSpec } from "@/components/ui/field";
import type { CapFields } from "@/lib/validation/usage";

export const capFields: FieldSpec[] = [
  {
    name: "capBytes",
    label: "Monthly cap",
    placeholder: "50GB",
    help: "Bytes sent and received through this ISP per calendar month (the gateway's time zone), like 50GB, 1.5TB or 500GiB (GB = 10^9 bytes, as ISPs count). Empty: no cap",
  },
  { name: "warnPct", label: "Warn at (%)", placeholder: "80, 90, 100", help: "Percentages of the cap at which a notification is sent, each once a month" },
  {
    name: "lastResort",
    label: "Above 100 %: use this ISP only as the last resort",
    type: "checkbox",
    help: "Its hosts move to another ISP while one is up; it carries traffic again when nothing else is up, or when the month ends",
  },
];

/** The form's values of the cap fields (no cap: empty, with the usual warnings ready). */
export function capValues(cap: CapFields | null): Record<string, string> {
  if (!cap) return { capBytes: "", warnPct: "80, 90, 100", lastResort: "" };
  return { capBytes: String(cap.capBytes), warnPct: cap.warnPct.join(", "), lastResort: cap.lastResort ? "on" : "" };
}
