import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { channelFields, channelSections, channelValues } from "@/components/notify/fields";
import { TestButton } from "@/components/notify/channel-buttons";
import { DeleteButton } from "@/components/ui/delete-button";
import { DeliveryResult, DeliveryTable } from "@/components/notify/deliveries";
import { getChannel, recentDeliveries } from "@/lib/notify/channels";
import { requireUserPage } from "@/lib/auth/guard";
import { deleteChannelAction, saveChannelAction, testChannelAction } from "../actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Notification channel" };

export default async function ChannelPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUserPage(); // before any data is read
  const name = decodeURIComponent((await params).name);
  const saved = (await searchParams).saved === "1";
  const channel = await getChannel(name);
  if (!channel) notFound();
  const deliveries = await recentDeliveries({ channel: channel.name, take: 10 });
  return (
    <>
      <PageHeader
        title={`Channel ${channel.name}`}
        description={`${{ webhook: "A webhook", ntfy: "An ntfy", email: "An e-mail" }[channel.type]} channel, ${channel.enabled ? "enabled" : "disabled"}. Changes take effect at once.`}
      />
      {saved && (
        <p
          role="status"
          className="mb-4 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
        >
          Channel saved. Send a test message to check it.
        </p>
      )}
      <Card className="mb-6">
        <h2 className="mb-2 text-lg font-semibold">Test and last delivery</h2>
        <p className="mb-3 text-sm">
          Last delivery: {channel.lastDelivery ? <DeliveryResult d={channel.lastDelivery} /> : <span className="text-slate-500">never</span>}
        </p>
        <TestButton action={testChannelAction.bind(null, channel.name)} />
      </Card>
      <Card>
        <EntityForm
          key={JSON.stringify(channel)}
          action={saveChannelAction.bind(null, channel.name)}
          fields={channelFields()}
          sections={channelSections(channel.secretSet)}
          initial={channelValues(channel)}
          submitLabel="Save channel"
          cancelHref="/settings/notifications"
        />
      </Card>
      <section aria-labelledby="deliveries" className="mt-8">
        <h2 id="deliveries" className="mb-3 text-lg font-semibold">
          Recent deliveries
        </h2>
        <DeliveryTable deliveries={deliveries} showChannel={false} />
      </section>
      <div className="mt-6">
        <DeleteButton
          label={channel.name}
          what="channel"
          consequence="Its queued messages are dropped and it is told nothing more."
          note="This takes effect now (channels are not staged)."
          action={deleteChannelAction.bind(null, channel.name)}
        />
      </div>
    </>
  );
}
