// plan: desired vs observed -> the changes, on owned objects only. Pure.
// Foreign rules, routes and chains are never in a plan.
import type { GatewayConfig } from "@/lib/model";
import { activeIspsOf, allowedMarks } from "./render/targets";
import { inSubnet, isIpv4, parseCidr } from "./ipv4";
import { addressOrder, sources6 } from "./flows6";
import { conntrackFamilyWords } from "./family";
import { allLanSubnets, lanOfAddress } from "./lans";
import type { Flow } from "./parse/conntrack";
import { routeArgs, ruleArgs } from "./routing/text";
import type { ObservedState } from "./observe";
import { MARK_MASK, type KernelState, type PlanLine, type Route, type Rule } from "./types";
import { firewallPlanLines, planFirewall, type FirewallPlan } from "./firewall/plan";

/** A LAN source whose open connections carry a stale mark (another ISP than it has now); an IPv6 source's host is the one with its MAC. */
export interface MovedHost {
  address: string;
  /** null: an address not listed as a host (it uses the default ISP) */
  name: string | null;
  fromMarks: number[];
  /** the marks it may carry now (several for a balanced policy; 0xff: unreachable; empty: no usable ISP) */
  toMarks: number[];
  flows: number;
}

export type { PlanLine } from "./types";
export { sameRules } from "./firewall/plan";

/** The netfilter part (chains, hooks, nftables sets) is FirewallPlan (lib/net/firewall/plan.ts). */
export interface Plan extends FirewallPlan {
  routesToReplace: Route[];
  routesToDelete: Route[];
  rulesToAdd: Rule[];
  rulesToDelete: Rule[];
  movedHosts: MovedHost[];
  /** interfaces of desired routes that are down (not UP, or no carrier); routes through a device that is not UP are left out */
  downLinks: string[];
  lines: PlanLine[];
  /** no line at all: nothing to add, change or remove, and no connection to clear */
  empty: boolean;
  /** an apply extension's part (an adopted configuration's take over: lib/adopt/takeover.ts) */
  takeover?: ExtensionPlan;
  /** sysctls Switchyard owns (OWNED_SYSCTLS in apply.ts) that differ on the gateway: set by the apply, put back by a rollback */
  sysctls?: SysctlChange[];
}

/** What an apply extension (lib/net/apply ApplyExtension) plans: its lines, and what it leaves alone. */
export interface ExtensionPlan {
  /** who made the objects it replaces ("mwan3", "a hand-written script") */
  source: string;
  /** left alone, with the reason */
  kept: string[];
  lines: PlanLine[];
}

export interface SysctlChange {
  key: string;
  from: string;
  to: string;
  why: string;
}

// IPv6 objects are keyed and shown with "-6" (`ip -6 route replace ...`): the two families are separate lists in the kernel
const v6 = (r: Route | Rule) => (r.family === 6 ? "-6 " : "");
const routeKey = (r: Route) => `${v6(r)}${r.table}|${r.dst}|${r.metric ?? 0}`;
const routeText = (r: Route) => routeArgs(r).join(" ");
const ruleText = (r: Rule) => [ruleArgs(r).join(" "), r.not ? "not" : "", r.extra ? JSON.stringify(r.extra) : ""].filter(Boolean).join(" ");
const ruleKey = (r: Rule) => `${v6(r)}${ruleText(r)}`;

/** A route as the kernel will show it: `ip` prints no scope for global routes and no metric 0. */
function normalRoute(r: Route): string {
  return routeText({ ...r, scope: r.scope === "global" ? undefined : r.scope, metric: r.metric || undefined });
}

function planRoutes(desired: Route[], observed: Route[]) {
  const seen = new Map(observed.map((r) => [routeKey(r), r]));
  const wanted = new Set(desired.map(routeKey));
  const routesToReplace = desired.filter((r) => {
    const o = seen.get(routeKey(r));
    return !o || normalRoute(o) !== normalRoute(r);
  });
  const routesToDelete = observed.filter((r) => !wanted.has(routeKey(r)));
  return { routesToReplace, routesToDelete };
}

function planRules(desired: Rule[], observed: Rule[]) {
  const seen = new Set(observed.map(ruleKey));
  const wanted = new Set(desired.map(ruleKey));
  return {
    rulesToAdd: desired.filter((r) => !seen.has(ruleKey(r))),
    rulesToDelete: observed.filter((r) => !wanted.has(ruleKey(r))),
  };
}

/** Desired routes the kernel cannot take now: their device is not UP (it would say "Device for nexthop is not up"). */
function installable(desired: Route[], observed: ObservedState | KernelState) {
  if (!observed.links) return { routes: desired, downLinks: [] };
  const links = new Map(observed.links.map((l) => [l.name, l]));
  const devs = [...new Set(desired.map((r) => r.dev))];
  const downLinks = devs.filter((d) => links.has(d) && !links.get(d)!.carrier);
  return { routes: desired.filter((r) => links.get(r.dev)?.up !== false), downLinks };
}

/** The marks a LAN address's connections may carry under this config: its host's target (or the default's) resolved with the health in it. */
export function expectedMarks(config: GatewayConfig, address: string): number[] {
  const host = config.hosts.find((h) => h.address === address) ?? null;
  return allowedMarks(config, host, host ? null : lanOfAddress(config, address)).map((m) => m & MARK_MASK);
}

export interface StaleOptions {
  /**
   * Failback "keep": a flow on an ISP that is up stays where it is (only flows on a down or
   * disabled ISP, or with no ISP's mark, are cleared). The monitor's applies pass it when
   * the user chose to leave established connections alone when an ISP comes back.
   */
  keepOnUpIsps?: boolean;
}

/**
 * LAN sources whose connections carry another mark than the one they get now:
 * hosts that moved (their flows keep the old ISP and NAT address until cleared),
 * and unlisted addresses when the default ISP changed or an ISP was disabled.
 * Read from the flows, not from the kernel's mark chain: after an interrupted
 * apply the chain is already new while the flows are not. The gateway's own LAN
 * addresses are skipped (its own traffic is never marked).
 */
export function staleFlows(config: GatewayConfig, flows: Flow[], opts: StaleOptions = {}): MovedHost[] {
  // a capped ISP (over its monthly cap, last resort) keeps no flows: its connections move too
  const down = new Set([...(config.health?.down ?? []), ...(config.health?.capped ?? [])]);
  const upMarks = new Set(
    opts.keepOnUpIsps
      ? activeIspsOf(config)
          .filter((i) => !down.has(i.name))
          .map((i) => i.mark & MARK_MASK)
      : [],
  );
  const wanted = new Map<string, number[]>();
  const lans = allLanSubnets(config).map((s) => parseCidr(s)!);
  const own = new Set(lans.map((c) => c.address));
  const inLan = (a: string) => lans.some((c) => inSubnet(a, c.address, c.prefix));
  // IPv6 sources: the host is the one with the source's MAC, the LAN the one whose /64 holds it
  const source6 = sources6(config);
  const names = new Map<string, string | null>();
  const bySource = new Map<string, MovedHost>();
  for (const f of flows) {
    let want = wanted.get(f.src);
    if (!want) {
      if (isIpv4(f.src)) {
        if (own.has(f.src) || !inLan(f.src)) continue;
        want = expectedMarks(config, f.src);
        names.set(f.src, config.hosts.find((x) => x.address === f.src)?.name ?? null);
      } else {
        const s = f.src.includes(":") ? source6(f.src, f.mac) : null;
        if (!s) continue;
        want = allowedMarks(config, s.host, s.host ? null : s.lan).map((m) => m & MARK_MASK);
        names.set(f.src, s.host?.name ?? null);
      }
      wanted.set(f.src, want);
    }
    const mark = f.mark & MARK_MASK;
    if (want.includes(mark) || upMarks.has(mark)) continue;
    const h = bySource.get(f.src) ?? {
      address: f.src,
      name: names.get(f.src) ?? null,
      fromMarks: [],
      toMarks: want,
      flows: 0,
    };
    if (!h.fromMarks.includes(mark)) h.fromMarks.push(mark);
    h.flows++;
    bySource.set(f.src, h);
  }
  return [...bySource.values()].map((h) => ({ ...h, fromMarks: h.fromMarks.sort((a, b) => a - b) })).sort((a, b) => addressOrder(a.address, b.address));
}

/** How a step's detail names a cleared source: the host's name, and for IPv6 (a host has many addresses) which address, "desk (2001:db8:1:1::64)". */
export const movedName = (h: MovedHost): string => (h.name && h.address.includes(":") ? `${h.name} (${h.address})` : (h.name ?? h.address));

/** Plan lines for the flows that are (or would be) cleared. */
export function conntrackLines(moved: MovedHost[]): PlanLine[] {
  return moved.map((h) => ({
    op: "~",
    kind: "conntrack",
    text: `conntrack -D ${conntrackFamilyWords(h.address)}-s ${h.address} (${h.name ?? "not a listed host"}: ${h.flows} open connection${h.flows === 1 ? "" : "s"} with mark ${h.fromMarks.map((m) => `0x${m.toString(16)}`).join(", ")}, now ${h.toMarks.length ? h.toMarks.map((m) => `0x${m.toString(16)}`).join(" or ") : "none"}: cleared so they reconnect through the new ISP)`,
  }));
}

/** flows: the conntrack listing, when the caller has one (a preview); the apply lists its own after the swap. */
export function planChanges(
  desired: KernelState,
  observed: ObservedState | KernelState,
  config?: GatewayConfig,
  flows?: Flow[],
  stale: StaleOptions = {},
): Plan {
  const { routes, downLinks } = installable(desired.routes, observed);
  const p = {
    ...planRoutes(routes, observed.routes),
    ...planRules(desired.rules, observed.rules),
    ...planFirewall(desired, observed),
    movedHosts: config && flows ? staleFlows(config, flows, stale) : [],
    downLinks,
  };
  const lines: PlanLine[] = [
    ...p.routesToReplace.map((r): PlanLine => ({ op: "+", kind: "route", text: `ip ${v6(r)}route replace ${routeText(r)}` })),
    ...p.rulesToAdd.map((r): PlanLine => ({ op: "+", kind: "rule", text: `ip ${v6(r)}rule add ${ruleText(r)}` })),
    ...firewallPlanLines(p, observed),
    ...p.rulesToDelete.map((r): PlanLine => ({ op: "-", kind: "rule", text: `ip ${v6(r)}rule del ${ruleText(r)}` })),
    ...p.routesToDelete.map((r): PlanLine => ({ op: "-", kind: "route", text: `ip ${v6(r)}route del ${routeText(r)}` })),
    ...conntrackLines(p.movedHosts),
  ];
  // "empty" only with nothing listed: a preview's flows to clear are a change too (the apply's own
  // plan has no flows; its conntrack step always looks, whatever this says)
  const empty = lines.length === 0;
  return { ...p, lines, empty };
}
