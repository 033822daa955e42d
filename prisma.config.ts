// Prisma CLI configuration (Prisma 7 no longer reads the URL from schema.prisma or .env).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { databaseFile, databaseUrl, repoRoot } from "./lib/db-url.ts";

// Every CLI command would otherwise download a native schema-engine, which fails offline:
// use the WASM-backed stand-in (see the script's header). An explicitly set binary wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(repoRoot, "scripts", "prisma-schema-engine.mjs");

const url = databaseUrl();
// SQLite creates the file, not its directory (data/ is not in git).
mkdirSync(path.dirname(databaseFile(url)), { recursive: true });

export default defineConfig({
  schema: path.join(repoRoot, "prisma", "schema.prisma"),
  migrations: {
    path: path.join(repoRoot, "prisma", "migrations"),
    seed: "tsx prisma/seed.ts",
  },
  datasource: { url },
});
