import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { changePasswordAction } from "./actions";
import { requireUserPage } from "@/lib/auth/guard";

export const metadata = { title: "Account" };

export default async function AccountPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  return (
    <>
      <PageHeader title="Account" description="Changing the password logs out every other session." />
      <Card className="max-w-xl">
        <EntityForm
          action={changePasswordAction}
          fields={[
            { name: "current", label: "Current password", type: "password" },
            { name: "password", label: "New password", type: "password", help: "At least 10 characters" },
            { name: "confirm", label: "Repeat the new password", type: "password" },
          ]}
          initial={{}}
          submitLabel="Change password"
        />
      </Card>
    </>
  );
}
