import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { channelFields, channelSections, channelValues } from "@/components/notify/fields";
import { requireUserPage } from "@/lib/auth/guard";
import { saveChannelAction } from "../actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Add notification channel" };

export default async function NewChannelPage() {
  await requireUserPage();
  return (
    <>
      <PageHeader title="Add notification channel" description="Once saved, send a test message from the channel's page." />
      <Card>
        <EntityForm
          action={saveChannelAction.bind(null, null)}
          fields={channelFields()}
          sections={channelSections(false)}
          initial={channelValues()}
          submitLabel="Add channel"
          cancelHref="/settings/notifications"
        />
      </Card>
    </>
  );
}
