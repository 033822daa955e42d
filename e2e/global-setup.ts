// A fresh database (migrations + the classic office + the admin) and a fresh lab for every run.
import fs from "node:fs";
import path from "node:path";
import { HOST, run } from "../lib/net/exec";
import { labDown, labUp } from "../lib/lab/lab";
import { classicOffice } from "../lib/examples";
import { e2eEnv } from "../playwright.config";

const root = path.resolve(import.meta.dirname, "..");
const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

export default async function globalSetup() {
  for (const f of ["data/e2e.db", "data/e2e.db-journal"]) fs.rmSync(path.join(root, f), { force: true });
  await run(HOST, "node", [prisma, "migrate", "deploy"], { env: e2eEnv, cwd: root, timeoutMs: 60_000 });
  await run(HOST, "node", [tsx, "prisma/seed.ts"], { env: e2eEnv, cwd: root, timeoutMs: 60_000 });
  await labDown(e2eEnv.SWITCHYARD_LAB_PREFIX);
  await labUp(classicOffice, { prefix: e2eEnv.SWITCHYARD_LAB_PREFIX });
}
