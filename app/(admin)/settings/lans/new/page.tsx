import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { lanFields, lanValues } from "@/components/lans/fields";
import { loadConfig } from "@/lib/data/config";
import { requireUserPage } from "@/lib/auth/guard";
import { saveLanAction } from "../actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Add LAN" };

export default async function NewLanPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const config = await loadConfig();
  return (
    <>
      <PageHeader
        title="Add LAN"
        description="A network beside the main LAN: a guest network or a VLAN on an interface of its own. Every rule and verification covers it with its own interface. Changes are staged: the gateway changes when you apply."
      />
      <Card>
        <EntityForm action={saveLanAction.bind(null, null)} fields={lanFields(config)} initial={lanValues()} submitLabel="Add LAN" cancelHref="/settings" />
      </Card>
    </>
  );
}
