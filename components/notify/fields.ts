import type { FieldSpec } from "@/components/ui/field";
import type { FormSection } from "@/components/ui/entity-form";
import { DEFAULT_EVENTS, KIND_LABELS, NOTIFY_KINDS } from "@/lib/notify/kinds";
import type { ChannelView } from "@/lib/notify/channels";

/** The events' checkboxes are named ev-<kind>; the schema's "events" errors land on the first. */
export const eventField = (kind: string) => `ev-${kind}`;

export function channelFields(): FieldSpec[] {
  return [
    { name: "name", label: "Name", placeholder: "office phone", help: "How this channel is called in the list and in messages" },
    {
      name: "type",
      label: "Type",
      type: "select",
      options: [
        { value: "webhook", label: "Webhook (JSON, HMAC-signed)" },
        { value: "ntfy", label: "ntfy (push to a phone)" },
        { value: "email", label: "E-mail (SMTP)" },
      ],
      help: "Fill in the section of this type below; the other sections are ignored",
    },
    { name: "enabled", label: "Enabled", type: "checkbox" },
  ];
}

export function channelSections(secretSet: boolean): FormSection[] {
  const keep = secretSet ? "A secret is stored (never shown again): leave empty to keep it, type a new one to replace it." : "None stored yet.";
  return [
    {
      legend: "Events",
      description: 'What this channel is told about. An outage is one "down" and one "up again after ..." message, however the state wandered in between.',
      fields: NOTIFY_KINDS.map((k) => ({ name: eventField(k), label: KIND_LABELS[k], type: "checkbox" as const })),
    },
    {
      legend: "Webhook",
      description:
        "POSTs JSON ({kind, title, text, at, event}); with a secret, the header X-Switchyard-Signature: sha256=<HMAC-SHA256 of the body> lets the receiver check it came from here.",
      fields: [{ name: "url", label: "URL", placeholder: "https://hooks.example.org/switchyard" }],
    },
    {
      legend: "ntfy",
      description: "Publishes to a topic of an ntfy server (ntfy.sh or your own): the ntfy app on a phone shows it as a push notification.",
      fields: [
        { name: "server", label: "Server", placeholder: "https://ntfy.sh" },
        { name: "topic", label: "Topic", placeholder: "office-gateway-7f3a" },
        {
          name: "priority",
          label: "Priority",
          type: "select",
          options: ["1", "2", "3", "4", "5"].map((p) => ({
            value: p,
            label: { "1": "1 (min)", "2": "2 (low)", "3": "3 (default)", "4": "4 (high)", "5": "5 (max)" }[p]!,
          })),
          help: "An ISP going down is sent at least at 4 (high)",
        },
      ],
    },
    {
      legend: "E-mail (SMTP)",
      description: "Sent through your mail server (nodemailer). STARTTLS is required when chosen, not just tried.",
      fields: [
        { name: "host", label: "SMTP server", placeholder: "smtp.example.org" },
        { name: "port", label: "Port", inputMode: "numeric", placeholder: "587", help: "Empty: 587 for STARTTLS, 465 for TLS" },
        {
          name: "security",
          label: "Security",
          type: "select",
          options: [
            { value: "starttls", label: "STARTTLS (587)" },
            { value: "tls", label: "TLS from the start (465)" },
            { value: "none", label: "None (a relay on the LAN)" },
          ],
        },
        { name: "user", label: "User name", placeholder: "gateway@example.org", help: "Empty: no login" },
        { name: "from", label: "From", placeholder: "gateway@example.org" },
        { name: "to", label: "To", placeholder: "admin@example.org", help: "Separate several with commas" },
      ],
    },
    {
      legend: "Secret",
      description: `The webhook's HMAC secret, the ntfy access token or the SMTP password. Write-only: no page or export shows it again. ${keep}`,
      fields: [{ name: "secret", label: secretSet ? "New secret (empty: keep)" : "Secret", type: "password" }],
    },
  ];
}

export function channelValues(c?: ChannelView): Record<string, string> {
  const events = new Set<string>(c ? c.events : DEFAULT_EVENTS);
  const s = c?.settings;
  return {
    name: c?.name ?? "",
    type: c?.type ?? "webhook",
    enabled: c ? String(c.enabled) : "true",
    ...Object.fromEntries(NOTIFY_KINDS.map((k) => [eventField(k), events.has(k) ? "on" : ""])),
    url: s?.type === "webhook" ? s.url : "",
    server: s?.type === "ntfy" ? s.server : "https://ntfy.sh",
    topic: s?.type === "ntfy" ? s.topic : "",
    priority: s?.type === "ntfy" ? String(s.priority) : "3",
    host: s?.type === "email" ? s.host : "",
    port: s?.type === "email" ? String(s.port) : "",
    security: s?.type === "email" ? s.security : "starttls",
    user: s?.type === "email" ? s.user : "",
    from: s?.type === "email" ? s.from : "",
    to: s?.type === "email" ? s.to.join(", ") : "",
    secret: "",
  };
}
