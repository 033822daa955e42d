import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { DeleteButton } from "@/components/ui/delete-button";
import { hostFields, hostValues } from "@/components/hosts/fields";
import { everyoneElseUses } from "@/components/policies/words";
import { loadConfigWithIds } from "@/lib/data/config";
import { idFrom } from "@/lib/validation/form";
import { deleteHostAction, saveHostAction } from "../actions";
import { requireUserPage } from "@/lib/auth/guard";
import { SeenMac } from "@/components/hosts/seen-mac";
import { macsSeen } from "@/lib/data/host-mac";
import { resolveTarget } from "@/lib/engine/target";

export const dynamic = "force-dynamic";

export default async function EditHostPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const id = idFrom((await params).id);
  const { config, ids } = await loadConfigWithIds();
  const index = id ? ids.hosts.indexOf(id) : -1;
  if (index < 0) notFound();
  const host = config.hosts[index];
  const pin = config.natAddresses.find((n) => n.host === host.address);
  // without a MAC: the one the gateway's neighbour table shows for its address, offered (its IPv6 is matched by it)
  const seen = host.mac ? null : (await macsSeen(resolveTarget().target, [host.address])).get(host.address);
  return (
    <>
      <PageHeader title={`Host ${host.name}`} description="Changes are staged: the gateway changes when you apply." />
      <Card>
        <EntityForm action={saveHostAction} fields={hostFields(config)} initial={hostValues(host)} hidden={{ id: String(id) }} cancelHref="/hosts" />
        {seen?.ok && <SeenMac hostId={id!} mac={seen.mac} />}
      </Card>
      <div className="mt-6">
        <DeleteButton
          label={host.name}
          consequence={
            pin
              ? `Its traffic will use what everyone else uses (${everyoneElseUses(config)}), and the NAT address ${pin.address} (${pin.isp}) stays but is no longer pinned to it.`
              : `Its traffic will use what everyone else uses (${everyoneElseUses(config)}).`
          }
          action={deleteHostAction.bind(null, id!)}
        />
      </div>
    </>
  );
}
