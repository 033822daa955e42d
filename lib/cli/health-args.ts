// `switchyard health ...`: argv -> a typed command. Pure.
import { healthFieldsSchema, type HealthFields } from "@/lib/validation/health";
import { ispName } from "@/lib/validation/fields";

// `switchyard health show [ISP] | set ISP --FLAG VALUE... | reset ISP`: one flag per field of the
// health schema (lib/validation/health.ts), each value checked by that field's schema here;
// the whole-settings checks (loss to recover below loss for degraded...) run on the merged
// settings when the command runs.

export const HEALTH_FLAGS = {
  targets: "targets",
  reliability: "reliability",
  "interval-ms": "intervalMs",
  "timeout-ms": "timeoutMs",
  "down-after": "downAfter",
  "up-after": "upAfter",
  "loss-degraded-pct": "lossDegradedPct",
  "loss-down-pct": "lossDownPct",
  "loss-recover-pct": "lossRecoverPct",
  "loss-window": "lossWindow",
  "recover-window": "recoverWindow",
  "rtt-degraded-ms": "rttDegradedMs",
  "rtt-down-ms": "rttDownMs",
  "min-hold-ms": "minHoldMs",
  "max-changes": "maxChanges",
  "change-window-ms": "changeWindowMs",
} as const satisfies Record<string, keyof HealthFields>;

export type HealthFlag = keyof typeof HEALTH_FLAGS;

export const HEALTH_OPTIONS = Object.fromEntries(Object.keys(HEALTH_FLAGS).map((f) => [f, { type: "string" }])) as { [K in HealthFlag]: { type: "string" } };

/** The flag that sets a field ("lossRecoverPct" -> "--loss-recover-pct"). */
export function flagOf(field: string): string {
  const f = Object.entries(HEALTH_FLAGS).find(([, v]) => v === field)?.[0];
  return f ? `--${f}` : field;
}

export type HealthCommand =
  | { name: "health-show"; isp?: string }
  | { name: "health-set"; isp: string; changes: Partial<HealthFields> }
  | { name: "health-reset"; isp: string };

export const HEALTH_USAGE = "health show [ISP] | health set ISP --targets A,B [--reliability N] ... | health reset ISP";

/** The words after `health` and the health flags given (flag -> raw value); throws an Error with the message for the user. */
export function parseHealthArgs(words: string[], flags: Partial<Record<HealthFlag, string>>): HealthCommand {
  const [sub, isp, ...more] = words;
  if (more.length) throw new Error(`unexpected argument ${JSON.stringify(more[0])} for health ${sub}`);
  const given = Object.keys(flags) as HealthFlag[];
  const name = () => {
    if (isp === undefined) throw new Error(`health ${sub} needs an ISP: ${HEALTH_USAGE}`);
    const r = ispName.safeParse(isp);
    if (!r.success) throw new Error(`health ${sub}: ${JSON.stringify(isp)} is not an ISP name`);
    return r.data;
  };
  if (sub === "show" || sub === "reset") {
    if (given.length) throw new Error(`--${given[0]} applies to health set only`);
    if (sub === "show") return isp === undefined ? { name: "health-show" } : { name: "health-show", isp: name() };
    return { name: "health-reset", isp: name() };
  }
  if (sub === "set") {
    const ispArg = name();
    if (!given.length) throw new Error(`health set ${ispArg} needs at least one setting, e.g. --targets 198.51.100.1,203.0.113.1 (see switchyard help)`);
    const changes: Record<string, unknown> = {};
    for (const flag of given) {
      const field = HEALTH_FLAGS[flag];
      const r = healthFieldsSchema.shape[field].safeParse(flags[flag]);
      if (!r.success) throw new Error(`--${flag}: ${JSON.stringify(flags[flag])}: ${r.error.issues[0]?.message ?? "is not valid"}`);
      changes[field] = r.data;
    }
    return { name: "health-set", isp: ispArg, changes: changes as Partial<HealthFields> };
  }
  throw new Error(
    sub === undefined ? `health needs show, set or reset: ${HEALTH_USAGE}` : `unknown health command ${JSON.stringify(sub)} (show, set or reset)`,
  );
}
