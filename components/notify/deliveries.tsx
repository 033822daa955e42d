// Recent deliveries: when queued, to which channel, the result (why it failed, when it retries).
import { Badge, Table, td } from "@/components/ui/page";
import type { DeliveryView } from "@/lib/notify/channels";

const at = (d: Date | null) =>
  d
    ? d
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, " UTC")
    : "-";

export function DeliveryStatus({ d }: { d: DeliveryView }) {
  if (d.status === "sent") return <Badge tone="green">sent</Badge>;
  if (d.status === "failed") return <Badge tone="red">failed</Badge>;
  return <Badge tone="amber">{d.attempts ? `retrying (${d.attempts} tries)` : "queued"}</Badge>;
}

export function DeliveryResult({ d }: { d: DeliveryView }) {
  return (
    <>
      <DeliveryStatus d={d} /> <span className="text-slate-500">{at(d.lastAt ?? d.createdAt)}</span>
      {d.error && <span className="block text-red-700 dark:text-red-300">{d.error}</span>}
      {d.status === "pending" && d.attempts > 0 && <span className="block text-slate-500">next try {at(d.nextAt)}</span>}
    </>
  );
}

export function DeliveryTable({ deliveries, showChannel = true }: { deliveries: DeliveryView[]; showChannel?: boolean }) {
  if (!deliveries.length) return <p className="text-sm text-slate-600 dark:text-slate-400">No deliveries yet.</p>;
  return (
    <Table head={[...(showChannel ? ["Channel"] : []), "Queued", "Message", "Result"]}>
      {deliveries.map((d) => (
        <tr key={d.id}>
          {showChannel && <td className={td}>{d.channel}</td>}
          <td className={`${td} whitespace-nowrap`}>{at(d.createdAt)}</td>
          <td className={td}>{d.title}</td>
          <td className={td}>
            <DeliveryResult d={d} />
          </td>
        </tr>
      ))}
    </Table>
  );
}
