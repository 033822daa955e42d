// The `switchyard` command line: argv -> a typed command, or one clear message. Pure (no I/O,
// no environment): bin/cli.ts runs what this returns, tests/unit/cli-args.test.ts checks it.
// Beside it: usage.ts (the help text), issues.ts (validation issues as printed),
// json-error.ts (where an imported file stops being JSON); output helpers live in context.ts,
// each command's code in commands/.
import { parseArgs } from "node:util";
import type { z } from "zod";
import { filePath, labPrefix, listLimit, netnsName, revisionNumber } from "@/lib/validation/cli";
import { HEALTH_FLAGS, HEALTH_OPTIONS, parseHealthArgs, type HealthCommand, type HealthFlag } from "./health-args";
import { parseFaultArgs, type FaultCommand } from "./lab-fault-args";
import { CAP_OPTIONS, parseCapArgs, type CapCommand, type CapFlag } from "./cap-args";
import { installRoot, waitLinksSeconds } from "@/lib/validation/install";
import { NOTIFY_OPTION_NAMES, NOTIFY_OPTIONS, parseNotifyArgs, type NotifyCommand } from "./notify-args";
import type { CanaryChange } from "@/lib/engine/canary";
import { metricsTokenName } from "@/lib/validation/metrics";
import { backupEvery, backupKeep, type BackupScheduleInput } from "@/lib/validation/backup";

export interface TargetOptions {
  netns?: string;
  host?: boolean;
  lab?: string;
}

export type Command =
  | { name: "help" }
  | { name: "config-export"; file?: string }
  | { name: "config-import"; file: string }
  | { name: "metrics-token"; action: "list" }
  | { name: "backup"; action: "list" | "now" }
  | { name: "backup"; action: "schedule"; every: BackupScheduleInput["every"]; keep?: number }
  | { name: "metrics-token"; action: "create" | "revoke"; tokenName: string }
  | { name: "plan" }
  | { name: "apply"; rollback: boolean; revision?: number; lastGood: boolean; waitLinksS?: number }
  | { name: "verify" }
  | { name: "canary"; change?: CanaryChange }
  | { name: "ra"; change?: "on" | "off" }
  | { name: "lan"; action: "list" }
  | { name: "lan"; action: "add" | "set"; lan: string; fields: LanFlags }
  | { name: "lan"; action: "remove"; lan: string }
  | { name: "isp"; action: "set"; isp: string; ipv6: Ipv6Flags }
  | { name: "host"; action: "set"; host: string; mac: string }
  | { name: "status" }
  | { name: "lab"; action: "up" | "down" | "status"; prefix?: string }
  | { name: "revisions"; limit: number }
  | { name: "monitor" }
  | FaultCommand
  | HealthCommand
  | NotifyCommand
  | CapCommand
  | { name: "adopt"; stage: boolean; takeOver: boolean }
  | { name: "install"; root: string; start: boolean }
  | { name: "uninstall"; root: string; start: boolean; purge: boolean };

/** What `lan add|set` was given (validated with the whole configuration by the command). */
export interface LanFlags {
  interface?: string;
  subnets?: string;
  /** the ISP or policy its unlisted hosts use; "" = the gateway's default */
  isp?: string;
  policy?: string;
  name?: string;
  /** the LAN's IPv6 /64s, comma-separated; "" = none */
  subnets6?: string;
}

/** What `isp set` was given for the ISP's IPv6 (docs/ipv6.md); prefix "" = IPv6 off. */
export interface Ipv6Flags {
  /** static: prefix and gateway typed in; pd: learned by DHCPv6-PD (docs/dynamic.md) */
  mode?: "static" | "pd";
  prefix?: string;
  gateway?: string;
  translate?: boolean;
  /** for an ISP without IPv6: its hosts' IPv6 follows their address, or is refused (IspConfig.ipv6Hosts) */
  hosts?: "follow" | "unreachable";
}

/** "none" (or "") turns a list or a prefix off: an empty argument is easy to lose in a script. */
const noneToEmpty = (v: string) => (v === "none" ? "" : v);

export type ParseResult = { ok: true; command: Command; json: boolean; target: TargetOptions } | { ok: false; error: string; json: boolean };

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  netns: { type: "string" },
  host: { type: "boolean" },
  lab: { type: "string" },
  file: { type: "string" },
  "no-rollback": { type: "boolean" },
  revision: { type: "string" },
  "last-good": { type: "boolean" },
  prefix: { type: "string" },
  limit: { type: "string" },
  "wait-links": { type: "string" },
  root: { type: "string" },
  "no-start": { type: "boolean" },
  interface: { type: "string" },
  subnets: { type: "string" },
  subnets6: { type: "string" },
  "ipv6-mode": { type: "string" },
  "ipv6-prefix": { type: "string" },
  "ipv6-gateway": { type: "string" },
  "ipv6-translate": { type: "string" },
  "ipv6-hosts": { type: "string" },
  mac: { type: "string" },
  isp: { type: "string" },
  policy: { type: "string" },
  "gateway-default": { type: "boolean" },
  rename: { type: "string" },
  purge: { type: "boolean" },
  stage: { type: "boolean" },
  "take-over": { type: "boolean" },
  keep: { type: "string" },
  ...HEALTH_OPTIONS,
  ...NOTIFY_OPTIONS,
  ...CAP_OPTIONS,
} as const;
type OptionName = keyof typeof OPTIONS;

const GLOBAL: OptionName[] = ["json", "help", "netns", "host", "lab"];
/** Options each command takes besides the global ones. */
const COMMAND_OPTIONS: Record<string, OptionName[]> = {
  config: ["file"],
  plan: [],
  apply: ["no-rollback", "revision", "last-good", "wait-links"],
  reapply: ["no-rollback"],
  verify: [],
  canary: [],
  ra: [],
  lan: ["interface", "subnets", "subnets6", "isp", "policy", "gateway-default", "rename"],
  isp: ["ipv6-mode", "ipv6-prefix", "ipv6-gateway", "ipv6-translate", "ipv6-hosts"],
  host: ["mac"],
  status: [],
  lab: ["prefix"],
  revisions: ["limit"],
  monitor: [],
  health: Object.keys(HEALTH_FLAGS) as HealthFlag[],
  notify: NOTIFY_OPTION_NAMES,
  cap: Object.keys(CAP_OPTIONS) as CapFlag[],
  adopt: ["stage", "take-over"],
  "metrics-token": [],
  backup: ["keep"],
  help: [],
  install: ["root", "no-start"],
  uninstall: ["root", "no-start", "purge"],
};

class UsageError extends Error {}

function check<T extends z.ZodType>(schema: T, value: string, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new UsageError(`${what}: ${JSON.stringify(value)} ${r.error.issues[0]?.message ?? "is not valid"}`);
}

export function parseCli(argv: readonly string[]): ParseResult {
  // --json is honoured even when the rest is wrong, so the error comes back as JSON too
  const json = argv.includes("--json");
  try {
    return { ok: true, ...parse(argv) };
  } catch (e) {
    if (e instanceof UsageError) return { ok: false, json, error: e.message };
    throw e;
  }
}

function parse(argv: readonly string[]): { command: Command; json: boolean; target: TargetOptions } {
  // strict: false, so that unknown options and missing values get our messages, not node's
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const values: Partial<Record<OptionName, string | boolean>> = {};
  const given: OptionName[] = [];
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === "positional") positionals.push(t.value);
    if (t.kind !== "option") continue;
    if (!Object.hasOwn(OPTIONS, t.name)) throw new UsageError(`unknown option ${t.rawName}`);
    const name = t.name as OptionName;
    if (OPTIONS[name].type === "boolean") {
      if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value`);
      values[name] = true;
    } else {
      if (t.value === undefined || (t.value.startsWith("-") && t.value !== "-" && !t.inlineValue && /^--?[A-Za-z]/.test(t.value))) {
        throw new UsageError(`${t.rawName} needs a value`);
      }
      values[name] = t.value;
    }
    given.push(name);
  }
  const json = values.json === true;

  const [word, ...rest] = positionals;
  if (word === undefined || word === "help" || values.help) return { command: { name: "help" }, json, target: {} };
  if (!Object.hasOwn(COMMAND_OPTIONS, word)) throw new UsageError(`unknown command ${JSON.stringify(word)}`);
  for (const o of given) {
    if (!GLOBAL.includes(o) && !COMMAND_OPTIONS[word].includes(o)) throw new UsageError(`option --${o} does not apply to ${word}`);
  }

  const chosen = (["netns", "host", "lab"] as const).filter((o) => values[o] !== undefined);
  if (chosen.length > 1) throw new UsageError(`choose one target: ${chosen.map((o) => `--${o}`).join(" and ")} were both given`);
  const target: TargetOptions = {};
  if (values.netns !== undefined) target.netns = check(netnsName, values.netns as string, "--netns");
  if (values.host) target.host = true;
  if (values.lab !== undefined) target.lab = check(labPrefix, values.lab as string, "--lab");

  const noMore = (args: string[], n: number) => {
    if (args.length > n) throw new UsageError(`unexpected argument ${JSON.stringify(args[n])} for ${word}`);
  };
  const command = ((): Command => {
    switch (word) {
      case "config": {
        const [sub, ...more] = rest;
        if (sub === "export") {
          noMore(more, 0);
          return { name: "config-export", file: values.file === undefined ? undefined : check(filePath, values.file as string, "--file") };
        }
        if (sub === "import") {
          if (values.file !== undefined) throw new UsageError("config import takes the file as an argument: config import FILE (or - for stdin)");
          if (more.length === 0) throw new UsageError("config import needs a file: config import FILE (or - for stdin)");
          noMore(more, 1);
          return { name: "config-import", file: check(filePath, more[0], "config import") };
        }
        throw new UsageError(sub === undefined ? "config needs export or import" : `unknown config command ${JSON.stringify(sub)} (export or import)`);
      }
      case "backup": {
        const [action = "list", ...more] = rest;
        if (action === "list" || action === "now") {
          noMore(more, 0);
          if (values.keep !== undefined) throw new UsageError("--keep goes with backup schedule");
          return { name: "backup", action };
        }
        if (action !== "schedule")
          throw new UsageError(`unknown backup command ${JSON.stringify(action)} (list, now, or schedule off|daily|weekly [--keep N])`);
        if (more.length === 0) throw new UsageError("backup schedule needs off, daily or weekly");
        noMore(more, 1);
        const keep = values.keep === undefined ? undefined : check(backupKeep, values.keep as string, "--keep");
        return { name: "backup", action, every: check(backupEvery, more[0], "backup schedule"), ...(keep === undefined ? {} : { keep }) };
      }
      case "metrics-token": {
        const [action = "list", ...more] = rest;
        if (action === "list") {
          noMore(more, 0);
          return { name: "metrics-token", action };
        }
        if (action !== "create" && action !== "revoke")
          throw new UsageError(`unknown metrics-token command ${JSON.stringify(action)} (list, create NAME or revoke NAME)`);
        if (more.length === 0) throw new UsageError(`metrics-token ${action} needs a name: metrics-token ${action} NAME`);
        noMore(more, 1);
        return { name: "metrics-token", action, tokenName: check(metricsTokenName, more[0], `metrics-token ${action}`) };
      }
      case "apply": {
        noMore(rest, 0);
        const lastGood = values["last-good"] === true;
        const revision = values.revision === undefined ? undefined : check(revisionNumber, values.revision as string, "--revision");
        if (lastGood && revision !== undefined) throw new UsageError("--revision and --last-good exclude each other");
        const waitLinksS = values["wait-links"] === undefined ? undefined : check(waitLinksSeconds, values["wait-links"] as string, "--wait-links");
        return { name: "apply", rollback: values["no-rollback"] !== true, revision, lastGood, ...(waitLinksS === undefined ? {} : { waitLinksS }) };
      }
      case "reapply": {
        if (rest.length === 0) throw new UsageError("reapply needs a revision number: reapply N");
        noMore(rest, 1);
        return { name: "apply", rollback: values["no-rollback"] !== true, revision: check(revisionNumber, rest[0], "reapply"), lastGood: false };
      }
      case "lab": {
        const [action, ...more] = rest;
        if (action === "fault") {
          const prefix = values.prefix === undefined ? undefined : check(labPrefix, values.prefix as string, "--prefix");
          try {
            return { name: "lab-fault", ...parseFaultArgs(more), prefix };
          } catch (e) {
            throw new UsageError((e as Error).message);
          }
        }
        if (action !== "up" && action !== "down" && action !== "status") {
          throw new UsageError(action === undefined ? "lab needs up, down or status" : `unknown lab command ${JSON.stringify(action)} (up, down or status)`);
        }
        noMore(more, 0);
        return { name: "lab", action, prefix: values.prefix === undefined ? undefined : check(labPrefix, values.prefix as string, "--prefix") };
      }
      case "health": {
        const flags = Object.fromEntries(given.filter((o): o is HealthFlag => Object.hasOwn(HEALTH_FLAGS, o)).map((o) => [o, values[o] as string]));
        try {
          return parseHealthArgs(rest, flags);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
      }
      case "notify":
        try {
          return parseNotifyArgs(rest, values);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
      case "cap": {
        const flags = Object.fromEntries(given.filter((o): o is CapFlag => Object.hasOwn(CAP_OPTIONS, o)).map((o) => [o, values[o] as string | boolean]));
        try {
          return parseCapArgs(rest, flags);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
      }
      case "adopt": {
        noMore(rest, 0);
        if (values["take-over"] && !values.stage) throw new UsageError("--take-over goes with --stage: adopt --stage --take-over");
        return { name: "adopt", stage: values.stage === true, takeOver: values["take-over"] === true };
      }
      case "ra": {
        const [action, ...more] = rest;
        noMore(more, 0);
        if (action === undefined || action === "show") return { name: "ra" };
        if (action === "on" || action === "off") return { name: "ra", change: action };
        throw new UsageError(`unknown ra command ${JSON.stringify(action)} (show, on, off)`);
      }
      case "canary": {
        const [action, ...more] = rest;
        if (action === undefined || action === "show") return (noMore(more, 0), { name: "canary" });
        if (action === "on" || action === "off") return (noMore(more, 0), { name: "canary", change: { action } });
        if (action === "set") {
          if (more.length !== 2)
            throw new UsageError("canary set needs a target and an address: canary set ISP1 192.168.1.250 (targets: default, an ISP's name, policy:NAME)");
          return { name: "canary", change: { action, target: more[0], address: more[1] } };
        }
        if (action === "unset") {
          if (more.length !== 1) throw new UsageError("canary unset needs a target: canary unset ISP1");
          return { name: "canary", change: { action, target: more[0] } };
        }
        throw new UsageError(`unknown canary command ${JSON.stringify(action)} (show, on, off, set TARGET ADDRESS, unset TARGET)`);
      }
      case "lan": {
        const [action = "list", name, ...more] = rest;
        noMore(more, 0);
        if (action === "list" || action === "show") {
          if (name !== undefined) throw new UsageError("lan list takes no name");
          return { name: "lan", action: "list" };
        }
        if (!["add", "set", "remove"].includes(action))
          throw new UsageError(`unknown lan command ${JSON.stringify(action)} (list, add NAME, set NAME, remove NAME)`);
        if (name === undefined) throw new UsageError(`lan ${action} needs the LAN's name: lan ${action} guest`);
        if (action === "remove") return { name: "lan", action: "remove", lan: name };
        if ([values.isp, values.policy, values["gateway-default"]].filter((v) => v !== undefined).length > 1)
          throw new UsageError("choose one of --isp, --policy and --gateway-default");
        if (action === "add" && (values.interface === undefined || values.subnets === undefined))
          throw new UsageError("lan add needs --interface and --subnets: lan add guest --interface br-guest --subnets 10.30.0.1/24");
        const fields: LanFlags = {
          ...(values.interface !== undefined ? { interface: values.interface as string } : {}),
          ...(values.subnets !== undefined ? { subnets: values.subnets as string } : {}),
          ...(values.isp !== undefined ? { isp: values.isp as string } : {}),
          ...(values.policy !== undefined ? { policy: values.policy as string } : {}),
          ...(values["gateway-default"] ? { isp: "" } : {}),
          ...(values.rename !== undefined ? { name: values.rename as string } : {}),
          ...(values.subnets6 !== undefined ? { subnets6: noneToEmpty(values.subnets6 as string) } : {}),
        };
        if (name === "lan" && (action === "add" || Object.keys(fields).some((k) => k !== "subnets6")))
          throw new UsageError("the main LAN (lan) takes only --subnets6 here: its other settings are on the Settings page");
        return { name: "lan", action: action as "add" | "set", lan: name, fields };
      }
      case "isp": {
        const [action, name, ...more] = rest;
        noMore(more, 0);
        if (action !== "set")
          throw new UsageError(
            action === undefined ? "isp needs set: isp set ISP --ipv6-prefix P --ipv6-gateway G" : `unknown isp command ${JSON.stringify(action)} (set)`,
          );
        if (name === undefined) throw new UsageError("isp set needs the ISP's name: isp set ISP1 --ipv6-prefix 2001:db8:1::/48 --ipv6-gateway fe80::1");
        const t = values["ipv6-translate"];
        if (t !== undefined && t !== "on" && t !== "off") throw new UsageError(`--ipv6-translate: ${JSON.stringify(t)} is not on or off`);
        const hosts = values["ipv6-hosts"];
        if (hosts !== undefined && hosts !== "follow" && hosts !== "unreachable")
          throw new UsageError(`--ipv6-hosts: ${JSON.stringify(hosts)} is not follow or unreachable`);
        const mode = values["ipv6-mode"];
        if (mode !== undefined && mode !== "static" && mode !== "pd") throw new UsageError(`--ipv6-mode: ${JSON.stringify(mode)} is not static or pd`);
        const ipv6: Ipv6Flags = {
          ...(mode !== undefined ? { mode } : {}),
          ...(values["ipv6-prefix"] !== undefined ? { prefix: noneToEmpty(values["ipv6-prefix"] as string) } : {}),
          ...(values["ipv6-gateway"] !== undefined ? { gateway: values["ipv6-gateway"] as string } : {}),
          ...(t !== undefined ? { translate: t === "on" } : {}),
          ...(hosts !== undefined ? { hosts } : {}),
        };
        if (!Object.keys(ipv6).length)
          throw new UsageError(
            "isp set needs something to change: --ipv6-prefix P|none, --ipv6-gateway G, --ipv6-translate on|off, --ipv6-hosts follow|unreachable",
          );
        return { name: "isp", action: "set", isp: name, ipv6 };
      }
      case "host": {
        const [action, name, ...more] = rest;
        noMore(more, 0);
        if (action !== "set")
          throw new UsageError(action === undefined ? "host needs set: host set HOST --mac learned" : `unknown host command ${JSON.stringify(action)} (set)`);
        if (name === undefined) throw new UsageError("host set needs the host's name: host set desk --mac learned");
        const mac = values.mac as string | undefined;
        if (mac === undefined) throw new UsageError("host set needs something to change: --mac learned|MAC|none");
        return { name: "host", action: "set", host: name, mac: noneToEmpty(mac) };
      }
      case "revisions":
        noMore(rest, 0);
        return { name: "revisions", limit: values.limit === undefined ? 20 : check(listLimit, values.limit as string, "--limit") };
      case "install":
      case "uninstall": {
        noMore(rest, 0);
        if (chosen.length) throw new UsageError(`${word} takes no target: the units manage this machine (--host)`);
        const root = values.root === undefined ? "/" : check(installRoot, values.root as string, "--root");
        const start = values["no-start"] !== true;
        return word === "install" ? { name: "install", root, start } : { name: "uninstall", root, start, purge: values.purge === true };
      }
      case "plan":
      case "verify":
      case "status":
      case "monitor":
        noMore(rest, 0);
        return { name: word };
      default:
        throw new UsageError(`unknown command ${JSON.stringify(word)}`);
    }
  })();
  return { command, json, target };
}
