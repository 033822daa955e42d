// The dashboard: which ISP or policy each machine uses, staged moves, and Apply & verify.
import Link from "next/link";
import { Board } from "@/components/board/board";
import { STAGED_SHOWN, type BoardData, type BoardRoute } from "@/components/board/types";
import { PageHeader } from "@/components/ui/page";
import { DriftBanner } from "@/components/kernel/drift-banner";
import { loadConfigWithIds } from "@/lib/data/config";
import { listRevisions } from "@/lib/data/revisions";
import { appliedHosts, changesSince } from "@/lib/engine/staged";
import { resolveTarget } from "@/lib/engine/target";
import { lastUserApplied } from "@/lib/health/view";
import { defaultIsp } from "@/lib/net/render";
import { defaultTarget, describePolicy, resolveHost } from "@/lib/net/render/targets";
import { refusesIpv6 } from "@/lib/net/render/ipv6";
import { macsSeen } from "@/lib/data/host-mac";
import type { MacSeen } from "@/lib/net/neigh-mac";
import { MAIN_LAN, lanOfAddress } from "@/lib/net/lans";
import type { GatewayConfig, HostConfig } from "@/lib/model";
import { requireUserPage } from "@/lib/auth/guard";
import { BOARD_PAGE_SIZE, hostCountWords, hostQuery, pageOfHosts } from "@/lib/data/host-list";
import { columnId } from "@/components/board/columns";
import { PageNote, Pager } from "@/components/ui/pager";
import { pageFrom } from "@/lib/validation/paging";
import { UsageSummary } from "@/components/usage/usage-summary";
import { recentUsageOf } from "@/lib/usage/view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Dashboard" };

/** Where the applied config's policy (the host's own or everyone else's) sends a host with every ISP up; null: it uses one ISP. */
function routeOf(applied: GatewayConfig, host: HostConfig): BoardRoute | null {
  const r = resolveHost(applied, host);
  if (!r || r.target.kind !== "policy") return null;
  return {
    policy: r.target.policy.name,
    isps: r.isps.map((i) => ({ name: i.isp.name, weight: i.weight })),
    sticky: r.sticky,
    unreachable: r.unreachable,
    because: r.because,
  };
}

/** With several LANs, the host's LAN (and the ISP of its LAN's own default: a guest LAN on lte). */
function lanOfHost(config: GatewayConfig, address: string): { lan?: { name: string; defaultIsp: string | null } } {
  if (!config.settings.lans?.length) return {};
  const lan = lanOfAddress(config, address);
  if (!lan) return {};
  const own = lan.name !== MAIN_LAN && (lan.defaultIsp || lan.defaultPolicy) ? defaultTarget(config, lan) : null;
  return { lan: { name: lan.name, defaultIsp: own?.kind === "isp" ? own.isp.name : null } };
}

/** The column a host sits in (as the board's columnOfHost: a policy or ISP that no longer exists counts as the default). */
function placeOf(config: GatewayConfig, h: HostConfig): string {
  if (h.policy && config.policies?.some((p) => p.name === h.policy)) return columnId({ policy: h.policy });
  return h.isp && config.isps.some((i) => i.name === h.isp) ? columnId({ isp: h.isp }) : columnId(null);
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const params = await searchParams;
  const q = hostQuery(params.q);
  const asked = pageFrom(params.page);
  // the base a user applied, not a monitor failover on top of it (the board shows failover live)
  const [{ config, ids }, applied, [newest]] = await Promise.all([loadConfigWithIds(), lastUserApplied(), listRevisions(1)]);
  const usages = await recentUsageOf(config.isps.map((i) => i.name));
  const before = appliedHosts(applied?.config ?? null);
  const proved = new Map((applied?.verification?.hosts ?? []).map((x) => [x.address, x]));
  const def = defaultIsp(config);
  const staged = changesSince(applied?.config ?? null, config);
  // the board carries one page of hosts (drag and drop works on it); the columns' counts are of every host
  const shown = pageOfHosts(
    config.hosts.map((h, i) => ({ h, id: ids.hosts[i] })),
    (r) => r.h,
    q,
    asked.page,
    BOARD_PAGE_SIZE,
  );
  const columnCounts: Record<string, number> = {};
  for (const h of config.hosts) {
    const col = placeOf(config, h);
    columnCounts[col] = (columnCounts[col] ?? 0) + 1;
  }
  // IPv6 on the cards only when some ISP has it: otherwise the board's data is what it was
  const ipv6Isps = config.isps.filter((i) => i.ipv6).map((i) => ({ name: i.name, translate: i.ipv6!.translate !== false }));
  const v6 = ipv6Isps.length > 0;
  const ipv6Refusing = config.isps.filter(refusesIpv6).map((i) => i.name);
  // the shown hosts without a MAC: the MAC the neighbour table shows for each (one read), offered on their cards
  const noMac = v6 ? shown.rows.filter(({ h }) => !h.mac).map(({ h }) => h.address) : [];
  const seen = noMac.length ? await macsSeen(resolveTarget().target, noMac) : new Map<string, MacSeen>();
  const seenMacOf = (address: string) => {
    const m = seen.get(address);
    return m?.ok ? { seenMac: m.mac } : {};
  };
  const data: BoardData = {
    isps: config.isps.map((isp) => ({
      name: isp.name,
      wanInterface: isp.wanInterface,
      natMode: isp.natMode,
      nat: isp.natMode === "MASQUERADE" ? [isp.linkAddress] : config.natAddresses.filter((n) => n.isp === isp.name && !n.host).map((n) => n.address),
      enabled: isp.enabled,
      isDefault: !config.settings.defaultPolicy && def?.name === isp.name,
    })),
    policies: (config.policies ?? []).map((p) => ({
      name: p.name,
      words: describePolicy(p),
      isDefault: config.settings.defaultPolicy === p.name,
      ...(v6 ? { isps: p.members.map((m) => m.isp) } : {}),
    })),
    hosts: shown.rows.map(({ h, id }) => {
      const was = before.get(h.name);
      const v = was && proved.get(was.address);
      return {
        id,
        name: h.name,
        address: h.address,
        isp: h.isp,
        policy: h.policy ?? null,
        applied: was ? { isp: was.isp, policy: was.policy ?? null, address: was.address } : null,
        route: was && applied ? routeOf(applied.config, was) : null,
        verified: v ? { ok: v.ok, isp: v.isp, seenAs: v.seenAs, reason: v.reason } : null,
        ...lanOfHost(config, h.address),
        ...(v6 ? { hasMac: Boolean(h.mac) } : {}),
        ...seenMacOf(h.address),
      };
    }),
    paging: shown.pages > 1 || q ? { q, page: shown.page, pages: shown.pages, words: hostCountWords(shown, config.hosts.length, q), columnCounts } : null,
    defaultIsp: def?.name ?? null,
    defaultPolicy:
      config.settings.defaultPolicy && config.policies?.some((p) => p.name === config.settings.defaultPolicy) ? config.settings.defaultPolicy : null,
    stagedChanges: staged.slice(0, STAGED_SHOWN),
    stagedCount: staged.length,
    lastApplied: applied ? { revisionId: applied.revisionId, at: applied.at.toISOString(), actor: applied.actor } : null,
    lastFailure:
      newest && newest.id !== applied?.revisionId && (newest.result === "failed" || newest.result === "rolled-back")
        ? { revisionId: newest.id, at: newest.createdAt.toISOString(), result: newest.result }
        : null,
    ...(v6 ? { ipv6Isps, ...(ipv6Refusing.length ? { ipv6Refusing } : {}) } : {}),
  };
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Which ISP or policy each machine uses. Drag a host to another ISP or policy (or pick it up with Space), then apply: Switchyard changes the gateway, proves the new paths with real traffic, and rolls back if they fail."
      />
      {config.isps.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No ISPs yet.{" "}
          <Link href="/isps/new" className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
            Add the first one
          </Link>
          .
        </p>
      ) : (
        <>
          <DriftBanner />
          <UsageSummary usages={usages} ids={new Map(config.isps.map((i, n) => [i.name, ids.isps[n]]))} />
          <PageNote asked={asked.page} shown={shown.page} refused={asked.refused} />
          <Board data={data} lab={Boolean(resolveTarget().labPrefix)} />
          <Pager
            page={shown.page}
            pages={shown.pages}
            newer="Previous"
            older="Next"
            href={(p) => {
              const u = new URLSearchParams();
              if (q) u.set("q", q);
              if (p > 1) u.set("page", String(p));
              return u.size ? `/?${u}` : "/";
            }}
          />
        </>
      )}
    </>
  );
}
