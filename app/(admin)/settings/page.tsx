import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { settingsFields, settingsValues } from "@/components/settings/fields";
import { loadConfig } from "@/lib/data/config";
import { saveSettingsAction } from "./actions";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Settings" };

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const saved = (await searchParams).saved === "1";
  const config = await loadConfig();
  const values = settingsValues(config);
  return (
    <>
      <PageHeader title="Settings" description="The LAN side of the gateway, what hosts use unless they have their own ISP or policy, and what happens when an ISP recovers." />
      {saved && (
        <p role="status" className="mb-4 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
          Settings saved. The gateway changes when you apply.
        </p>
      )}
      <Card>
        <EntityForm key={JSON.stringify(values)} action={saveSettingsAction} fields={settingsFields(config)} initial={values} submitLabel="Save settings" />
      </Card>
    </>
  );
}
