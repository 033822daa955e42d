// Health-check settings of one ISP (the monitor's probes, thresholds, hysteresis and damping).
// One schema for the ISP form, the CLI (`switchyard health set`), the import file and the
// database row. Targets reach ping's command line: each one must be a plain IPv4 address.
//
// Going worse and getting better are judged apart, so a steady loss settles in one state:
//   down/degraded   loss >= lossDownPct / lossDegradedPct over the last lossWindow probes
//   back            loss <= lossRecoverPct over the last recoverWindow probes (and upAfter replies in a row)
// Damping (minHoldMs, maxChanges per changeWindowMs) holds back recoveries only, never a failover.
import { z } from "./zod";
import { ipv4, ispName, wholeNumber } from "./fields";

export const healthTargets = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .split(/[\s,]+/)
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z
    .array(ipv4)
    .min(1, "Enter at least one address to probe")
    .max(8, "At most 8 probe targets")
    .refine((a) => new Set(a).size === a.length, "Each probe target only once"),
);

/** The settings' fields without the ISP, as the form, the CLI and the import file give them. */
export const healthFieldsSchema = z.object({
  targets: healthTargets,
  /** how many targets must answer for the ISP to count as up (mwan3's reliability) */
  reliability: wholeNumber("Targets that must answer", 1, 8),
  intervalMs: wholeNumber("Interval", 100, 60_000, " ms"),
  timeoutMs: wholeNumber("Timeout", 100, 60_000, " ms"),
  downAfter: wholeNumber("Failures before down", 1, 100),
  upAfter: wholeNumber("Successes before up", 1, 100),
  lossDegradedPct: wholeNumber("Loss for degraded", 1, 100, " %"),
  lossDownPct: wholeNumber("Loss for down", 1, 100, " %"),
  lossRecoverPct: wholeNumber("Loss to recover", 0, 99, " %"),
  lossWindow: wholeNumber("Loss window", 5, 600, " probes"),
  recoverWindow: wholeNumber("Recovery window", 5, 600, " probes"),
  rttDegradedMs: wholeNumber("Latency for degraded", 1, 60_000, " ms"),
  rttDownMs: wholeNumber("Latency for down", 1, 60_000, " ms"),
  minHoldMs: wholeNumber("Minimum hold time", 0, 3_600_000, " ms"),
  maxChanges: wholeNumber("Recoveries per window", 1, 1000),
  changeWindowMs: wholeNumber("Damping window", 1000, 86_400_000, " ms"),
});

type Fields = z.output<typeof healthFieldsSchema>;

/** Whole-settings checks, each at the field it concerns. */
export function checkHealthFields(s: Fields, ctx: z.RefinementCtx) {
  if (s.lossDownPct < s.lossDegradedPct) ctx.addIssue({ code: "custom", path: ["lossDownPct"], message: "Loss for down must not be below loss for degraded" });
  if (s.lossRecoverPct >= s.lossDegradedPct)
    ctx.addIssue({
      code: "custom",
      path: ["lossRecoverPct"],
      message: `Loss to recover must be below loss for degraded (${s.lossDegradedPct} %), or a steady loss flaps`,
    });
  if (s.rttDownMs < s.rttDegradedMs) ctx.addIssue({ code: "custom", path: ["rttDownMs"], message: "Latency for down must not be below latency for degraded" });
  if (s.reliability > s.targets.length)
    ctx.addIssue({
      code: "custom",
      path: ["reliability"],
      message: `Only ${s.targets.length} target${s.targets.length === 1 ? "" : "s"} given: at most ${s.targets.length} can be required to answer`,
    });
  if (s.timeoutMs > 10 * s.intervalMs) ctx.addIssue({ code: "custom", path: ["timeoutMs"], message: "Timeout must not exceed 10 intervals" });
}

export const ispHealthSettingsSchema = healthFieldsSchema.extend({ isp: ispName }).strict().superRefine(checkHealthFields);

export type IspHealthSettingsInput = z.input<typeof ispHealthSettingsSchema>;
export type IspHealthSettings = z.output<typeof ispHealthSettingsSchema>;
export type HealthFields = Fields;

/** The fields with the whole-settings checks, without the ISP: the ISP form's fieldset, `health set`, an import file's entry. */
export const checkedHealthFieldsSchema = healthFieldsSchema.strict().superRefine(checkHealthFields);

/** The fields in the order the form, the CLI and the docs list them. */
export const HEALTH_FIELDS = Object.keys(healthFieldsSchema.shape) as (keyof Fields)[];
