import path from "node:path";
import { HOST, run } from "../lib/net/exec";

const root = path.resolve(import.meta.dirname, "..");

export default async function globalTeardown() {
  const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  await run(HOST, "node", [tsx, "bin/cli.ts", "lab", "down", "--prefix", "e2e"], { env: { DATABASE_URL: "file:data/e2e.db" }, timeoutMs: 60_000 });
}
