import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { settingsFields, settingsValues } from "@/components/settings/fields";
import { loadConfig } from "@/lib/data/config";
import { resolveFirewallOn } from "@/lib/net/firewall";
import { resolveTarget } from "@/lib/engine/target";
import { saveSettingsAction } from "./actions";
import { requireUserPage } from "@/lib/auth/guard";
import { SavedNotice } from "@/components/ui/staged";

export const dynamic = "force-dynamic";
export const metadata = { title: "Settings" };

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const params = await searchParams;
  const config = await loadConfig();
  const values = settingsValues(config);
  // what auto means on this gateway now (one read-only process, only when the setting is auto)
  const autoNow = await resolveFirewallOn(resolveTarget().target, { ...config, settings: { ...config.settings, firewall: "auto" } }).then((c) => c.firewallResolved ?? null, () => null);
  return (
    <>
      <PageHeader title="Settings" description="The LAN side of the gateway, what hosts use unless they have their own ISP or policy, what happens when an ISP recovers, and which netfilter backend the gateway runs." />
      <SavedNotice params={params} noun="settings" />
      <Card>
        <EntityForm key={JSON.stringify(values)} action={saveSettingsAction} fields={settingsFields(config, autoNow)} initial={values} submitLabel="Save settings" />
      </Card>
    </>
  );
}
