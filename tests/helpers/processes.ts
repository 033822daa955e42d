// Tests start processes through the product's one executor too (the no-shell check
// holds for every file but lib/net/exec.ts).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { HOST, run, type ExecResult } from "@/lib/net/exec";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
const prismaJs = path.join(repoRoot, "node_modules", "prisma", "build", "index.js");
const cliJs = path.join(repoRoot, "bin", "switchyard.mjs");

/** The Prisma CLI (offline engine), e.g. prisma(["migrate", "deploy"], { DATABASE_URL }). */
export function prisma(args: string[], env: Record<string, string>): Promise<ExecResult> {
  return run(HOST, "node", [prismaJs, ...args], { env: { CHECKPOINT_DISABLE: "1", ...env }, cwd: repoRoot, allowFailure: true, timeoutMs: 90_000 });
}

/** The switchyard CLI as a user runs it. */
export function switchyard(args: string[], env: Record<string, string>, input?: string): Promise<ExecResult> {
  return run(HOST, "node", [cliJs, ...args], { env, cwd: repoRoot, allowFailure: true, timeoutMs: 30_000, input: input ?? "" });
}

/** A fresh, migrated SQLite database in a temporary folder. */
export async function tempDatabase(tag: string): Promise<{ dir: string; file: string; url: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `switchyard-${tag}-`));
  const file = path.join(dir, "test.db");
  const url = `file:${file}`;
  const r = await prisma(["migrate", "deploy"], { DATABASE_URL: url });
  if (r.exitCode !== 0) throw new Error(`migrate deploy failed: ${r.stderr || r.stdout}`);
  return { dir, file, url, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
