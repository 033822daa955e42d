import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/page";
import { DeleteButton } from "@/components/ui/delete-button";
import { EntityForm } from "@/components/ui/entity-form";
import { lanFields, lanValues } from "@/components/lans/fields";
import { loadConfig } from "@/lib/data/config";
import { lanOfAddress } from "@/lib/net/lans";
import { requireUserPage } from "@/lib/auth/guard";
import { deleteLanAction, saveLanAction } from "../actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "LAN" };

export default async function EditLanPage({ params }: { params: Promise<{ name: string }> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const name = decodeURIComponent((await params).name);
  const config = await loadConfig();
  const lan = (config.settings.lans ?? []).find((l) => l.name === name);
  if (!lan) notFound();
  const hosts = config.hosts.filter((h) => lanOfAddress(config, h.address)?.name === lan.name).length;
  return (
    <>
      <PageHeader title={`LAN ${lan.name}`} description={`On ${lan.interface}. Changes are staged: the gateway changes when you apply.`} />
      <Card>
        <EntityForm
          key={JSON.stringify(lan)}
          action={saveLanAction.bind(null, lan.name)}
          fields={lanFields(config)}
          initial={lanValues(lan)}
          submitLabel="Save LAN"
          cancelHref="/settings"
        />
      </Card>
      <div className="mt-6">
        <DeleteButton
          label={lan.name}
          consequence={
            hosts
              ? `${hosts} ${hosts === 1 ? "host sits" : "hosts sit"} in its subnets: move or delete ${hosts === 1 ? "it" : "them"} first.`
              : "Switchyard stops routing and NATing its traffic at the next apply (its packets are then refused, never leaked)."
          }
          action={deleteLanAction.bind(null, lan.name)}
        />
      </div>
    </>
  );
}
