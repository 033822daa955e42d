// The dashboard: which ISP or policy each machine uses, staged moves, and Apply & verify.
import Link from "next/link";
import { Board } from "@/components/board/board";
import type { BoardData, BoardRoute } from "@/components/board/types";
import { PageHeader } from "@/components/ui/page";
import { DriftBanner } from "@/components/kernel/drift-banner";
import { loadConfigWithIds } from "@/lib/data/config";
import { listRevisions } from "@/lib/engine/service";
import { appliedHosts, changesSince } from "@/lib/engine/staged";
import { resolveTarget } from "@/lib/engine/target";
import { lastUserApplied } from "@/lib/health/view";
import { defaultIsp } from "@/lib/net/render";
import { defaultTarget, describePolicy, resolveHost } from "@/lib/net/render/targets";
import { MAIN_LAN, lanOfAddress } from "@/lib/net/lans";
import type { GatewayConfig, HostConfig } from "@/lib/model";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Dashboard" };

/** Where the applied config's policy (the host's own or everyone else's) sends a host with every ISP up; null: it uses one ISP. */
function routeOf(applied: GatewayConfig, host: HostConfig): BoardRoute | null {
  const r = resolveHost(applied, host);
  if (!r || r.target.kind !== "policy") return null;
  return { policy: r.target.policy.name, isps: r.isps.map((i) => ({ name: i.isp.name, weight: i.weight })), sticky: r.sticky, unreachable: r.unreachable, because: r.because };
}

/** With several LANs, the host's LAN (and the ISP of its LAN's own default: a guest LAN on lte). */
function lanOfHost(config: GatewayConfig, address: string): { lan?: { name: string; defaultIsp: string | null } } {
  if (!config.settings.lans?.length) return {};
  const lan = lanOfAddress(config, address);
  if (!lan) return {};
  const own = lan.name !== MAIN_LAN && (lan.defaultIsp || lan.defaultPolicy) ? defaultTarget(config, lan) : null;
  return { lan: { name: lan.name, defaultIsp: own?.kind === "isp" ? own.isp.name : null } };
}

export default async function DashboardPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  // the base a user applied, not a monitor failover on top of it (the board shows failover live)
  const [{ config, ids }, applied, [newest]] = await Promise.all([loadConfigWithIds(), lastUserApplied(), listRevisions(1)]);
  const before = appliedHosts(applied?.config ?? null);
  const def = defaultIsp(config);
  const data: BoardData = {
    isps: config.isps.map((isp) => ({
      name: isp.name,
      wanInterface: isp.wanInterface,
      natMode: isp.natMode,
      nat: isp.natMode === "MASQUERADE" ? [isp.linkAddress] : config.natAddresses.filter((n) => n.isp === isp.name && !n.host).map((n) => n.address),
      enabled: isp.enabled,
      isDefault: !config.settings.defaultPolicy && def?.name === isp.name,
    })),
    policies: (config.policies ?? []).map((p) => ({ name: p.name, words: describePolicy(p), isDefault: config.settings.defaultPolicy === p.name })),
    hosts: config.hosts.map((h, i) => {
      const was = before.get(h.name);
      const v = was && applied?.verification?.hosts.find((x) => x.address === was.address);
      return {
        id: ids.hosts[i], name: h.name, address: h.address, isp: h.isp, policy: h.policy ?? null,
        applied: was ? { isp: was.isp, policy: was.policy ?? null, address: was.address } : null,
        route: was && applied ? routeOf(applied.config, was) : null,
        verified: v ? { ok: v.ok, isp: v.isp, seenAs: v.seenAs, reason: v.reason } : null,
        ...lanOfHost(config, h.address),
      };
    }),
    defaultIsp: def?.name ?? null,
    defaultPolicy: config.settings.defaultPolicy && config.policies?.some((p) => p.name === config.settings.defaultPolicy) ? config.settings.defaultPolicy : null,
    stagedChanges: changesSince(applied?.config ?? null, config),
    lastApplied: applied ? { revisionId: applied.revisionId, at: applied.at.toISOString(), actor: applied.actor } : null,
    lastFailure: newest && newest.id !== applied?.revisionId && (newest.result === "failed" || newest.result === "rolled-back")
      ? { revisionId: newest.id, at: newest.createdAt.toISOString(), result: newest.result }
      : null,
  };
  return (
    <>
      <PageHeader title="Dashboard" description="Which ISP or policy each machine uses. Drag a host to another ISP or policy (or pick it up with Space), then apply: Switchyard changes the gateway, proves the new paths with real traffic, and rolls back if they fail." />
      {config.isps.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No ISPs yet. <Link href="/isps/new" className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">Add the first one</Link>.
        </p>
      ) : (
        <>
          <DriftBanner />
          <Board data={data} lab={Boolean(resolveTarget().labPrefix)} />
        </>
      )}
    </>
  );
}
