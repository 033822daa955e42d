// Running `switchyard notify ...` (parsed by notify-args.ts): the same data layer and schema as
// Settings -> Notifications. bin/cli.ts passes its output helpers; an error is thrown as
// { message, exitCode } for it to print.
import { issueLines } from "@/lib/validation/issues";
import type { NotifyCommand } from "@/lib/cli/notify-args";
import type { ChannelView, DeliveryView } from "@/lib/notify/channels";
import { DEFAULT_EVENTS } from "@/lib/notify/kinds";

export interface CliIo {
  json: boolean;
  out: (text?: string) => void;
  emit: (value: unknown) => void;
  table: (rows: string[][]) => string;
  readStdin: () => Promise<string>;
  actor: { username: string };
}

export class NotifyCliError extends Error {
  constructor(
    message: string,
    public exitCode = 2,
    public details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const when = (d: Date | null) =>
  d
    ? d
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z")
    : "-";
const target = (c: ChannelView) => {
  const s = c.settings;
  return s.type === "webhook" ? s.url : s.type === "ntfy" ? `${s.server}/${s.topic}` : `${s.to.join(", ")} via ${s.host}:${s.port} (${s.security})`;
};
const lastWords = (d: DeliveryView | null) => (!d ? "never" : `${d.status} ${when(d.lastAt)}${d.error ? `: ${d.error}` : ""}`);
/** What --json shows of a channel: never the secret, only whether one is set. */
const jsonOf = (c: ChannelView) => ({
  name: c.name,
  ...c.settings,
  enabled: c.enabled,
  events: c.events,
  secretSet: c.secretSet,
  lastDelivery: c.lastDelivery,
});

export async function runNotify(cmd: NotifyCommand, io: CliIo): Promise<number> {
  const ch = await import("@/lib/notify/channels");
  if (cmd.action === "list") {
    const all = await ch.listChannels();
    if (io.json) return (io.emit({ channels: all.map(jsonOf) }), 0);
    if (!all.length) return (io.out("No notification channels. Add one: switchyard notify add NAME --type webhook --url URL --events isp-down,isp-up"), 0);
    io.out(
      io.table([
        ["CHANNEL", "TYPE", "ON", "TO", "EVENTS", "LAST DELIVERY"],
        ...all.map((c) => [c.name, c.type, c.enabled ? "yes" : "no", target(c), c.events.join(","), lastWords(c.lastDelivery)]),
      ]),
    );
    return 0;
  }
  if (cmd.action === "deliveries") {
    const list = await ch.recentDeliveries({ channel: cmd.channel, take: 50 });
    if (io.json) return (io.emit({ deliveries: list }), 0);
    if (!list.length) return (io.out("No deliveries yet."), 0);
    io.out(
      io.table([
        ["ID", "CHANNEL", "QUEUED", "STATUS", "TRIES", "TITLE", "ERROR / NEXT TRY"],
        ...list.map((d) => [
          String(d.id),
          d.channel,
          when(d.createdAt),
          d.status,
          String(d.attempts),
          d.title,
          d.error ?? (d.status === "pending" ? `next ${when(d.nextAt)}` : ""),
        ]),
      ]),
    );
    return 0;
  }
  const existing = await ch.getChannel(cmd.channel);
  if (cmd.action === "show") {
    if (!existing) throw new NotifyCliError(`notify show: there is no channel named ${cmd.channel}`, 2);
    if (io.json) return (io.emit(jsonOf(existing)), 0);
    io.out(`${existing.name}: ${existing.type} to ${target(existing)}, ${existing.enabled ? "enabled" : "disabled"}`);
    io.out(`  events: ${existing.events.join(", ")}`);
    io.out(`  ${ch.secretLabel(existing.type).toLowerCase()}: ${existing.secretSet ? "set (never shown)" : "not set"}`);
    io.out(`  last delivery: ${lastWords(existing.lastDelivery)}`);
    return 0;
  }
  if (cmd.action === "remove") {
    if (!(await ch.deleteChannel(cmd.channel, io.actor))) throw new NotifyCliError(`notify remove: there is no channel named ${cmd.channel}`, 2);
    if (io.json) io.emit({ removed: cmd.channel });
    else io.out(`Channel ${cmd.channel} removed.`);
    return 0;
  }
  if (cmd.action === "test") {
    const { sendTest } = await import("@/lib/notify/deliver");
    const r = await sendTest(cmd.channel);
    if (io.json) io.emit(r);
    else io.out(r.ok ? `Test message sent through ${cmd.channel}.` : `Test through ${cmd.channel} failed: ${r.error}`);
    return r.ok ? 0 : 1;
  }
  if (!("fields" in cmd)) throw new Error(`notify ${cmd.action}: not handled`);
  return save(cmd, existing, io);
}

async function save(cmd: Extract<NotifyCommand, { fields: unknown }>, existing: ChannelView | null, io: CliIo): Promise<number> {
  const ch = await import("@/lib/notify/channels");
  if (cmd.action === "add" && existing) throw new NotifyCliError(`notify add: there is already a channel named ${cmd.channel}`, 2);
  if (cmd.action === "set" && !existing) throw new NotifyCliError(`notify set: there is no channel named ${cmd.channel}`, 2);
  const { channelSchema } = await import("@/lib/validation/notify");
  const secret = cmd.secret === "stdin" ? (await io.readStdin()).replace(/\r?\n$/, "") : undefined;
  if (cmd.secret === "stdin" && !secret) throw new NotifyCliError("--secret-stdin: standard input was empty (use --clear-secret to remove the secret)", 2);
  const input = {
    ...(existing ? ch.inputOf(existing) : { name: cmd.channel, events: DEFAULT_EVENTS.join(",") }),
    ...cmd.fields,
    ...(secret ? { secret } : {}),
  };
  const parsed = channelSchema.safeParse(input);
  if (!parsed.success) {
    const issues = issueLines(parsed.error.issues, { label: (path) => flagOf(String(path[0] ?? "")) });
    throw new NotifyCliError(`notify ${cmd.action}: ${issues.join("; ")}`, 2, {
      issues: parsed.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
    });
  }
  const r = await ch.saveChannel(existing ? existing.name : null, parsed.data, io.actor);
  if (!r.ok)
    throw new NotifyCliError(
      `notify ${cmd.action}: ${Object.entries(r.errors)
        .map(([k, v]) => (k === "_form" ? v.join("; ") : `${flagOf(k)}: ${v.join("; ")}`))
        .join("; ")}`,
      2,
      { errors: r.errors },
    );
  if (cmd.secret === "clear") await ch.clearSecret(r.channel.name, io.actor);
  const saved = (await ch.getChannel(r.channel.name))!;
  if (io.json) io.emit(jsonOf(saved));
  else
    io.out(
      `Channel ${saved.name} ${cmd.action === "add" ? "added" : "changed"}: ${saved.type} to ${target(saved)}; ${saved.secretSet ? "secret set" : "no secret"}. Try it: switchyard notify test ${saved.name}`,
    );
  return 0;
}

const FLAG_OF: Record<string, string> = { host: "--smtp-host", name: "--rename", secret: "--secret-stdin" };
const flagOf = (field: string) => (field === "_form" || !field ? "channel" : (FLAG_OF[field] ?? `--${field}`));
