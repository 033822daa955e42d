// Where the canary connects to (each ISP's health targets), and the canary setting changed
// from the CLI through the same validated settings update as the Settings page.
import type { GatewayConfig } from "@/lib/model";
import { loadHealthSettings } from "@/lib/health/store";

/** Each ISP's probe targets (its health settings, or the defaults): where the canary connects to. */
export async function canaryTargetsOf(config: GatewayConfig, lab: boolean): Promise<Record<string, string[]>> {
  const settings = await loadHealthSettings(config, { lab });
  return Object.fromEntries([...settings].map(([isp, s]) => [isp, s.targets]));
}

export type CanaryChange = { action: "on" | "off" } | { action: "set"; target: string; address: string } | { action: "unset"; target: string };

/** The canary setting after a change (validated afterwards with the whole configuration). */
export function changedCanary(config: GatewayConfig, change: CanaryChange): NonNullable<GatewayConfig["settings"]["canary"]> {
  const now = config.settings.canary ?? { enabled: false };
  const addresses = { ...(now.addresses ?? {}) };
  if (change.action === "set") addresses[change.target] = change.address;
  if (change.action === "unset") delete addresses[change.target];
  const enabled = change.action === "on" ? true : change.action === "off" ? false : now.enabled;
  return { enabled, ...(Object.keys(addresses).length ? { addresses } : {}) };
}
