// `switchyard notify list | show NAME | add NAME --type T ... | set NAME ... | remove NAME |
// test NAME | deliveries [NAME]`: argv -> a typed command. Pure. Values are checked by the one
// channel schema (lib/validation/notify.ts) when the command runs, merged with the stored
// channel for `set`. A secret is never an argument (it would sit in the shell history and in
// `ps`): --secret-stdin reads it from standard input, --clear-secret removes it.

export const NOTIFY_FLAGS = {
  type: "type",
  events: "events",
  url: "url",
  server: "server",
  topic: "topic",
  priority: "priority",
  "smtp-host": "host",
  port: "port",
  security: "security",
  user: "user",
  from: "from",
  to: "to",
  rename: "name",
} as const;

export type NotifyFlag = keyof typeof NOTIFY_FLAGS;
// (--rename is the lan command's option too: declared once, in args.ts)
export const NOTIFY_OPTIONS = {
  ...(Object.fromEntries(
    Object.keys(NOTIFY_FLAGS)
      .filter((f) => f !== "rename")
      .map((f) => [f, { type: "string" }]),
  ) as { [K in Exclude<NotifyFlag, "rename">]: { type: "string" } }),
  enable: { type: "boolean" },
  disable: { type: "boolean" },
  "secret-stdin": { type: "boolean" },
  "clear-secret": { type: "boolean" },
} as const;
export const NOTIFY_OPTION_NAMES = [...(Object.keys(NOTIFY_OPTIONS) as (keyof typeof NOTIFY_OPTIONS)[]), "rename" as const];

export type NotifyFields = Partial<Record<(typeof NOTIFY_FLAGS)[NotifyFlag], string>> & { enabled?: boolean };

export type NotifyCommand =
  | { name: "notify"; action: "list" }
  | { name: "notify"; action: "deliveries"; channel?: string }
  | { name: "notify"; action: "show" | "remove" | "test"; channel: string }
  | { name: "notify"; action: "add" | "set"; channel: string; fields: NotifyFields; secret: "stdin" | "clear" | "keep" };

export const NOTIFY_USAGE = "notify list | show NAME | add NAME --type webhook|ntfy|email ... | set NAME ... | remove NAME | test NAME | deliveries [NAME]";

/** The words after `notify` and its options; throws an Error with the message for the user. */
export function parseNotifyArgs(words: string[], values: Record<string, string | boolean | undefined>): NotifyCommand {
  const [action = "list", channel, ...more] = words;
  if (more.length) throw new Error(`unexpected argument ${JSON.stringify(more[0])} for notify ${action}`);
  const fieldFlags = Object.keys(NOTIFY_FLAGS).filter((f) => values[f] !== undefined);
  const anyFlag = fieldFlags.length > 0 || ["enable", "disable", "secret-stdin", "clear-secret"].some((f) => values[f] !== undefined);
  const noFlags = () => {
    if (anyFlag) throw new Error(`notify ${action} takes no channel settings`);
  };
  if (action === "list") {
    if (channel !== undefined) throw new Error("notify list takes no name (notify show NAME shows one)");
    noFlags();
    return { name: "notify", action };
  }
  if (action === "deliveries") {
    noFlags();
    return { name: "notify", action, ...(channel !== undefined ? { channel } : {}) };
  }
  if (!["show", "add", "set", "remove", "test"].includes(action)) throw new Error(`unknown notify command ${JSON.stringify(action)} (${NOTIFY_USAGE})`);
  if (channel === undefined) throw new Error(`notify ${action} needs the channel's name: notify ${action} phone`);
  if (action === "show" || action === "remove" || action === "test") {
    noFlags();
    return { name: "notify", action, channel };
  }
  if (values.enable && values.disable) throw new Error("choose one of --enable and --disable");
  if (values["secret-stdin"] && values["clear-secret"]) throw new Error("choose one of --secret-stdin and --clear-secret");
  if (action === "add" && values.type === undefined) throw new Error("notify add needs --type webhook, ntfy or email");
  const fields: NotifyFields = Object.fromEntries(fieldFlags.map((f) => [NOTIFY_FLAGS[f as NotifyFlag], values[f] as string]));
  if (values.enable) fields.enabled = true;
  if (values.disable) fields.enabled = false;
  return {
    name: "notify",
    action: action as "add" | "set",
    channel,
    fields,
    secret: values["secret-stdin"] ? "stdin" : values["clear-secret"] ? "clear" : "keep",
  };
}
