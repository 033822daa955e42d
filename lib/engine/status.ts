// The gateway's status, computed in one place for the CLI (`switchyard status`), the Live
// page (lib/engine/live.ts) and the dashboard: what Switchyard owns, drift against the last
// good revision, whether the staged config differs from it, foreign objects that override
// Switchyard (lib/net/lint.ts), ISPs whose link is down, and whether Switchyard's state
// vanished from the kernel (something else on the box removed it). Pure: callers read.
import { firewallOfState, resolveFirewall, withResolvedFirewall } from "@/lib/net/firewall";
import type { FirewallBackend, GatewayConfig } from "@/lib/model";
import { lintOverrides, type Override } from "@/lib/net/lint";
import type { ObservedState } from "@/lib/net/observe";
import { planChanges, type PlanLine } from "@/lib/net/plan";
import { render } from "@/lib/net/render";
import { ispHealthInfo } from "@/lib/health/shown";
import type { IspHealthInfo } from "@/lib/health/view-types";
import { ago, clock, healthLine, ispProof } from "@/lib/health/words";
import type { CanaryProof, CanaryReport } from "@/lib/net/verify";
import type { LearnedRecord } from "@/lib/data/learned";
import type { DynamicResolution } from "@/lib/net/dynamic";
import { isDynamicIsp } from "@/lib/validation/entities";

export interface GatewayStatus {
  /** the netfilter backend Switchyard runs on the gateway (the setting, or what auto resolves to) */
  firewall: FirewallBackend;
  /** chains: iptables chains and those of Switchyard's nftables table; sets: that table's sets and maps */
  owned: { rules: number; routes: number; chains: number; hooks: number; sets: number };
  /** nftTables: other nftables tables (iptables-nft's own among them) */
  foreign: { rules: number; routes: number; chains: number; nftTables: number };
  /** null: nothing applied yet (or the last good revision no longer validates) */
  drift: PlanLine[] | null;
  stagedDiffersFromLastGood: boolean | null;
  overrides: Override[];
  /** ISPs of the last good revision whose WAN link is down */
  downIsps: string[];
  /** set when a whole part of Switchyard's state is missing: says what probably removed it */
  vanished: string | null;
}

/** JSON with sorted keys: two configurations are the same whatever order their keys were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * lastGood: what the kernel should run (the last good revision's config, a failover included);
 * lastUser: the configuration the user applied last (differs from lastGood during a failover):
 * the staged config is compared with it, so a failover is never a staged change.
 */
export function gatewayStatus(
  observed: ObservedState,
  lastGood: GatewayConfig | null,
  staged: GatewayConfig | null,
  lastUser: GatewayConfig | null = lastGood,
): GatewayStatus {
  const desired = lastGood ? render(withResolvedFirewall(lastGood, observed)).state : null;
  const plan = desired ? planChanges(desired, observed) : null;
  const config = lastGood ?? staged;
  return {
    firewall: resolveFirewall(lastGood ?? staged, observed),
    owned: {
      rules: observed.rules.length,
      routes: observed.routes.length,
      chains: observed.chains.length,
      hooks: observed.hooks.length,
      sets: (observed.sets ?? []).length,
    },
    foreign: {
      rules: observed.foreign.rules.length,
      routes: observed.foreign.routes.length,
      chains: observed.foreign.chains.length,
      nftTables: observed.foreign.nftTables.length,
    },
    drift: plan ? plan.lines : null,
    stagedDiffersFromLastGood: lastUser && staged ? canonicalJson(lastUser) !== canonicalJson(staged) : null,
    overrides: config ? lintOverrides(config, observed) : [],
    downIsps: lastGood && plan ? lastGood.isps.filter((i) => i.enabled && plan.downLinks.includes(i.wanInterface)).map((i) => i.name) : [],
    vanished: desired ? vanishedReason(desired, observed) : null,
  };
}

function vanishedReason(desired: ReturnType<typeof render>["state"], observed: ObservedState): string | null {
  const gone: string[] = [];
  if (desired.rules.length && observed.rules.length === 0) {
    gone.push("its ip rules are gone (systemd-networkd removes rules it did not make unless ManageForeignRoutingPolicyRules=no; so can a network restart)");
  }
  if (desired.routes.length && observed.routes.length === 0) {
    gone.push("its routes are gone (systemd-networkd: ManageForeignRoutes=no; a WAN link that went down also takes its routes)");
  }
  const firewall = firewallOfState(desired).vanished(desired, observed);
  if (firewall) gone.push(firewall);
  return gone.length
    ? `Switchyard's state vanished from the kernel: ${gone.join("; ")}. Apply again to restore it; see "On a real router" in the README.`
    : null;
}

export interface IspHealthStatus extends IspHealthInfo {
  /** the ISP's last canary proof (the newest revision's report): null when there is none */
  canary: CanaryProof | null;
  /** "ISP2: down since 10:32:05 (2 min ago): … · loss 100 % · RTT –" */
  line: string;
  /** "canary proved 10 s ago, left as 198.51.100.10", or "no canary proof yet" */
  proofLine: string;
}

/**
 * Each ISP's health for `switchyard status`, as the pages show it: the monitor's rows (stale or
 * missing: no health data; nothing applied yet: none of them), and the last canary proof. Pure.
 */
export function healthStatus(
  isps: string[],
  rows: Parameters<typeof ispHealthInfo>[1],
  canary: CanaryReport | null,
  now: number,
  applied: boolean,
): IspHealthStatus[] {
  return ispHealthInfo(isps, rows, now, { applied }).map((info) => {
    const proof = ispProof(canary, info.isp, now);
    const raw = canary?.available
      ? (canary.proofs.find((p) => p.kind === "isp" && p.target === info.isp) ?? canary.proofs.find((p) => p.isps.includes(info.isp)) ?? null)
      : null;
    return { ...info, canary: raw, line: healthLine(info, now), proofLine: proof.text };
  });
}

/** The stored record (lib/data/learned.ts) as JSON carries it, with what the WAN shows now and a line for people. */
export type LearnedStatus = Omit<LearnedRecord, "learnedAt" | "checkedAt"> & {
  /** ISO time this address was first seen (kept while the lease keeps it) */
  learnedAt: string | null;
  /** the WAN shows something else right now (not applied yet): "100.64.2.150/24 via 100.64.2.1", or its problem */
  kernelNow: string | null;
  /** "ISP2 (DHCP on eth1): 100.64.2.150/24 via 100.64.2.1, learned 10:32:05 (2 min ago)" */
  line: string;
};

/**
 * Each dynamic ISP's learned address for `switchyard status` and the pages: the stored record
 * (lib/data/learned.ts) and, when given, what the WAN shows now (lib/net/dynamic.ts). Pure.
 */
export function learnedStatus(config: GatewayConfig, rows: LearnedRecord[], kernel: DynamicResolution | null, now: number): LearnedStatus[] {
  return config.isps.filter(isDynamicIsp).map((isp) => {
    const mode = isp.addressMode ?? "dhcp";
    const r = rows.find((x) => x.isp === isp.name && x.wan === isp.wanInterface);
    const head = `${isp.name} (${mode === "ppp" ? "PPP" : "DHCP"} on ${isp.wanInterface})`;
    const runs = r?.address ? `${r.address}/${r.prefix} via ${r.gateway}` : null;
    const k = kernel ? kernel.learned[isp.name] : undefined;
    const shows = k
      ? `${k.linkAddress}/${k.linkPrefix} via ${k.gatewayAddress}`
      : k === null
        ? (kernel!.problems.find((p) => p.isp === isp.name)?.message.replace(/: treated as down$/, "") ?? "nothing learned")
        : null;
    const kernelNow = shows !== null && shows !== (runs ?? r?.problem ?? null) ? shows : null;
    const since = r?.learnedAt ? `, learned ${clock(r.learnedAt)} (${ago(now - r.learnedAt.getTime())})` : "";
    const stored = !r ? "not learned by an apply or the monitor yet" : runs ? `${runs}${since}` : `nothing learned: ${r.problem}`;
    return {
      isp: isp.name,
      mode,
      wan: isp.wanInterface,
      address: r?.address ?? null,
      prefix: r?.prefix ?? null,
      gateway: r?.gateway ?? null,
      gatewayFrom: r?.gatewayFrom ?? null,
      learnedAt: r?.learnedAt?.toISOString() ?? null,
      problem: r?.problem ?? null,
      problemKind: r?.problemKind ?? null,
      kernelNow,
      line: `${head}: ${stored}${kernelNow ? `; the WAN shows ${kernelNow} now (the next apply takes it)` : ""}`,
    };
  });
}
