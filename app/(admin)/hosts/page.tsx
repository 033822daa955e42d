import Link from "next/link";
import { Badge, PageHeader, Table, td } from "@/components/ui/page";
import { loadConfigWithIds } from "@/lib/data/config";
import { everyoneElseUses } from "@/components/policies/words";
import { describePolicy, isExplicit, targetLabel, targetOf } from "@/lib/net/render/targets";
import { requireUserPage } from "@/lib/auth/guard";
import { loadStaged, SavedNotice, StagedBadge, StagedRemovals } from "@/components/ui/staged";
import { healthSnapshot } from "@/lib/health/view";
import { hostNow } from "@/lib/health/words";
import { hostCountWords, hostQuery, HOSTS_PAGE_SIZE, pageOfHosts } from "@/lib/data/host-list";
import { PageNote, Pager } from "@/components/ui/pager";
import { pageFrom } from "@/lib/validation/paging";

export const dynamic = "force-dynamic";
export const metadata = { title: "Hosts" };

const link = "font-medium text-indigo-700 hover:underline dark:text-indigo-400";

export default async function HostsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const params = await searchParams;
  const q = hostQuery(params.q);
  const asked = pageFrom(params.page);
  const [{ config, ids }, health] = await Promise.all([loadConfigWithIds(), healthSnapshot()]);
  const staged = await loadStaged(config);
  // where the monitor sends each host now (the resolver on the applied config and the live health)
  const down = new Set(health?.isps.filter((i) => i.state === "down").map((i) => i.isp) ?? []);
  const now = (host: (typeof config.hosts)[number]) => {
    const t = targetOf(config, host);
    return hostNow(
      health?.moves.find((m) => m.host === host.name),
      t?.kind === "isp" ? t.isp.name : null,
      down,
    );
  };
  const everyone = everyoneElseUses(config);
  // one page of the hosts the search matches: rows, pins and "where now" only for those
  const shown = pageOfHosts(
    config.hosts.map((host, i) => ({ host, id: ids.hosts[i] })),
    (r) => r.host,
    q,
    asked.page,
    HOSTS_PAGE_SIZE,
  );
  const rows = shown.rows;
  const pins = new Map(config.natAddresses.filter((n) => n.host).map((n) => [n.host, n]));
  const href = (p: number) => {
    const u = new URLSearchParams();
    if (q) u.set("q", q);
    if (p > 1) u.set("page", String(p));
    return u.size ? `/hosts?${u}` : "/hosts";
  };
  return (
    <>
      <PageHeader
        title="Hosts"
        description="Machines on the LAN, and the ISP or policy each one's traffic leaves through."
        action={{ href: "/hosts/new", label: "Add host" }}
      />
      <SavedNotice params={params} noun="host" />
      <form method="get" role="search" className="mb-4 flex flex-wrap items-center gap-2">
        <label htmlFor="host-search" className="sr-only">
          Search hosts
        </label>
        <input
          id="host-search"
          name="q"
          type="search"
          defaultValue={q}
          placeholder="Name, address or MAC"
          autoComplete="off"
          spellCheck={false}
          className="w-72 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-slate-700 dark:bg-slate-900"
        />
        <button
          type="submit"
          className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Search
        </button>
        {q && (
          <Link href="/hosts" className="text-sm font-medium text-slate-600 hover:underline dark:text-slate-300">
            Clear
          </Link>
        )}
        <span className="text-sm text-slate-500 dark:text-slate-400" aria-live="polite">
          {hostCountWords(shown, config.hosts.length, q)}
        </span>
      </form>
      <PageNote asked={asked.page} shown={shown.page} refused={asked.refused} />
      {config.hosts.length === 0 ? (
        <p className="text-sm text-slate-600">No hosts yet. Hosts you do not add use what everyone else uses ({everyone}).</p>
      ) : shown.matching === 0 ? (
        <p className="text-sm text-slate-600">No host matches “{q}”.</p>
      ) : (
        <Table head={["Name", "Address", "MAC", "Uses", "Pinned NAT address", "Notes", ""]}>
          {rows.map(({ host, id }) => {
            const uses = targetOf(config, host);
            const policy = host.policy ? config.policies?.find((p) => p.name === host.policy) : undefined;
            const pin = pins.get(host.address);
            return (
              <tr key={id}>
                <td className={td}>
                  <Link href={`/hosts/${id}`} className={link}>
                    {host.name}
                  </Link>{" "}
                  <StagedBadge staged={staged} kind="host" name={host.name} />
                </td>
                <td className={`${td} font-mono`}>{host.address}</td>
                <td className={`${td} font-mono`}>{host.mac ?? ""}</td>
                <td className={td}>
                  {policy ? (
                    <>
                      policy {policy.name} <span className="text-slate-500 dark:text-slate-400">({describePolicy(policy)})</span>
                    </>
                  ) : host.isp ? (
                    <>
                      {host.isp} {!isExplicit(config, host) && <Badge tone="amber">disabled: uses {uses ? targetLabel(uses) : "none"}</Badge>}
                    </>
                  ) : (
                    <span className="text-slate-500 dark:text-slate-400">default ({everyone})</span>
                  )}
                  {now(host) && <span className="block font-medium text-amber-800 dark:text-amber-300">{now(host)}</span>}
                </td>
                <td className={`${td} font-mono`}>{pin ? `${pin.address} (${pin.isp})` : ""}</td>
                <td className={td}>{host.notes}</td>
                <td className={td}>
                  <Link href={`/hosts/${id}`} className={`text-sm ${link}`}>
                    Edit<span className="sr-only"> {host.name}</span>
                  </Link>
                </td>
              </tr>
            );
          })}
        </Table>
      )}
      <Pager page={shown.page} pages={shown.pages} href={href} older="Next" newer="Previous" />
      <StagedRemovals staged={staged} kind="host" noun="host" />
    </>
  );
}
