import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { changePasswordAction } from "./actions";

export const metadata = { title: "Account" };

export default function AccountPage() {
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
