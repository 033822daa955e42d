// Colours of the health states (up green, degraded amber, down red, unknown grey).
import type { HealthShown } from "@/lib/health/view-types";

export const healthTone: Record<HealthShown, string> = {
  up: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300",
  degraded: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300",
  down: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300",
  unknown: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
};
