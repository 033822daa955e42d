import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { ispFields, ispValues } from "@/components/isps/fields";
import { saveIspAction } from "../actions";
import { requireUserPage } from "@/lib/auth/guard";
import { loadConfig } from "@/lib/data/config";
import { nextFreeIspNumbers } from "@/lib/validation/form";

export const metadata = { title: "Add ISP" };

export default async function NewIspPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  return (
    <>
      <PageHeader title="Add ISP" description="The new ISP NATs to its own link address until you add other NAT addresses." />
      <Card>
        <EntityForm action={saveIspAction} fields={ispFields} initial={{ ...ispValues(), ...nextFreeIspNumbers(await loadConfig()) }} submitLabel="Add ISP" cancelHref="/isps" />
      </Card>
    </>
  );
}
