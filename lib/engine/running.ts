// The configuration an apply runs for a user's configuration now, computed in one place for the
// apply (lib/engine/service.ts), the plan preview (lib/engine/plan-preview.ts) and the CLI's
// plan: what "Apply & verify" previews is what it runs.
//   - dynamic ISPs (DHCP, PPPoE) with the address the kernel shows now, else the last one learned;
//   - the monitor's live health: the hosts of a down (or capped, last-resort) ISP on their backup.
// Without a running monitor nothing is known to be down and the configuration runs as it is.
import type { GatewayConfig } from "@/lib/model";
import type { Target } from "@/lib/net/exec";
import { learnedOf, learnNow, type DynamicResolution } from "@/lib/net/dynamic";
import { planFailover, type Failover, type HealthView } from "@/lib/health/effective";
import { liveHealthView } from "@/lib/health/store";

export interface Running {
  /** what the kernel will run */
  config: GatewayConfig;
  /** the user's configuration (dynamic addresses learned) when `config` is derived from it by a failover */
  base?: GatewayConfig;
  learned: DynamicResolution;
  /** the live health it was derived with */
  health: HealthView;
  /** one line each: the hosts a failover in force moves ("desk fiber -> lte") */
  moved: string[];
}

/** previous: the configuration last applied (its learned addresses stand in where the kernel shows none now). */
export async function runningConfig(config: GatewayConfig, target: Target, previous: GatewayConfig | null): Promise<Running> {
  const learned = await learnNow(config, target, learnedOf(previous));
  const health = await liveHealthView();
  const f: Failover = planFailover(learned.config, health);
  if (f.moves.length === 0 && !f.defaultIsp)
    return learned.config === config ? { config, learned, health, moved: [] } : { config: f.config, base: config, learned, health, moved: [] };
  const moved = [
    ...f.moves.map((m) => `${m.host} ${m.from} -> ${m.to}`),
    ...(f.defaultIsp ? [`everyone else ${f.defaultIsp.from} -> ${f.defaultIsp.to}`] : []),
  ];
  return { config: f.config, base: config, learned, health, moved };
}

/** A configuration with the same live health in it (the applied one, to compare hosts with the running one). */
export const withHealth = (config: GatewayConfig, health: HealthView): GatewayConfig => planFailover(config, health).config;
