// Failover without touching the pipeline: from the configuration and the ISPs' health, the
// configuration the renderer should see. Pure.
// - the derived configuration is the user's plus `health.down`: the ISPs that are down;
//   render (lib/net/render/targets.ts) resolves every target against it: a single ISP's
//   hosts go to the first ISP that is up (the default ISP, then by routing table), a policy
//   to its next tier, its last resort, or unreachable;
// - a down ISP stays enabled: its table, its routes and its source rules stay, so that its
//   probes (sent from its own address) keep testing it and tell when it is back;
// - degraded is still usable; an ISP with no known health (no monitor) counts as up;
// - an ISP over its monthly cap with "last resort" set (`capped` in the view) goes to
//   `health.capped`: render uses it only while no other ISP is up (lib/usage/caps.ts).
import type { GatewayConfig, HostConfig } from "@/lib/model";
import { activeIspsOf, failoverOrder, resolveHost, type Resolved } from "@/lib/net/render/targets";
import type { HealthStateName } from "./state";

export { failoverOrder };

/** capped: over its monthly cap and kept as a last resort (lib/usage/caps.ts) */
export type HealthView = Record<string, { state: HealthStateName; capped?: boolean } | undefined>;

export interface Move {
  host: string;
  /** where it would go with every ISP up: an ISP, "ISP1+ISP2" for a balanced set */
  from: string;
  /** where it goes now; "unreachable" when its policy has nothing left */
  to: string;
  /** "failover: fiber down", "last resort: ...", "unreachable: ..." */
  because: string;
}

export interface Failover {
  config: GatewayConfig;
  /** hosts whose new connections leave elsewhere than with every ISP up */
  moves: Move[];
  /** the same for the unlisted hosts ("everyone else"), when it differs */
  defaultIsp: Move | null;
}

const label = (r: Resolved | null) => (!r ? "no ISP" : r.unreachable ? "unreachable" : r.isps.map((i) => i.isp.name).join("+"));

/** Without the derived part: the user's configuration. */
export function withoutHealth(config: GatewayConfig): GatewayConfig {
  if (!config.health) return config;
  const { health: _h, ...rest } = config;
  void _h;
  return rest;
}

export function planFailover(config: GatewayConfig, health: HealthView): Failover {
  const user = withoutHealth(config);
  const down = activeIspsOf(user)
    .filter((i) => health[i.name]?.state === "down")
    .map((i) => i.name);
  const capped = activeIspsOf(user)
    .filter((i) => health[i.name]?.capped && health[i.name]?.state !== "down")
    .map((i) => i.name);
  const derived: GatewayConfig = down.length || capped.length ? { ...user, health: { down, ...(capped.length ? { capped } : {}) } } : user;
  const move = (host: HostConfig | null, name: string): Move | null => {
    const a = resolveHost(user, host);
    const b = resolveHost(derived, host);
    return label(a) === label(b) ? null : { host: name, from: label(a), to: label(b), because: b?.because ?? "" };
  };
  const moves = user.hosts.map((h) => move(h, h.name)).filter((m): m is Move => m !== null);
  return { config: derived, moves, defaultIsp: move(null, "everyone else") };
}

export function effectiveConfig(config: GatewayConfig, health: HealthView): GatewayConfig {
  return planFailover(config, health).config;
}
