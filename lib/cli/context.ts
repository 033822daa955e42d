// What every `switchyard` command shares (bin/cli.ts dispatches, lib/cli/commands/ run): output
// on stdout (human text, or JSON with --json) and notes on stderr, errors that carry their exit
// code, the database opened lazily (`help`, a usage error or `lab down` never touch it) and the
// staged configuration, validated.
import { describeIssue, formatPath } from "@/lib/cli/issues";
import { parseJsonText } from "@/lib/cli/json-error";
import fs from "node:fs";
import { databaseFile, databaseUrl } from "@/lib/db-url";
import type { GatewayConfig } from "@/lib/model";
import type { ConfigIssue } from "@/lib/validation/config";

/** An error with an exit code, and for --json a payload; its message is one line. */
export class CliError extends Error {
  constructor(
    message: string,
    public exitCode = 1,
    public details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Set once by bin/cli.ts from argv; dbOpened: a command opened the database, the dispatcher closes it. */
export const cli = { json: false, dbOpened: false };

export const out = (text = "") => process.stdout.write(`${text}\n`);
export const note = (text = "") => process.stderr.write(`${text}\n`);
export const emit = (value: unknown) => out(JSON.stringify(value, null, 2));

/** Aligned columns, two spaces apart. */
export function table(rows: string[][], indent = "  "): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows
    .map(
      (r) =>
        indent +
        r
          .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c])))
          .join("  ")
          .trimEnd(),
    )
    .join("\n");
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;
export const when = (d: Date) =>
  d
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
export const counts = (c: GatewayConfig) =>
  `${plural(c.isps.length, "ISP")}, ${plural(c.natAddresses.length, "NAT address")}, ${plural(c.hosts.length, "host")}`;
export const actor = () => ({ username: `cli:${process.env.SUDO_USER || process.env.USER || "root"}` });

export const oneLine = (s: string) =>
  s
    .trim()
    .split(/\s*\n\s*/)
    .filter(Boolean)
    .join("; ");

export async function database() {
  const file = databaseFile(databaseUrl());
  if (!fs.existsSync(file)) {
    throw new CliError(`there is no database at ${file}: create it with \`npx prisma migrate deploy\` (DATABASE_URL chooses the file)`);
  }
  const { db } = await import("@/lib/db");
  cli.dbOpened = true;
  return db;
}

export function invalidConfig(what: string, issues: ConfigIssue[], input: unknown, hint = ""): CliError {
  const lines = issues.map((i) => describeIssue(i, input));
  return new CliError(`${what} is not valid (${plural(issues.length, "problem")})${hint}:\n${lines.map((l) => `  ${l}`).join("\n")}`, 2, {
    issues: issues.map((i, n) => ({ path: formatPath(i.path), message: i.message, text: lines[n] })),
  });
}

/** The staged configuration, validated: nothing is rendered from an invalid one. */
export async function stagedConfig(): Promise<GatewayConfig> {
  await database();
  const { loadConfig } = await import("@/lib/data/config");
  const { validateConfig } = await import("@/lib/validation/config");
  const config = await loadConfig();
  const v = validateConfig(config);
  if (!v.ok) throw invalidConfig("the staged configuration", v.issues, config, " (fix it in the UI or with `switchyard config import`)");
  return v.config;
}

export function parseJson(text: string, source: string): unknown {
  const r = parseJsonText(text);
  if (!r.ok) throw new CliError(`${source} is not valid JSON: ${r.error}`, 2);
  return r.value;
}

export function fsReason(e: unknown): string {
  const reasons: Record<string, string> = {
    ENOENT: "no such file or directory",
    EISDIR: "it is a directory",
    EACCES: "permission denied",
    ENOTDIR: "a part of the path is not a directory",
    EROFS: "read-only file system",
  };
  const err = e as NodeJS.ErrnoException;
  return (err.code && reasons[err.code]) || oneLine(err.message ?? String(e));
}

/** A secret (notify --secret-stdin): never an argument, where the shell history and `ps` would keep it. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) note("reading the secret from stdin (end with Ctrl-D)...");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

export async function readInput(file: string): Promise<{ text: string; source: string }> {
  if (file === "-") {
    if (process.stdin.isTTY) note("reading the configuration from stdin (end with Ctrl-D)...");
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return { text: Buffer.concat(chunks).toString("utf8"), source: "stdin" };
  }
  try {
    return { text: fs.readFileSync(file, "utf8"), source: file };
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${fsReason(e)}`, 2);
  }
}

/** What a killed apply left is recovered before anything reads the gateway (lib/engine/recovery.ts). */
export async function recoverFirst() {
  await database();
  const { recoverInterrupted } = await import("@/lib/engine/recovery");
  const recovered = await recoverInterrupted();
  for (const r of recovered) note(`Recovered (revision ${r.revisionId}): ${r.message}`);
  return recovered;
}
