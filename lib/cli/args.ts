// The `switchyard` command line: argv -> a typed command, or one clear message. Pure (no I/O,
// no environment): bin/cli.ts runs what this returns, tests/unit/cli-args.test.ts checks it.
import { parseArgs } from "node:util";
import type { z } from "zod";
import { filePath, labPrefix, listLimit, netnsName, revisionNumber } from "@/lib/validation/cli";

export interface TargetOptions {
  netns?: string;
  host?: boolean;
  lab?: string;
}

export type Command =
  | { name: "help" }
  | { name: "config-export"; file?: string }
  | { name: "config-import"; file: string }
  | { name: "plan" }
  | { name: "apply"; rollback: boolean; revision?: number; lastGood: boolean }
  | { name: "verify" }
  | { name: "status" }
  | { name: "lab"; action: "up" | "down" | "status"; prefix?: string }
  | { name: "revisions"; limit: number };

export type ParseResult =
  | { ok: true; command: Command; json: boolean; target: TargetOptions }
  | { ok: false; error: string; json: boolean };

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
} as const;
type OptionName = keyof typeof OPTIONS;

const GLOBAL: OptionName[] = ["json", "help", "netns", "host", "lab"];
/** Options each command takes besides the global ones. */
const COMMAND_OPTIONS: Record<string, OptionName[]> = {
  config: ["file"],
  plan: [],
  apply: ["no-rollback", "revision", "last-good"],
  reapply: ["no-rollback"],
  verify: [],
  status: [],
  lab: ["prefix"],
  revisions: ["limit"],
  help: [],
};

export const USAGE = `switchyard - policy routing for gateways with more than one ISP

Usage: switchyard <command> [options]

Configuration (the staged config, in the database):
  config export [--file F]     print the staged config as JSON (or write it to F)
  config import FILE|-         replace the staged config with FILE (- = stdin), validated first;
                               an invalid file changes nothing
Gateway:
  plan                         the changes an apply would make, and drift
  apply [--no-rollback]        apply the staged config, verify it, roll back if verification fails
  apply --revision N           re-apply revision N (it becomes the staged config again)
  reapply N                    the same as apply --revision N
  apply --last-good            re-apply the last revision that applied cleanly (the staged
                               config if there is none): for boot
  verify                       check the gateway against the staged config (and probe, in a lab)
  status                       what Switchyard owns on the gateway, drift, the last revision
  revisions [--limit N]        the applies so far, newest first
Lab (a gateway built from the staged config in network namespaces):
  lab up|down|status [--prefix P]
Other:
  help, --help, -h             this text

Target (default: SWITCHYARD_TARGET / SWITCHYARD_NETNS, else the lab "sy"):
  --host                       this machine
  --netns NAME                 the network namespace NAME
  --lab PREFIX                 the lab PREFIX (its gateway is the namespace PREFIX-gw)
Output:
  --json                       machine-readable JSON on stdout (and nothing else there)

Exit codes: 0 ok, 1 the apply or verification failed (or an error), 2 bad usage or invalid input.
Environment: DATABASE_URL (default file:data/switchyard.db), SWITCHYARD_TARGET, SWITCHYARD_NETNS,
SWITCHYARD_LAB_PREFIX, SWITCHYARD_DEBUG=1 (stack traces), SWITCHYARD_LOG_EXEC=1 (every command run).
`;

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
      case "apply": {
        noMore(rest, 0);
        const lastGood = values["last-good"] === true;
        const revision = values.revision === undefined ? undefined : check(revisionNumber, values.revision as string, "--revision");
        if (lastGood && revision !== undefined) throw new UsageError("--revision and --last-good exclude each other");
        return { name: "apply", rollback: values["no-rollback"] !== true, revision, lastGood };
      }
      case "reapply": {
        if (rest.length === 0) throw new UsageError("reapply needs a revision number: reapply N");
        noMore(rest, 1);
        return { name: "apply", rollback: values["no-rollback"] !== true, revision: check(revisionNumber, rest[0], "reapply"), lastGood: false };
      }
      case "lab": {
        const [action, ...more] = rest;
        if (action !== "up" && action !== "down" && action !== "status") {
          throw new UsageError(action === undefined ? "lab needs up, down or status" : `unknown lab command ${JSON.stringify(action)} (up, down or status)`);
        }
        noMore(more, 0);
        return { name: "lab", action, prefix: values.prefix === undefined ? undefined : check(labPrefix, values.prefix as string, "--prefix") };
      }
      case "revisions":
        noMore(rest, 0);
        return { name: "revisions", limit: values.limit === undefined ? 20 : check(listLimit, values.limit as string, "--limit") };
      case "plan":
      case "verify":
      case "status":
        noMore(rest, 0);
        return { name: word };
      default:
        throw new UsageError(`unknown command ${JSON.stringify(word)}`);
    }
  })();
  return { command, json, target };
}

// ---------------------------------------------------------------- pure helpers for the output

type IssuePath = (string | number)[];

/** ["hosts", 1, "address"] -> "hosts[1].address" */
export function formatPath(path: IssuePath): string {
  if (path.length === 0) return "(the whole file)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** "hosts[1].address (laptop): The address must be inside a LAN subnet (192.168.1.1/24)" */
export function describeIssue(issue: { path: IssuePath; message: string }, input: unknown): string {
  const [collection, index] = issue.path;
  let label = "";
  if (typeof index === "number" && input && typeof input === "object") {
    const list = (input as Record<string, unknown>)[String(collection)];
    const item = Array.isArray(list) ? list[index] : undefined;
    if (item && typeof item === "object") {
      const { name, address } = item as { name?: unknown; address?: unknown };
      const l = typeof name === "string" && name ? name : typeof address === "string" && address ? address : "";
      if (l) label = ` (${l})`;
    }
  }
  return `${formatPath(issue.path)}${label}: ${issue.message}`;
}

/** JSON.parse, or where and why it failed: "expected ',' or '}', found "\"" (line 3, column 5)". */
export function parseJsonText(raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const text = raw.replace(/^\uFEFF/, ""); // a byte order mark some editors write
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    if (text.trim() === "") return { ok: false, error: "it is empty" };
    const at = locateJsonError(text);
    if (!at) return { ok: false, error: (e instanceof Error ? e.message : String(e)).split("\n")[0] };
    const before = text.slice(0, at.pos);
    return { ok: false, error: `${at.reason} (line ${before.split("\n").length}, column ${before.length - before.lastIndexOf("\n")})` };
  }
}

/** Where JSON.parse gave up, and why: V8's own message often has no position. */
function locateJsonError(text: string): { pos: number; reason: string } | null {
  let i = 0;
  class Stop {
    constructor(public pos: number, public reason: string) {}
  }
  const found = () => (i >= text.length ? "the end of the file" : JSON.stringify(text[i]));
  const fail = (reason: string): never => {
    throw new Stop(i, reason);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail("a string is not closed (missing '\"')");
      const c = text[i];
      if (c === '"') return void i++;
      if (c === "\\") {
        const next = text[i + 1];
        if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail("invalid escape in a string");
      } else if (c < " ") fail("a line break or control character inside a string (write \\n or \\t)");
      else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        ws();
        if (c === "{") {
          if (text[i] !== '"') fail(`expected a property name in double quotes, found ${found()}`);
          string();
          ws();
          if (text[i] !== ":") fail(`expected ':' after the property name, found ${found()}`);
          i++;
        }
        value();
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] === close) fail(`a comma before '${close}' (JSON allows no trailing comma)`);
          continue;
        }
        if (text[i] === close) return void i++;
        fail(`expected ',' or '${close}', found ${found()}`);
      }
    }
    if (c === '"') return string();
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    m.lastIndex = i;
    if (m.exec(text)) return void (i = m.lastIndex);
    fail(`expected a value, found ${found()}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (e instanceof Stop) return { pos: e.pos, reason: e.reason };
    throw e;
  }
}

export { canonicalJson } from "@/lib/engine/status";
