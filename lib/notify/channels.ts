// Notification channels in the database: add, change, remove, list (for the pages, the CLI and
// the import file). The secret is write-only: nothing here returns it, only whether one is set;
// an input without one keeps the stored secret.
import { db } from "@/lib/db";
import { recordAudit, type Actor } from "@/lib/data/audit";
import { settingsOf, type ChannelInput, type ChannelSettings, type ChannelType } from "@/lib/validation/notify";
import type { FieldErrors } from "@/lib/validation/form";
import type { NotifyKind } from "./kinds";

export interface ChannelView {
  id: number;
  name: string;
  type: ChannelType;
  enabled: boolean;
  events: NotifyKind[];
  settings: ChannelSettings;
  secretSet: boolean;
  lastDelivery: DeliveryView | null;
}

export interface DeliveryView {
  id: number;
  channel: string;
  kind: string;
  title: string;
  status: "pending" | "sent" | "failed";
  attempts: number;
  createdAt: Date;
  lastAt: Date | null;
  nextAt: Date;
  error: string | null;
}

type Row = { id: number; name: string; type: string; enabled: boolean; events: string; settings: string; secret: string | null };
type DeliveryRow = {
  id: number;
  kind: string;
  title: string;
  status: string;
  attempts: number;
  createdAt: Date;
  lastAt: Date | null;
  nextAt: Date;
  error: string | null;
  channel?: { name: string };
};

export const deliveryView = (d: DeliveryRow, channel = d.channel?.name ?? ""): DeliveryView => ({
  id: d.id,
  channel,
  kind: d.kind,
  title: d.title,
  status: d.status as DeliveryView["status"],
  attempts: d.attempts,
  createdAt: d.createdAt,
  lastAt: d.lastAt,
  nextAt: d.nextAt,
  error: d.error,
});

function viewOf(r: Row, last: DeliveryRow | null): ChannelView {
  return {
    id: r.id,
    name: r.name,
    type: r.type as ChannelType,
    enabled: r.enabled,
    events: JSON.parse(r.events) as NotifyKind[],
    settings: JSON.parse(r.settings) as ChannelSettings,
    secretSet: Boolean(r.secret),
    lastDelivery: last ? deliveryView(last, r.name) : null,
  };
}

/** Every channel with its last delivery attempt (a queued one that was never tried is not one). */
export async function listChannels(): Promise<ChannelView[]> {
  const rows = await db.notifyChannel.findMany({ orderBy: { name: "asc" } });
  return Promise.all(
    rows.map(async (r) => viewOf(r, await db.notifyDelivery.findFirst({ where: { channelId: r.id, lastAt: { not: null } }, orderBy: { lastAt: "desc" } }))),
  );
}

export async function getChannel(name: string): Promise<ChannelView | null> {
  return (await listChannels()).find((c) => c.name === name) ?? null;
}

export async function recentDeliveries(opts: { channel?: string; take?: number } = {}): Promise<DeliveryView[]> {
  const rows = await db.notifyDelivery.findMany({
    where: opts.channel ? { channel: { name: opts.channel } } : {},
    orderBy: { id: "desc" },
    take: opts.take ?? 20,
    include: { channel: { select: { name: true } } },
  });
  return rows.map((d) => deliveryView(d));
}

/** What the audit log keeps of a channel: everything but the secret, which it only says is set. */
const audited = (c: ChannelView | null) =>
  c ? { name: c.name, type: c.type, enabled: c.enabled, events: c.events, settings: c.settings, secretSet: c.secretSet } : null;

export type SaveResult = { ok: true; channel: ChannelView } | { ok: false; errors: FieldErrors };

/** original: the channel's name before this edit; null for a new one. */
export async function saveChannel(original: string | null, input: ChannelInput, actor: Actor): Promise<SaveResult> {
  const before = original === null ? null : await getChannel(original);
  if (original !== null && !before) return { ok: false, errors: { _form: [`There is no channel named ${original}`] } };
  if (input.name !== original && (await db.notifyChannel.findUnique({ where: { name: input.name } }))) {
    return { ok: false, errors: { name: [`A channel named ${input.name} already exists`] } };
  }
  // a webhook's HMAC secret is no SMTP password: a new type without a new secret has none
  const secret = input.secret !== undefined ? { secret: input.secret } : before && before.type !== input.type ? { secret: null } : {};
  const data = {
    name: input.name,
    type: input.type,
    enabled: input.enabled,
    events: JSON.stringify(input.events),
    settings: JSON.stringify(settingsOf(input)),
    ...secret,
  };
  await db.$transaction(async (tx) => {
    if (before) await tx.notifyChannel.update({ where: { id: before.id }, data });
    else await tx.notifyChannel.create({ data });
  });
  const after = (await getChannel(input.name))!;
  await recordAudit(db, actor, before ? "notify.update" : "notify.create", `channel ${input.name}`, audited(before), audited(after));
  return { ok: true, channel: after };
}

export async function deleteChannel(name: string, actor: Actor): Promise<boolean> {
  const before = await getChannel(name);
  if (!before) return false;
  await db.notifyChannel.delete({ where: { id: before.id } });
  await recordAudit(db, actor, "notify.delete", `channel ${name}`, audited(before), null);
  return true;
}

export const secretLabel = (type: ChannelType) => (type === "webhook" ? "HMAC secret" : type === "ntfy" ? "Access token" : "SMTP password");

/** A channel as the form, the CLI and the import file give it (no secret: write-only). */
export function inputOf(c: ChannelView): Omit<ChannelInput, "secret"> & Record<string, unknown> {
  const s = c.settings;
  const base = { name: c.name, type: c.type, enabled: c.enabled, events: c.events, priority: 3, security: "starttls" as const, user: "" };
  if (s.type === "webhook") return { ...base, url: s.url };
  if (s.type === "ntfy") return { ...base, server: s.server, topic: s.topic, priority: s.priority };
  return { ...base, host: s.host, port: s.port, security: s.security, user: s.user, from: s.from, to: s.to.join(", ") };
}

export async function clearSecret(name: string, actor: Actor): Promise<void> {
  await db.notifyChannel.update({ where: { name }, data: { secret: null } });
  await recordAudit(db, actor, "notify.update", `channel ${name}`, null, { secretSet: false });
}

/** A channel as the config file holds it: its fields, never its secret, only whether one is set. */
export type ExportedChannel = Record<string, unknown> & { name: string; secretSet?: true };

export async function exportedChannels(): Promise<ExportedChannel[]> {
  return (await listChannels()).map((c) => {
    const { priority: _p, security: _s, user: _u, ...common } = inputOf(c);
    const input = c.type === "ntfy" ? { ...common, priority: c.settings.type === "ntfy" ? c.settings.priority : 3 } : c.type === "email" ? inputOf(c) : common;
    void _p;
    void _s;
    void _u;
    return { ...input, ...(c.secretSet ? { secretSet: true as const } : {}) } as ExportedChannel;
  });
}

type ChannelTx = Pick<typeof db, "notifyChannel">;

/** The import file's channels, in its transaction: exactly these afterwards; no secret given keeps the stored one. */
export async function writeChannels(tx: ChannelTx, channels: ChannelInput[]): Promise<void> {
  await tx.notifyChannel.deleteMany({ where: { name: { notIn: channels.map((c) => c.name) } } });
  for (const c of channels) {
    const was = await tx.notifyChannel.findUnique({ where: { name: c.name }, select: { type: true } });
    const secret = c.secret !== undefined ? { secret: c.secret } : was && was.type !== c.type ? { secret: null } : {};
    const data = { type: c.type, enabled: c.enabled, events: JSON.stringify(c.events), settings: JSON.stringify(settingsOf(c)), ...secret };
    await tx.notifyChannel.upsert({ where: { name: c.name }, create: { name: c.name, ...data }, update: data });
  }
}
