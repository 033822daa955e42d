// Health-check settings of one ISP (the monitor's probes, thresholds, hysteresis and damping).
// One schema for the ISP form, the CLI (`switchyard health set`), the import file and the
// database row. Targets reach ping's command line: each one must be a plain IPv4 address or a
// global IPv6 address (stored in canonical text, RFC 5952). An IPv6 target needs an ISP with IPv6:
// healthTargetIssues says so at the field wherever the ISP is known (the ISP form, `health set`, an import).
//
// Going worse and getting better are judged apart, so a steady loss settles in one state:
//   down/degraded   loss >= lossDownPct / lossDegradedPct over the last lossWindow probes
//   back            loss <= lossRecoverPct over the last recoverWindow probes (and upAfter replies in a row)
// Damping (minHoldMs, maxChanges per changeWindowMs) holds back recoveries only, never a failover.
import ipaddr from "ipaddr.js";
import { z } from "./zod";
import { ipv4, ispName, wholeNumber } from "./fields";
import { parseAddress } from "@/lib/net/address";

/** IPv6 ranges no ISP carries to the internet (as lib/validation/fields-ipv6.ts refuses for prefixes). */
const NOT_PROBEABLE6 = new Set(["unspecified", "loopback", "multicast", "linkLocal", "ipv4Mapped", "rfc6145", "rfc6052", "6to4", "teredo"]);
/** A target typed with a colon is judged as IPv6 (an IPv4 one never has one). */
export const isIpv6Target = (t: string) => t.includes(":");

const RANGE_WORDS: Record<string, string> = { linkLocal: "link-local", unspecified: "the unspecified address", ipv4Mapped: "IPv4-mapped" };

/** One target: IPv4 as before (ipv4's messages), anything with a colon as a global IPv6 address, in canonical text. */
const healthTarget = z
  .string({ error: "Enter an IPv4 or IPv6 address" })
  .superRefine((s, ctx) => {
    if (!isIpv6Target(s)) {
      for (const i of ipv4.safeParse(s).error?.issues ?? []) ctx.addIssue({ code: "custom", message: i.message });
      return;
    }
    const a = parseAddress(s);
    if (!a || a.family !== "ipv6")
      return ctx.addIssue({ code: "custom", message: `${JSON.stringify(s)} is not an IPv6 address: enter one like 2620:fe::fe (no /length, no %interface)` });
    const r = ipaddr.IPv6.parse(a.address).range();
    if (NOT_PROBEABLE6.has(r))
      ctx.addIssue({
        code: "custom",
        message: `${s.trim()} is ${RANGE_WORDS[r] ?? r}, not a global IPv6 address: probe one beyond the ISP's router, like 2620:fe::fe`,
      });
  })
  .transform((s) => (isIpv6Target(s) ? parseAddress(s)!.address : s));

export const healthTargets = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .split(/[\s,]+/)
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z
    .array(healthTarget)
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

/**
 * The targets against their ISP: an IPv6 target needs the ISP's IPv6 with translation on (its
 * probe leaves from the gateway's address in the ISP's prefix, with the ISP's mark: the mark's rule
 * is what still routes it while the ISP is down; lib/health/probe-source.ts). Issues at "targets".
 */
export function healthTargetIssues(
  isp: { name: string; ipv6?: { translate?: boolean } | null },
  targets: readonly string[],
): { path: ["targets"]; message: string }[] {
  const v6 = targets.filter(isIpv6Target);
  const list = v6.join(", ");
  if (!v6.length) return [];
  if (!isp.ipv6)
    return [{ path: ["targets"], message: `${list}: ${isp.name} has no IPv6 (set its IPv6 prefix first), so an IPv6 target cannot be probed through it` }];
  if (isp.ipv6.translate === false)
    return [
      {
        path: ["targets"],
        message: `${list}: IPv6 targets need ${isp.name}'s IPv6 translation on (a down ISP's IPv6 probe is routed by its mark rule, which translation off leaves out)`,
      },
    ];
  return [];
}

/** The fields in the order the form, the CLI and the docs list them. */
export const HEALTH_FIELDS = Object.keys(healthFieldsSchema.shape) as (keyof Fields)[];
