import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/page";
import { loadConfig } from "@/lib/data/config";
import { defaultIsp } from "@/lib/net/render";

export const dynamic = "force-dynamic";
export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const config = await loadConfig();
  const def = defaultIsp(config);
  const stats = [
    { label: "ISPs", value: config.isps.length, href: "/isps" },
    { label: "Hosts", value: config.hosts.length, href: "/hosts" },
    { label: "Default ISP", value: def?.name ?? "none", href: "/settings" },
  ];
  return (
    <>
      <PageHeader title="Dashboard" description="The staged configuration at a glance." />
      <div className="grid gap-4 sm:grid-cols-3">
        {stats.map((s) => (
          <Card key={s.label}>
            <Link href={s.href} className="block hover:underline">
              <p className="text-sm text-slate-600 dark:text-slate-400">{s.label}</p>
              <p className="mt-1 text-2xl font-semibold">{s.value}</p>
            </Link>
          </Card>
        ))}
      </div>
      <p className="mt-6 text-sm">
        <Link href="/ruleset" className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">See the ruleset</Link> Switchyard would apply.
      </p>
    </>
  );
}
