// A generic webhook: the message as JSON, POSTed, signed with HMAC-SHA256 of the exact body
// under the secret the user set (X-Switchyard-Signature: sha256=<hex>, as GitHub signs its
// webhooks), so the receiver can tell it came from this gateway.
import { createHmac } from "node:crypto";
import type { Outgoing } from "./send-types";
import { httpFailure, SEND_TIMEOUT_MS } from "./send-types";

export const SIGNATURE_HEADER = "X-Switchyard-Signature";

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** The JSON a webhook receives. */
export function webhookBody(m: Outgoing): string {
  return JSON.stringify({
    source: "switchyard",
    kind: m.kind,
    title: m.title,
    text: m.body,
    at: new Date(m.at).toISOString(),
    channel: m.channel,
    event: m.event,
  });
}

export async function sendWebhook(url: string, secret: string | null, m: Outgoing): Promise<void> {
  const body = webhookBody(m);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "switchyard", "x-switchyard-event": m.kind };
  if (secret) headers[SIGNATURE_HEADER] = signBody(secret, body);
  const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(SEND_TIMEOUT_MS), redirect: "error" }).catch((e) => {
    throw httpFailure(url, e);
  });
  if (!res.ok) throw new Error(`the webhook answered HTTP ${res.status} ${res.statusText}${await snippet(res)}`);
}

export async function snippet(res: Response): Promise<string> {
  const t = (await res.text().catch(() => "")).trim().slice(0, 200);
  return t ? `: ${t}` : "";
}
