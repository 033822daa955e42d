// Prisma CLI configuration. Prisma 7 reads the database URL from here, not from
// schema.prisma or .env; relative paths below are relative to this file.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { databaseFile, databaseUrl, repoRoot } from "./lib/db-url.ts";

// Every CLI command would otherwise download a native schema-engine, which fails offline:
// use the WASM-backed stand-in (see its header). A binary set in the environment wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(repoRoot, "scripts", "prisma-schema-engine.mjs");

const url = databaseUrl();
// SQLite creates the database file but not its directory (data/ is not in git).
mkdirSync(path.dirname(databaseFile(url)), { recursive: true });

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
    seed: "tsx prisma/seed.ts",
  },
  datasource: { url },
});
