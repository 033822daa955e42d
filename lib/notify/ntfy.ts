// ntfy (https://docs.ntfy.sh/publish/): POST the text to <server>/<topic>, the title, priority
// and tags as headers, an access token as a Bearer token.
import type { Outgoing } from "./send-types";
import { httpFailure, SEND_TIMEOUT_MS } from "./send-types";
import { snippet } from "./webhook";

const TAGS: Partial<Record<Outgoing["kind"], string>> = {
  "isp-down": "rotating_light",
  "isp-degraded": "warning",
  "isp-up": "white_check_mark",
  failover: "twisted_rightwards_arrows",
  failback: "leftwards_arrow_with_hook",
  "apply-failed": "x",
  "apply-rolled-back": "leftwards_arrow_with_hook",
  drift: "mag",
  recovery: "wrench",
  "canary-failed": "bird",
  "usage-cap": "bar_chart",
  test: "wave",
};

/** Headers carry bytes, not text: a non-ASCII title goes RFC 2047-encoded, which ntfy decodes. */
export const headerText = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, "utf8").toString("base64")}?=`);

export function ntfyRequest(server: string, topic: string, priority: number, token: string | null, m: Outgoing) {
  // the message's own urgency wins over the channel's default for an outage
  const p = m.kind === "isp-down" ? Math.max(priority, 4) : priority;
  const headers: Record<string, string> = {
    Title: headerText(m.title),
    Priority: String(p),
    Tags: TAGS[m.kind] ?? "switchyard",
    "content-type": "text/plain; charset=utf-8",
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  return { url: `${server.replace(/\/+$/, "")}/${encodeURIComponent(topic)}`, headers, body: m.body };
}

export async function sendNtfy(server: string, topic: string, priority: number, token: string | null, m: Outgoing): Promise<void> {
  const r = ntfyRequest(server, topic, priority, token, m);
  const res = await fetch(r.url, { method: "POST", headers: r.headers, body: r.body, signal: AbortSignal.timeout(SEND_TIMEOUT_MS), redirect: "error" }).catch(
    (e) => {
      throw httpFailure(r.url, e);
    },
  );
  if (res.status === 401 || res.status === 403) throw new Error(`ntfy refused the access token: HTTP ${res.status}${await snippet(res)}`);
  if (!res.ok) throw new Error(`ntfy answered HTTP ${res.status} ${res.statusText}${await snippet(res)}`);
}
