// A fresh database (migrations + the classic office) and a fresh lab for every run.
import fs from "node:fs";
import path from "node:path";
import { HOST, run } from "../lib/net/exec";

const root = path.resolve(import.meta.dirname, "..");
const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

export default async function globalSetup() {
  const env = { DATABASE_URL: "file:data/e2e.db", CHECKPOINT_DISABLE: "1", SWITCHYARD_LAB_PREFIX: "e2e" };
  for (const f of ["data/e2e.db", "data/e2e.db-journal"]) fs.rmSync(path.join(root, f), { force: true });
  await run(HOST, "node", [prisma, "migrate", "deploy"], { env, timeoutMs: 60_000 });
  await run(HOST, "node", [tsx, "prisma/seed.ts"], { env, timeoutMs: 60_000 });
  await run(HOST, "node", [tsx, "bin/cli.ts", "lab", "down", "--prefix", "e2e"], { env, timeoutMs: 60_000 });
  await run(HOST, "node", [tsx, "bin/cli.ts", "lab", "up", "--prefix", "e2e"], { env, timeoutMs: 60_000 });
}
