import Link from "next/link";
import { Badge, PageHeader, Table, td } from "@/components/ui/page";
import { loadConfigWithIds } from "@/lib/data/config";
import { defaultIsp } from "@/lib/net/render";
import { requireUserPage } from "@/lib/auth/guard";
import { learnedNow } from "@/components/isps/learned";
import { hasDynamicIsps } from "@/lib/net/dynamic";
import { isDynamicIsp } from "@/lib/validation/entities";
import { loadStaged, SavedNotice, StagedBadge, StagedRemovals } from "@/components/ui/staged";
import { IspHealthCell } from "@/components/health/isp-health-cell";
import { ago, clock, columnLoad, ispLoad } from "@/lib/health/words";
import type { LearnedStatus } from "@/lib/engine/status";
import { healthSnapshot } from "@/lib/health/view";

export const dynamic = "force-dynamic";
export const metadata = { title: "ISPs" };

/** Under a dynamic ISP's address: since when the one in use was learned, or why there is none. */
function LearnedSince({ s, now }: { s: LearnedStatus | undefined; now: number }) {
  if (!s) return null;
  const text =
    s.address && s.learnedAt
      ? `in use since ${clock(s.learnedAt)} (${ago(now - Date.parse(s.learnedAt))})`
      : s.problemKind === "no-address"
        ? "no address yet"
        : s.problemKind === "no-interface"
          ? "no such interface"
          : s.problem
            ? "nothing learned"
            : null;
  return text ? (
    <span className="block text-xs text-slate-500 dark:text-slate-400">
      {text}
      {s.kernelNow ? `; the WAN shows ${s.kernelNow} now` : ""}
    </span>
  ) : null;
}

/** The hosts set on this ISP; with the monitor's moves, what it carries now: "2" and "1 by failover". */
function hostsCell(isp: string, placed: string[], moves: { host: string; to: string }[]) {
  const l = ispLoad(isp, placed, moves);
  if (!l.movedIn && !l.movedAway) return placed.length;
  return (
    <span title={columnLoad(isp, placed, moves)}>
      {l.now}
      {l.movedIn > 0 && <span className="block text-xs whitespace-nowrap text-amber-800 dark:text-amber-300">{l.movedIn} by failover</span>}
      {l.movedAway > 0 && <span className="block text-xs whitespace-nowrap text-slate-500 dark:text-slate-400">{l.movedAway} moved away</span>}
    </span>
  );
}

export default async function IspsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const [{ config, ids }, params, health] = await Promise.all([loadConfigWithIds(), searchParams, healthSnapshot()]);
  const staged = await loadStaged(config);
  // eslint-disable-next-line react-hooks/purity -- a server component: one render per request, at its time
  const at = Date.now();
  const def = defaultIsp(config);
  const view = hasDynamicIsps(config) ? await learnedNow(config) : null;
  const now = view?.now ?? null;
  const learned = (name: string) => (now && !("error" in now) ? now.learned[name] : null);
  const inUse = (name: string) => view?.status.find((s) => s.isp === name);
  return (
    <>
      <PageHeader
        title="ISPs"
        description="Each internet connection: its WAN link, its routing table and firewall mark, and how it NATs."
        action={{ href: "/isps/new", label: "Add ISP" }}
      />
      <SavedNotice params={params} noun="ISP" also="Its health checks are not staged: a running monitor already uses them." />
      {config.isps.length === 0 ? (
        <p className="text-sm text-slate-600">No ISPs yet. Add the first one.</p>
      ) : (
        <Table head={["Name", "Health", "Interface", "Link", "Gateway", "Table", "Mark", "NAT", "Hosts", ""]}>
          {config.isps.map((isp, i) => (
            <tr key={ids.isps[i]}>
              <td className={td}>
                <Link href={`/isps/${ids.isps[i]}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
                  {isp.name}
                </Link>{" "}
                {def?.name === isp.name && <Badge tone="indigo">default</Badge>} {!isp.enabled && <Badge tone="amber">disabled</Badge>}{" "}
                <StagedBadge staged={staged} kind="ISP" name={isp.name} />
              </td>
              <td className={td}>
                <IspHealthCell info={health?.isps.find((h) => h.isp === isp.name)} canary={health?.canary ?? null} now={at} />
              </td>
              <td className={`${td} font-mono`}>
                {isp.wanInterface}
                {isp.ipv6 && (
                  <span
                    className="block text-xs text-slate-500"
                    title={`IPv6 via ${isp.ipv6.gateway || "the learned gateway"}${isp.ipv6.translate === false ? ", not translated" : ""}`}
                  >
                    IPv6{" "}
                    {isp.ipv6.mode === "pd"
                      ? `by DHCPv6-PD: ${(now && !("error" in now) && now.learned6?.[isp.name]?.prefix) || "nothing learned"}`
                      : isp.ipv6.prefix}
                  </span>
                )}
                {!isp.ipv6 && isp.ipv6Hosts === "unreachable" && <span className="block text-xs text-slate-500">no IPv6: its hosts&apos; IPv6 refused</span>}
              </td>
              {isDynamicIsp(isp) ? (
                <>
                  <td className={`${td} font-mono`}>
                    {learned(isp.name) ? `${learned(isp.name)!.linkAddress}/${learned(isp.name)!.linkPrefix}` : "—"}{" "}
                    <Badge tone="slate">{isp.addressMode}, learned</Badge>
                    <LearnedSince s={inUse(isp.name)} now={at} />
                  </td>
                  <td className={`${td} font-mono`}>{learned(isp.name)?.gatewayAddress ?? "—"}</td>
                </>
              ) : (
                <>
                  <td className={`${td} font-mono`}>
                    {isp.linkAddress}/{isp.linkPrefix}
                    {isp.routedBlocks?.length ? <span className="block text-xs text-slate-500">routed: {isp.routedBlocks.join(", ")}</span> : null}
                  </td>
                  <td className={`${td} font-mono`}>{isp.gatewayAddress}</td>
                </>
              )}
              <td className={`${td} font-mono`}>{isp.routingTable}</td>
              <td className={`${td} font-mono`}>0x{isp.mark.toString(16)}</td>
              <td className={td}>
                {isp.natMode === "SNAT"
                  ? config.natAddresses
                      .filter((n) => n.isp === isp.name)
                      .map((n) => n.address)
                      .join(", ") || (isDynamicIsp(isp) ? "SNAT to the current address" : "")
                  : "MASQUERADE"}
              </td>
              <td className={td}>
                {hostsCell(
                  isp.name,
                  config.hosts.filter((h) => h.isp === isp.name).map((h) => h.name),
                  health?.moves ?? [],
                )}
              </td>
              <td className={td}>
                <Link href={`/isps/${ids.isps[i]}`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-400">
                  Edit<span className="sr-only"> {isp.name}</span>
                </Link>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <StagedRemovals staged={staged} kind="ISP" noun="ISP" />
    </>
  );
}
