// The e2e run's web server (playwright.config.ts webServer): a fresh database first (migrated,
// with the classic office and the admin), then server.mjs. Playwright starts the webServer
// before globalSetup, so the database cannot be made there: the server would start (and look
// for interrupted applies) on a database whose tables do not exist yet, and then have it deleted
// under it. Stopped by Playwright with its process group.
import fs from "node:fs";
import path from "node:path";
import { HOST, run, startStream } from "../lib/net/exec";

const root = path.resolve(import.meta.dirname, "..");
const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const db = process.env.DATABASE_URL ?? "";
if (db !== "file:data/e2e.db") throw new Error(`e2e/web-server.ts resets the e2e database only, not ${db}`);

for (const f of ["data/e2e.db", "data/e2e.db-journal"]) fs.rmSync(path.join(root, f), { force: true });
await run(HOST, "node", [prisma, "migrate", "deploy"], { cwd: root, timeoutMs: 60_000 });
await run(HOST, "node", [tsx, "prisma/seed.ts"], { cwd: root, timeoutMs: 60_000 });

const server = startStream(HOST, "node", [path.join(root, "server.mjs")], { onLine: (l) => console.log(l), onStderrLine: (l) => console.error(l) });
for (const s of ["SIGTERM", "SIGINT"] as const) process.once(s, () => void server.stop());
process.exit(await server.exited);
