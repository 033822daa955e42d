// What a host, or everyone else, uses, in words for selects and lists. Pure.
import type { GatewayConfig } from "@/lib/model";
import { defaultIspOf, describePolicy } from "@/lib/net/render/targets";

/** "policy split (balanced 2:1 (ISP1, ISP2), else unreachable)" or "ISP1". */
export function policyLabel(config: GatewayConfig, name: string): string {
  const p = config.policies?.find((x) => x.name === name);
  return p ? `policy ${p.name} (${describePolicy(p)})` : `policy ${name} (no longer exists)`;
}

/** What the hosts without an ISP or policy of their own use: "policy split (...)", "ISP1", or "no ISP". */
export function everyoneElseUses(config: GatewayConfig): string {
  if (config.settings.defaultPolicy && config.policies?.some((p) => p.name === config.settings.defaultPolicy))
    return policyLabel(config, config.settings.defaultPolicy);
  return defaultIspOf(config)?.name ?? "no ISP";
}

/** The options of a "Uses" select: every ISP by name, then every policy ("policy:NAME"). */
export function usesOptions(config: GatewayConfig): { value: string; label: string }[] {
  return [
    ...config.isps.map((i) => ({ value: i.name, label: i.enabled ? i.name : `${i.name} (disabled)` })),
    ...(config.policies ?? []).map((p) => ({ value: `policy:${p.name}`, label: `Policy ${p.name}: ${describePolicy(p)}` })),
  ];
}
