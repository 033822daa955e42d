import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/page";
import { DeleteButton } from "@/components/ui/delete-button";
import { PolicyForm } from "@/components/policies/policy-form";
import { policyValues } from "@/components/policies/fields";
import { loadConfigWithIds } from "@/lib/data/config";
import { defaultIspOf } from "@/lib/net/render/targets";
import { idFrom } from "@/lib/validation/form";
import { deletePolicyAction, savePolicyAction } from "../actions";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function EditPolicyPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const id = idFrom((await params).id);
  const { config, ids } = await loadConfigWithIds();
  const index = id ? ids.policies.indexOf(id) : -1;
  if (index < 0) notFound();
  const policy = config.policies![index];
  const isps = config.isps.map((i) => ({ name: i.name, enabled: i.enabled }));
  const hosts = config.hosts.filter((h) => h.policy === policy.name).length;
  const everyone = config.settings.defaultPolicy === policy.name;
  const consequence = [
    `Its ${hosts} ${hosts === 1 ? "host goes" : "hosts go"} back to what everyone else uses.`,
    everyone ? `Everyone else uses it now: they go back to the default ISP (${defaultIspOf(config)?.name ?? "none is enabled"}).` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <>
      <PageHeader title={`Policy ${policy.name}`} description="Changes are staged: the gateway changes when you apply." />
      <Card>
        <PolicyForm action={savePolicyAction} isps={isps} initial={policyValues(policy, [])} hidden={{ id: String(id) }} cancelHref="/policies" />
      </Card>
      <div className="mt-6">
        <DeleteButton label={policy.name} consequence={consequence} action={deletePolicyAction.bind(null, id!)} />
      </div>
    </>
  );
}
