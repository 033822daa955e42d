import Link from "next/link";
import { Card, PageHeader, Table, td } from "@/components/ui/page";
import { DeliveryResult, DeliveryTable } from "@/components/notify/deliveries";
import { listChannels, recentDeliveries } from "@/lib/notify/channels";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const [channels, deliveries] = await Promise.all([listChannels(), recentDeliveries({ take: 20 })]);
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Be told when an ISP goes down or comes back, when hosts fail over, when an apply fails, drift appears or an interrupted apply is recovered. The monitor delivers them, retrying from a queue that survives restarts. Channels take effect at once (they are not staged)."
        action={{ href: "/settings/notifications/new", label: "Add channel" }}
      />
      {channels.length === 0 ? (
        <Card>
          <p className="text-sm">No channels yet. Add a webhook, an ntfy topic or an e-mail address.</p>
        </Card>
      ) : (
        <Table head={["Channel", "Type", "Events", "Last delivery"]}>
          {channels.map((c) => (
            <tr key={c.id}>
              <td className={td}>
                <Link href={`/settings/notifications/${encodeURIComponent(c.name)}`} className="font-medium underline">
                  {c.name}
                </Link>
                {!c.enabled && <span className="ml-2 text-slate-500">(disabled)</span>}
              </td>
              <td className={td}>{c.type}</td>
              <td className={td}>{c.events.length} of 12</td>
              <td className={td}>{c.lastDelivery ? <DeliveryResult d={c.lastDelivery} /> : <span className="text-slate-500">never</span>}</td>
            </tr>
          ))}
        </Table>
      )}
      <section aria-labelledby="recent" className="mt-8">
        <h2 id="recent" className="mb-3 text-lg font-semibold">
          Recent deliveries
        </h2>
        <DeliveryTable deliveries={deliveries} />
      </section>
    </>
  );
}
