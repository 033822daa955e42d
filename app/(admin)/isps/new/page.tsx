import { Card, PageHeader } from "@/components/ui/page";
import { IspForm } from "@/components/isps/isp-form";
import { ispValues } from "@/components/isps/fields";
import { healthValues } from "@/components/isps/health-fields";
import { capValues } from "@/components/isps/cap-fields";
import { defaultFields, managesLab } from "@/lib/data/health-settings";
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
        <IspForm
          action={saveIspAction}
          initial={{ ...ispValues(), ...nextFreeIspNumbers(await loadConfig()), ...healthValues(defaultFields("", managesLab())), ...capValues(null) }}
          submitLabel="Add ISP"
          cancelHref="/isps"
        />
      </Card>
    </>
  );
}
