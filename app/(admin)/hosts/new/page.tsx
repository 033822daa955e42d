import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { hostFields, hostValues } from "@/components/hosts/fields";
import { loadConfig } from "@/lib/data/config";
import { saveHostAction } from "../actions";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Add host" };

export default async function NewHostPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const config = await loadConfig();
  return (
    <>
      <PageHeader title="Add host" description="Give a LAN machine its own ISP or policy, or leave it on what everyone else uses." />
      <Card>
        <EntityForm action={saveHostAction} fields={hostFields(config)} initial={hostValues()} submitLabel="Add host" cancelHref="/hosts" />
      </Card>
    </>
  );
}
