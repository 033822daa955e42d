// Notification channels (lib/notify): one schema for the form, the CLI (`switchyard notify`)
// and the import file. A channel is flat on purpose (one form, errors at the field); the
// fields of its type are required by the refinement, the others are ignored.
// The secret (webhook HMAC secret, ntfy access token, SMTP password) is write-only: undefined
// or empty keeps the stored one; it is never read back out.
import { z } from "./zod";
import { wholeNumber } from "./fields";
import { NOTIFY_KINDS, type NotifyKind } from "@/lib/notify/kinds";

export const CHANNEL_TYPES = ["webhook", "ntfy", "email"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export const SMTP_SECURITY = ["starttls", "tls", "none"] as const;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL = /^[^\x00-\x1f\x7f]*$/;

export const channelName = z
  .string({ error: "Enter a name" })
  .trim()
  .min(1, "Enter a name")
  .max(40, "At most 40 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "Letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit");

const httpUrl = (label: string) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .max(500, "At most 500 characters")
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === "http:" || u.protocol === "https:") && !/\s/.test(v);
      } catch {
        return false;
      }
    }, `The ${label} must be an http:// or https:// address`);

const optionalText = (max: number, pattern: RegExp, message: string) =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string().max(max, `At most ${max} characters`).regex(pattern, message).optional().default(""));

const events = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v),
  z
    .array(z.enum(NOTIFY_KINDS as unknown as [NotifyKind, ...NotifyKind[]], { error: `Events: one of ${NOTIFY_KINDS.join(", ")}` }))
    .min(1, "Choose at least one event")
    .transform((a) => NOTIFY_KINDS.filter((k) => a.includes(k))),
);

const email = z
  .string()
  .trim()
  .regex(/^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/, "Enter an e-mail address (name@example.org)");

export const channelSchema = z
  .object({
    name: channelName,
    type: z.enum(CHANNEL_TYPES, { error: "Choose webhook, ntfy or email" }),
    enabled: z.boolean({ error: "Enabled must be true or false" }).default(true),
    events,
    // webhook
    url: z.string().optional(),
    // ntfy
    server: z.string().optional(),
    topic: z.string().optional(),
    priority: z.preprocess((v) => (v === "" || v === undefined ? 3 : v), wholeNumber("Priority", 1, 5, " (1 min, 3 default, 5 max)")),
    // email
    host: z.string().optional(),
    port: z.preprocess((v) => (v === "" || v === undefined ? undefined : v), wholeNumber("Port", 1, 65535).optional()),
    security: z.enum(SMTP_SECURITY, { error: "Choose STARTTLS, TLS or none" }).default("starttls"),
    user: optionalText(200, NO_CONTROL, "No control characters"),
    from: z.string().optional(),
    to: z.string().optional(),
    /** write-only: undefined or "" keeps the stored secret */
    secret: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.string().max(500, "At most 500 characters").regex(NO_CONTROL, "No line breaks or control characters").optional(),
    ),
  })
  .superRefine((c, ctx) => {
    const need = (path: string, r: z.ZodSafeParseResult<unknown>) => {
      if (!r.success) ctx.addIssue({ code: "custom", path: [path], message: r.error.issues[0]?.message ?? "Not valid" });
    };
    if (c.type === "webhook") need("url", httpUrl("webhook URL").safeParse(c.url ?? ""));
    if (c.type === "ntfy") {
      need("server", httpUrl("ntfy server").safeParse(c.server ?? ""));
      need(
        "topic",
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9_-]{1,64}$/, "A topic: letters, digits, - and _ (at most 64)")
          .safeParse(c.topic ?? ""),
      );
    }
    if (c.type === "email") {
      need(
        "host",
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9.-]{1,253}$|^\[?[0-9a-fA-F:.]+\]?$/, "Enter the SMTP server's name or address")
          .safeParse(c.host ?? ""),
      );
      need("from", email.safeParse(c.from ?? ""));
      const to = (c.to ?? "").split(/[\s,]+/).filter(Boolean);
      if (!to.length) ctx.addIssue({ code: "custom", path: ["to"], message: "Enter at least one recipient" });
      else for (const t of to) need("to", email.safeParse(t));
    }
  });

export type ChannelInput = z.output<typeof channelSchema>;

/** A channel's plain settings as stored (no secret), per type. */
export type ChannelSettings =
  | { type: "webhook"; url: string }
  | { type: "ntfy"; server: string; topic: string; priority: number }
  | { type: "email"; host: string; port: number; security: (typeof SMTP_SECURITY)[number]; user: string; from: string; to: string[] };

export function settingsOf(c: ChannelInput): ChannelSettings {
  if (c.type === "webhook") return { type: "webhook", url: (c.url ?? "").trim() };
  if (c.type === "ntfy") return { type: "ntfy", server: (c.server ?? "").trim().replace(/\/+$/, ""), topic: (c.topic ?? "").trim(), priority: c.priority };
  return {
    type: "email",
    host: (c.host ?? "").trim(),
    port: c.port ?? (c.security === "tls" ? 465 : 587),
    security: c.security,
    user: c.user,
    from: (c.from ?? "").trim(),
    to: (c.to ?? "").split(/[\s,]+/).filter(Boolean),
  };
}
