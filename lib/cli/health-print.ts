// `switchyard health show/set/reset` as printed. Pure.
import { issueLines } from "@/lib/validation/issues";
import type { EffectiveHealth } from "@/lib/data/health-settings";
import { HEALTH_FIELDS, type HealthFields } from "@/lib/validation/health";
import { flagOf } from "./health-args";

const value = (s: HealthFields, k: keyof HealthFields) => (k === "targets" ? s.targets.join(",") : String(s[k]));

/** One ISP's effective settings: a line per field with the flag that sets it; fields that differ from the defaults marked. */
export function healthText(e: EffectiveHealth, defaults: HealthFields, lab: boolean): string {
  const source = e.stored ? "stored settings (* differs from the defaults)" : `the ${lab ? "lab" : "real-router"} defaults`;
  const scope =
    e.scope === "internet"
      ? "targets beyond the ISP's router: up/down means the internet through it"
      : 'LINK ONLY: no target is beyond the ISP\'s router, so its answers mean "link ok", never "up"';
  const lines = [`${e.isp}: ${source}`, `  scope: ${scope}`];
  if (e.warning) lines.push(`  warning: ${e.warning}`);
  if (e.invalid) lines.push(`  warning: the stored row is not valid (${e.invalid}); the monitor refuses it: set or reset it`);
  const width = Math.max(...HEALTH_FIELDS.map((k) => flagOf(k).length));
  for (const k of HEALTH_FIELDS) {
    const mark = e.stored && value(e.settings, k) !== value(defaults, k) ? "*" : " ";
    lines.push(`  ${mark} ${flagOf(k).padEnd(width)}  ${value(e.settings, k)}`);
  }
  return lines.join("\n");
}

/** The issues of a `health set` as the flags that caused them ("--loss-recover-pct: Loss to recover must be below..."). */
export function healthIssueLines(issues: { path: (string | number)[]; message: string }[]): string[] {
  return issueLines(issues, { label: (path) => (path.length ? flagOf(String(path[0])) : null) });
}
