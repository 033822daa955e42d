// Health-check settings of one ISP (the monitor's probes and thresholds). Targets reach
// ping's command line: each one must be a plain IPv4 address.
import { z } from "zod";
import { ipv4, ispName, wholeNumber } from "./fields";

export const healthTargets = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v),
  z.array(ipv4).min(1, "Enter at least one address to probe").max(8, "At most 8 probe targets"),
);

export const ispHealthSettingsSchema = z
  .object({
    isp: ispName,
    targets: healthTargets,
    intervalMs: wholeNumber("Interval", 100, 60_000, " ms"),
    timeoutMs: wholeNumber("Timeout", 100, 60_000, " ms"),
    downAfter: wholeNumber("Failures before down", 1, 100),
    upAfter: wholeNumber("Successes before up", 1, 100),
    lossDegradedPct: wholeNumber("Loss for degraded", 1, 100, " %"),
    lossDownPct: wholeNumber("Loss for down", 1, 100, " %"),
    rttDegradedMs: wholeNumber("Latency for degraded", 1, 60_000, " ms"),
    rttDownMs: wholeNumber("Latency for down", 1, 60_000, " ms"),
    minHoldMs: wholeNumber("Minimum hold time", 0, 3_600_000, " ms"),
    maxChanges: wholeNumber("State changes per window", 1, 1000),
    changeWindowMs: wholeNumber("Damping window", 1000, 86_400_000, " ms"),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.lossDownPct < s.lossDegradedPct)
      ctx.addIssue({ code: "custom", path: ["lossDownPct"], message: "Loss for down must not be below loss for degraded" });
    if (s.rttDownMs < s.rttDegradedMs)
      ctx.addIssue({ code: "custom", path: ["rttDownMs"], message: "Latency for down must not be below latency for degraded" });
  });

export type IspHealthSettingsInput = z.input<typeof ispHealthSettingsSchema>;
export type IspHealthSettings = z.output<typeof ispHealthSettingsSchema>;
