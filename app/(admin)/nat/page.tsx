import Link from "next/link";
import { Badge, PageHeader, Table, td } from "@/components/ui/page";
import { loadConfigWithIds } from "@/lib/data/config";
import { requireUserPage } from "@/lib/auth/guard";
import { loadStaged, SavedNotice, StagedBadge, StagedRemovals } from "@/components/ui/staged";

export const dynamic = "force-dynamic";
export const metadata = { title: "NAT addresses" };

const link = "font-medium text-indigo-700 hover:underline dark:text-indigo-400";

export default async function NatPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const [{ config, ids }, params] = await Promise.all([loadConfigWithIds(), searchParams]);
  const staged = await loadStaged(config);
  return (
    <>
      <PageHeader
        title="NAT addresses"
        description="Public addresses LAN traffic is translated to. Each SNAT ISP has one default address; a pinned address is used by one host only."
        action={config.isps.length ? { href: "/nat/new", label: "Add NAT address" } : undefined}
      />
      <SavedNotice params={params} noun="NAT address" />
      {config.isps.length === 0 ? (
        <p className="text-sm text-slate-600">Add an ISP first: NAT addresses belong to an ISP.</p>
      ) : config.natAddresses.length === 0 ? (
        <p className="text-sm text-slate-600">No NAT addresses yet.</p>
      ) : (
        <Table head={["Address", "ISP", "Default", "Pinned host", ""]}>
          {config.natAddresses.map((n, i) => {
            const host = n.host ? config.hosts.find((h) => h.address === n.host) : undefined;
            const isp = config.isps.find((x) => x.name === n.isp);
            return (
              <tr key={ids.natAddresses[i]}>
                <td className={`${td} font-mono`}>
                  <Link href={`/nat/${ids.natAddresses[i]}`} className={link}>
                    {n.address}
                  </Link>{" "}
                  <StagedBadge staged={staged} kind="NAT address" name={n.address} />
                </td>
                <td className={td}>
                  {n.isp} {isp?.natMode === "MASQUERADE" && <Badge tone="amber">MASQUERADE</Badge>}
                </td>
                <td className={td}>{n.isDefault && <Badge tone="indigo">default</Badge>}</td>
                <td className={td}>{host ? `${host.name} (${host.address})` : (n.host ?? "")}</td>
                <td className={td}>
                  <Link href={`/nat/${ids.natAddresses[i]}`} className={`text-sm ${link}`}>
                    Edit<span className="sr-only"> {n.address}</span>
                  </Link>
                </td>
              </tr>
            );
          })}
        </Table>
      )}
      <StagedRemovals staged={staged} kind="NAT address" noun="NAT address" />
    </>
  );
}
