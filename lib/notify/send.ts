// One message to one channel, by its type. Throws an Error whose message is what the channel's
// page shows ("SMTP login refused: 535 ...", "cannot reach 127.0.0.1:9: ECONNREFUSED").
import type { ChannelSettings } from "@/lib/validation/notify";
import { sendEmail } from "./email";
import { sendNtfy } from "./ntfy";
import type { Outgoing } from "./send-types";
import { sendWebhook } from "./webhook";

export async function sendMessage(channel: { settings: string; secret: string | null }, m: Outgoing): Promise<void> {
  const s = JSON.parse(channel.settings) as ChannelSettings;
  if (s.type === "webhook") return sendWebhook(s.url, channel.secret, m);
  if (s.type === "ntfy") return sendNtfy(s.server, s.topic, s.priority, channel.secret, m);
  return sendEmail(s, channel.secret, m);
}
