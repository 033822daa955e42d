import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { DeleteButton } from "@/components/ui/delete-button";
import { natFields, natValues } from "@/components/nat/fields";
import { loadConfigWithIds } from "@/lib/data/config";
import { idFrom } from "@/lib/validation/form";
import { deleteNatAction, saveNatAction } from "../actions";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function EditNatPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const id = idFrom((await params).id);
  const { config, ids } = await loadConfigWithIds();
  const index = id ? ids.natAddresses.indexOf(id) : -1;
  if (index < 0) notFound();
  const nat = config.natAddresses[index];
  const host = nat.host ? config.hosts.find((h) => h.address === nat.host) : undefined;
  const consequence = nat.isDefault
    ? `It is ${nat.isp}'s default address: make another address the default first (or switch ${nat.isp} to MASQUERADE).`
    : host
      ? `${host.name} (${host.address}) is pinned to it and will leave from ${nat.isp}'s default address instead.`
      : `${nat.isp} no longer uses it.`;
  return (
    <>
      <PageHeader title={`NAT address ${nat.address}`} description="Changes are staged: the gateway changes when you apply." />
      <Card>
        <EntityForm action={saveNatAction} fields={natFields(config)} initial={natValues(config, nat)} hidden={{ id: String(id) }} cancelHref="/nat" />
      </Card>
      <div className="mt-6">
        <DeleteButton label={nat.address} consequence={consequence} action={deleteNatAction.bind(null, id!)} />
      </div>
    </>
  );
}
