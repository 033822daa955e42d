import Link from "next/link";
import { Badge, PageHeader, Table, td } from "@/components/ui/page";
import { loadConfigWithIds } from "@/lib/data/config";
import { describePolicy } from "@/lib/net/render/targets";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Policies" };

const link = "font-medium text-indigo-700 hover:underline dark:text-indigo-400";

export default async function PoliciesPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const { config, ids } = await loadConfigWithIds();
  const policies = config.policies ?? [];
  return (
    <>
      <PageHeader
        title="Policies"
        description="A failover order (fiber, then lte) or a balanced group (2:1 over two ISPs) that hosts, or everyone else, can use instead of one ISP. When an ISP goes down, its hosts move on by themselves."
        action={{ href: "/policies/new", label: "Add policy" }}
      />
      {policies.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No policies yet. Every host uses one ISP (its own or the default).</p>
      ) : (
        <Table head={["Name", "Uses", "When none is up", "Hosts", "Notes", ""]}>
          {policies.map((p, i) => {
            const id = ids.policies[i];
            const hosts = config.hosts.filter((h) => h.policy === p.name).length;
            return (
              <tr key={id}>
                <td className={td}>
                  <Link href={`/policies/${id}`} className={link}>
                    {p.name}
                  </Link>{" "}
                  {config.settings.defaultPolicy === p.name && <Badge tone="indigo">everyone else</Badge>} {p.sticky && <Badge>sticky</Badge>}
                </td>
                <td className={td}>{describePolicy(p)}</td>
                <td className={td}>{p.lastResort ? `last resort ${p.lastResort}` : "unreachable"}</td>
                <td className={td}>{hosts}</td>
                <td className={td}>{p.notes}</td>
                <td className={td}>
                  <Link href={`/policies/${id}`} className={`text-sm ${link}`}>
                    Edit<span className="sr-only"> {p.name}</span>
                  </Link>
                </td>
              </tr>
            );
          })}
        </Table>
      )}
    </>
  );
}
