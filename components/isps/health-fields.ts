// The ISP form's "Health checks" fieldset: one control per field of healthFieldsSchema
// (lib/validation/health.ts), with what each does. Not staged: a running monitor reloads
// them every second.
import type { FieldSpec } from "@/components/ui/field";
import type { HealthFields } from "@/lib/validation/health";
import { HEALTH_FIELDS } from "@/lib/validation/health";

const num = (name: keyof HealthFields, label: string, help: string): FieldSpec => ({ name, label, help, inputMode: "numeric" });

export const healthFields: FieldSpec[] = [
  {
    name: "targets",
    label: "Probe targets",
    placeholder: "9.9.9.9, 1.1.1.1, 2620:fe::fe",
    help: "Up to 8 IPv4 or IPv6 addresses, comma or space separated, pinged through this ISP. They must be BEYOND the ISP's router: the router answering proves the link only, not the internet behind it. An IPv6 target needs this ISP's IPv6 (translation on) and a LAN /64 of its prefix; with reliability 1 its loss alone does not take the ISP down",
  },
  num(
    "reliability",
    "Targets that must answer",
    "How many targets must answer for the ISP to count as up (mwan3's reliability); fewer answering is a failed probe",
  ),
  num("intervalMs", "Interval (ms)", "Time between probes of each target"),
  num("timeoutMs", "Timeout (ms)", "A reply later than this counts as lost"),
  num("downAfter", "Failures before down", "Failed probes in a row that take the ISP down (its hosts fail over at once)"),
  num("upAfter", "Successes before up", "Answered probes in a row before a down ISP is back"),
  num("lossDegradedPct", "Loss for degraded (%)", "Loss over the loss window at which the ISP is degraded"),
  num("lossDownPct", "Loss for down (%)", "Loss over the loss window at which the ISP is down"),
  num(
    "lossRecoverPct",
    "Loss to recover (%)",
    "A degraded or down ISP is back only at or below this loss over the recovery window; below loss for degraded, so a steady loss does not flap",
  ),
  num("lossWindow", "Loss window (probes)", "Probes over which loss going worse is judged"),
  num("recoverWindow", "Recovery window (probes)", "Probes over which a recovery is judged"),
  num("rttDegradedMs", "Latency for degraded (ms)", "Round-trip time at which the ISP is degraded"),
  num("rttDownMs", "Latency for down (ms)", "Round-trip time at which the ISP counts as down"),
  num("minHoldMs", "Minimum hold (ms)", "A recovery waits until the last change is at least this old (going down never waits)"),
  num(
    "maxChanges",
    "Recoveries per window",
    "At most this many recoveries per damping window; a flapping ISP stays down after that (going down is never held)",
  ),
  num("changeWindowMs", "Damping window (ms)", "The window the recoveries are counted in"),
];

/** The form's values of the health fields (targets comma separated). */
export function healthValues(s: HealthFields): Record<string, string> {
  return Object.fromEntries(HEALTH_FIELDS.map((k) => [k, k === "targets" ? s.targets.join(", ") : String(s[k])]));
}
