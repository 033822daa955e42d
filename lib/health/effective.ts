// Failover without touching the renderer: from the configuration and the ISPs' health, the
// configuration the renderer should see. Pure.
// - a host whose ISP is down moves to the first ISP that is not down, in the order: the
//   default ISP, then the others by routing table;
// - the unlisted hosts follow the default ISP; when it is down, the next ISP becomes the
//   default (the main table's default route goes with it);
// - a down ISP stays enabled: its table, its routes and its source rules stay, so that its
//   probes (sent from its own address) keep testing it and tell when it is back;
// - degraded is still usable; when no ISP is up, nothing moves (there is nowhere better).
import type { GatewayConfig, IspConfig } from "@/lib/model";
import { activeIsps, defaultIsp } from "@/lib/net/render";
import type { HealthStateName } from "./state";

export type HealthView = Record<string, { state: HealthStateName } | undefined>;

export interface Failover {
  config: GatewayConfig;
  /** hosts that leave their configured ISP */
  moves: { host: string; from: string; to: string }[];
  /** the ISP the unlisted hosts use, when it is not the configured default */
  defaultIsp: { from: string; to: string } | null;
}

const isDown = (health: HealthView, isp: IspConfig) => health[isp.name]?.state === "down";

/** The ISPs in failover order: the default first, then by routing table. */
export function failoverOrder(config: GatewayConfig): IspConfig[] {
  const def = defaultIsp(config);
  const rest = activeIsps(config).filter((i) => i !== def);
  return def ? [def, ...rest] : rest;
}

export function planFailover(config: GatewayConfig, health: HealthView): Failover {
  const order = failoverOrder(config);
  const backup = (isp: IspConfig) => order.find((i) => i !== isp && !isDown(health, i)) ?? null;
  const moves: Failover["moves"] = [];
  const hosts = config.hosts.map((h) => {
    const isp = order.find((i) => i.name === h.isp);
    // unlisted, or on a disabled ISP (render sends those to the default): they follow the default
    if (!isp || !isDown(health, isp)) return h;
    const to = backup(isp);
    if (!to) return h;
    moves.push({ host: h.name, from: isp.name, to: to.name });
    return { ...h, isp: to.name };
  });
  const def = order[0];
  const defTo = def && isDown(health, def) ? backup(def) : null;
  return {
    config: { ...config, hosts, settings: defTo ? { ...config.settings, defaultIsp: defTo.name } : config.settings },
    moves,
    defaultIsp: defTo ? { from: def.name, to: defTo.name } : null,
  };
}

export function effectiveConfig(config: GatewayConfig, health: HealthView): GatewayConfig {
  return planFailover(config, health).config;
}
