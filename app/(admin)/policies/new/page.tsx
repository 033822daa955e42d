import { Card, PageHeader } from "@/components/ui/page";
import { PolicyForm } from "@/components/policies/policy-form";
import { policyValues } from "@/components/policies/fields";
import { loadConfig } from "@/lib/data/config";
import { savePolicyAction } from "../actions";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Add policy" };

export default async function NewPolicyPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const config = await loadConfig();
  const isps = config.isps.map((i) => ({ name: i.name, enabled: i.enabled }));
  return (
    <>
      <PageHeader
        title="Add policy"
        description="Which ISPs its hosts use, in which order or shares, and what happens when none of them is up. Changes are staged: the gateway changes when you apply."
      />
      <Card>
        <PolicyForm
          action={savePolicyAction}
          isps={isps}
          initial={policyValues(
            undefined,
            isps.map((i) => i.name),
          )}
          submitLabel="Add policy"
          cancelHref="/policies"
        />
      </Card>
    </>
  );
}
