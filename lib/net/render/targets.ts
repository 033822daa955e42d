// Where a host's new connections go: its target (one ISP, or a policy) resolved against
// the health the monitor derived into the config (config.health.down, and health.capped: ISPs
// over their monthly cap kept as a last resort, used only while no other ISP is up). Pure.
//
// - one ISP: that ISP; when it is down, the first ISP that is not, in failover order (the
//   default ISP, then the others by routing table); when every ISP is down, still its own
//   (there is nowhere better, and it keeps its table);
// - a policy: the members of the lowest tier that has an ISP up, balanced by weight (with a
//   hash of source and destination when sticky); when none is up, its last resort ISP, or
//   unreachable (a mark whose ip rule answers "unreachable": never an ISP it does not allow);
// - disabled ISPs are not in any target: their hosts use the default, policies skip them.
//
// render puts one small chain per target in mangle (SWYD-ISP<table>, SWYD-P-<policy>); the
// per-host rules only jump there. A health change rewrites those few chains, whatever the
// number of hosts.
import type { GatewayConfig, HostConfig, IspConfig, LanConfig, PolicyConfig } from "@/lib/model";
import { CHAIN_PREFIX } from "@/lib/net/types";
import { MAIN_LAN, lanOfAddress } from "@/lib/net/lans";

/** The mark of traffic whose policy has no ISP up and no last resort: an ip rule makes it unreachable. */
export const UNREACHABLE_MARK = 0xff;

export type Target = { kind: "isp"; isp: IspConfig } | { kind: "policy"; policy: PolicyConfig };

export interface Resolved {
  /** the ISPs new connections leave through now, with their weights; empty when unreachable */
  isps: { isp: IspConfig; weight: number }[];
  /** a hash of source and destination picks among several ISPs (the policy is sticky) */
  sticky: boolean;
  unreachable: boolean;
  /** why this is not the first choice, for people ("fiber down"); null when it is */
  because: string | null;
}

export function activeIspsOf(config: GatewayConfig): IspConfig[] {
  return config.isps.filter((i) => i.enabled).sort((a, b) => a.routingTable - b.routingTable);
}

export function defaultIspOf(config: GatewayConfig): IspConfig | null {
  const active = activeIspsOf(config);
  return active.find((i) => i.name === config.settings.defaultIsp) ?? active[0] ?? null;
}

/** The ISPs in failover order for a single-ISP target: the default first, then by routing table. */
export function failoverOrder(config: GatewayConfig): IspConfig[] {
  const def = defaultIspOf(config);
  const rest = activeIspsOf(config).filter((i) => i !== def);
  return def ? [def, ...rest] : rest;
}

/**
 * The target of the hosts the config does not list (and of hosts that name nothing usable);
 * with a LAN: that LAN's own default when it names one (a guest LAN on lte), else the gateway's.
 */
export function defaultTarget(config: GatewayConfig, lan?: LanConfig | null): Target | null {
  if (lan && lan.name !== MAIN_LAN) {
    const own = lan.defaultPolicy ? config.policies?.find((p) => p.name === lan.defaultPolicy) : undefined;
    if (own) return { kind: "policy", policy: own };
    const isp = lan.defaultIsp ? activeIspsOf(config).find((i) => i.name === lan.defaultIsp) : undefined;
    if (isp) return { kind: "isp", isp };
  }
  const policy = config.settings.defaultPolicy ? config.policies?.find((p) => p.name === config.settings.defaultPolicy) : undefined;
  if (policy) return { kind: "policy", policy };
  const isp = defaultIspOf(config);
  return isp ? { kind: "isp", isp } : null;
}

/** A host's target; null host: the unlisted hosts (of the main LAN, or of the LAN given). */
export function targetOf(config: GatewayConfig, host: HostConfig | null, lan?: LanConfig | null): Target | null {
  if (host?.policy) {
    const policy = config.policies?.find((p) => p.name === host.policy);
    if (policy) return { kind: "policy", policy };
  }
  if (host?.isp) {
    const isp = activeIspsOf(config).find((i) => i.name === host.isp);
    if (isp) return { kind: "isp", isp };
  }
  return defaultTarget(config, host ? lanOfAddress(config, host.address) : lan);
}

/** Does the host name its own target (not the default)? Explicit ones stay explicit in the mark chain. */
export function isExplicit(config: GatewayConfig, host: HostConfig): boolean {
  if (host.policy && config.policies?.some((p) => p.name === host.policy)) return true;
  return Boolean(host.isp && activeIspsOf(config).some((i) => i.name === host.isp));
}

export function targetChain(t: Target): string {
  return t.kind === "isp" ? `${CHAIN_PREFIX}ISP${t.isp.routingTable}` : `${CHAIN_PREFIX}P-${t.policy.name}`;
}

export function targetLabel(t: Target): string {
  return t.kind === "isp" ? t.isp.name : t.policy.name;
}

const downSet = (config: GatewayConfig) => new Set(config.health?.down ?? []);
/** ISPs over their monthly cap that are kept as a last resort (lib/usage/caps.ts): used only when nothing else is up */
const cappedSet = (config: GatewayConfig) => new Set(config.health?.capped ?? []);

const OVER = "over its monthly cap";

export function resolveTarget(config: GatewayConfig, t: Target): Resolved {
  const down = downSet(config);
  const capped = cappedSet(config);
  const usable = (name: string) => !down.has(name) && !capped.has(name);
  if (t.kind === "isp") {
    const own = t.isp;
    if (usable(own.name)) return { isps: [{ isp: own, weight: 1 }], sticky: false, unreachable: false, because: null };
    const order = failoverOrder(config).filter((i) => i !== own);
    const why = down.has(own.name) ? `${own.name} down` : `${own.name} ${OVER}`;
    const backup = order.find((i) => usable(i.name));
    if (backup) return { isps: [{ isp: backup, weight: 1 }], sticky: false, unreachable: false, because: `failover: ${why}` };
    // nothing better is up: a capped ISP is the last resort (its own first)
    if (!down.has(own.name)) return { isps: [{ isp: own, weight: 1 }], sticky: false, unreachable: false, because: `last resort: ${why}, no other ISP up` };
    const last = order.find((i) => !down.has(i.name));
    if (last) return { isps: [{ isp: last, weight: 1 }], sticky: false, unreachable: false, because: `last resort: ${why}, ${last.name} ${OVER}` };
    return { isps: [{ isp: own, weight: 1 }], sticky: false, unreachable: false, because: "every ISP is down" };
  }
  const p = t.policy;
  const active = new Map(activeIspsOf(config).map((i) => [i.name, i]));
  const members = p.members.filter((m) => active.has(m.isp));
  const tiers = [...new Set(members.map((m) => m.tier))].sort((a, b) => a - b);
  const skipped: string[] = [];
  const over: string[] = [];
  const words = () => [...(skipped.length ? [`${skipped.join(", ")} down`] : []), ...(over.length ? [`${over.join(", ")} ${OVER}`] : [])].join(", ");
  for (const tier of tiers) {
    const inTier = members.filter((m) => m.tier === tier);
    const up = inTier.filter((m) => usable(m.isp));
    skipped.push(...inTier.filter((m) => down.has(m.isp)).map((m) => m.isp));
    over.push(...inTier.filter((m) => !down.has(m.isp) && capped.has(m.isp)).map((m) => m.isp));
    if (up.length === 0) continue;
    return {
      isps: up.map((m) => ({ isp: active.get(m.isp)!, weight: m.weight })),
      sticky: p.sticky && up.length > 1,
      unreachable: false,
      because: skipped.length || over.length ? `failover: ${words()}` : null,
    };
  }
  const none = skipped.length || over.length ? words() : "no ISP of it is enabled";
  const last = p.lastResort ? active.get(p.lastResort) : undefined;
  if (last && usable(last.name)) return { isps: [{ isp: last, weight: 1 }], sticky: false, unreachable: false, because: `last resort: ${none}` };
  // members over their cap but up come before a last resort that is down or capped itself
  for (const tier of tiers) {
    const up = members.filter((m) => m.tier === tier && !down.has(m.isp));
    if (!up.length) continue;
    return {
      isps: up.map((m) => ({ isp: active.get(m.isp)!, weight: m.weight })),
      sticky: p.sticky && up.length > 1,
      unreachable: false,
      because: `last resort: ${none}`,
    };
  }
  if (last) return { isps: [{ isp: last, weight: 1 }], sticky: false, unreachable: false, because: `last resort: ${none}` };
  return { isps: [], sticky: false, unreachable: true, because: `unreachable: ${none}` };
}

/** Where a host's new connections go now; null host: the unlisted hosts. Null when there is no usable ISP at all. */
export function resolveHost(config: GatewayConfig, host: HostConfig | null, lan?: LanConfig | null): (Resolved & { target: Target }) | null {
  const t = targetOf(config, host, lan);
  return t ? { ...resolveTarget(config, t), target: t } : null;
}

/** The marks a host's connections may carry now (empty: none, it has no usable ISP). */
/**
 * Where a host's traffic leaves now: the first ISP of its resolved target (the configuration
 * with the monitor's health in it: policies, failover, caps); null when unreachable or none.
 * The one answer to "where does this host go" for lint, apply, verify, the plan preview and the pages.
 */
export function primaryIsp(config: GatewayConfig, host: HostConfig | null, lan?: LanConfig | null): IspConfig | null {
  return resolveHost(config, host, lan)?.isps[0]?.isp ?? null;
}

export function allowedMarks(config: GatewayConfig, host: HostConfig | null, lan?: LanConfig | null): number[] {
  const r = resolveHost(config, host, lan);
  if (!r) return [];
  return r.unreachable ? [UNREACHABLE_MARK] : r.isps.map((i) => i.isp.mark);
}

/** "fiber, then lte", "balanced 2:1 (fiber, lte)", "fiber 2 : lte 1, then dsl": a policy in words. */
export function describePolicy(p: PolicyConfig): string {
  const tiers = [...new Set(p.members.map((m) => m.tier))].sort((a, b) => a - b);
  const words = tiers.map((tier) => {
    const inTier = p.members.filter((m) => m.tier === tier);
    if (inTier.length === 1) return inTier[0].isp;
    return `balanced ${inTier.map((m) => m.weight).join(":")} (${inTier.map((m) => m.isp).join(", ")})${p.sticky ? " sticky" : ""}`;
  });
  return `${words.join(", then ")}${p.lastResort ? `, last resort ${p.lastResort}` : ", else unreachable"}`;
}
