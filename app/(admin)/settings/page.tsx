import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { settingsFields, settingsValues } from "@/components/settings/fields";
import { loadConfig } from "@/lib/data/config";
import { resolveFirewallOn } from "@/lib/net/firewall";
import { resolveTarget } from "@/lib/engine/target";
import { saveSettingsAction } from "./actions";
import { requireUserPage } from "@/lib/auth/guard";
import { SavedNotice } from "@/components/ui/staged";
import Link from "next/link";
import { lanOfAddress, lansOf } from "@/lib/net/lans";

export const dynamic = "force-dynamic";
export const metadata = { title: "Settings" };

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const params = await searchParams;
  const config = await loadConfig();
  const values = settingsValues(config);
  // what auto means on this gateway now (one read-only process, only when the setting is auto)
  const autoNow = await resolveFirewallOn(resolveTarget().target, { ...config, settings: { ...config.settings, firewall: "auto" } }).then(
    (c) => c.firewallResolved ?? null,
    () => null,
  );
  return (
    <>
      <PageHeader
        title="Settings"
        description="The LAN side of the gateway, what hosts use unless they have their own ISP or policy, what happens when an ISP recovers, and which netfilter backend the gateway runs."
      />
      <SavedNotice params={params} noun="settings" />
      <p className="mb-4 flex flex-wrap gap-4 text-sm">
        <Link href="/settings/backup" className="font-medium text-indigo-700 underline dark:text-indigo-400">
          Backup and restore
        </Link>
        <Link href="/settings/metrics" className="font-medium text-indigo-700 underline dark:text-indigo-400">
          Metrics tokens
        </Link>
      </p>
      <Card>
        <EntityForm
          key={JSON.stringify(values)}
          action={saveSettingsAction}
          fields={settingsFields(config, autoNow)}
          initial={values}
          submitLabel="Save settings"
        />
      </Card>
      <section aria-labelledby="notifications" className="mt-8">
        <h2 id="notifications" className="mb-2 text-lg font-semibold">
          Notifications
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Webhooks, ntfy and e-mail when an ISP goes down or comes back, hosts fail over, an apply fails or drift appears:{" "}
          <Link href="/settings/notifications" className="font-medium underline">
            Notification channels
          </Link>
        </p>
      </section>
      <section aria-labelledby="lans" className="mt-8">
        <div className="mb-3 flex items-center justify-between">
          <h2 id="lans" className="text-lg font-semibold">
            LANs
          </h2>
          <Link
            href="/settings/lans/new"
            className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900"
          >
            Add LAN
          </Link>
        </div>
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          A guest network or a VLAN beside the main LAN: each has its interface, its subnets and what its unlisted hosts use.
        </p>
        <Card>
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-slate-500">
                <th className="py-1">LAN</th>
                <th>Interface</th>
                <th>Subnets</th>
                <th>Unlisted hosts use</th>
                <th>Hosts</th>
              </tr>
            </thead>
            <tbody>
              {lansOf(config).map((l, n) => (
                <tr key={l.name} className="border-t border-slate-200 dark:border-slate-800">
                  <td className="py-1.5">
                    {n === 0 ? (
                      <span>
                        {l.name} <span className="text-slate-500">(main, above)</span>
                      </span>
                    ) : (
                      <Link href={`/settings/lans/${encodeURIComponent(l.name)}`} className="font-medium underline">
                        {l.name}
                      </Link>
                    )}
                  </td>
                  <td className="font-mono">{l.interface}</td>
                  <td className="font-mono">
                    {l.subnets.join(", ")}
                    {(n === 0 ? config.settings.lanSubnets6 : l.subnets6)?.length ? (
                      <span className="block text-xs text-slate-500">IPv6: {(n === 0 ? config.settings.lanSubnets6 : l.subnets6)!.join(", ")}</span>
                    ) : null}
                  </td>
                  <td>
                    {n === 0 ? "Everyone else uses (above)" : l.defaultPolicy ? `Policy ${l.defaultPolicy}` : (l.defaultIsp ?? "What everyone else uses")}
                  </td>
                  <td>{config.hosts.filter((h) => lanOfAddress(config, h.address)?.name === l.name).length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </section>
    </>
  );
}
