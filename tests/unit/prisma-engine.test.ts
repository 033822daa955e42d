// The offline schema-engine stand-in (scripts/prisma-schema-engine.mjs), driven through the
// real Prisma CLI and prisma.config.ts exactly as `npm run db:deploy` does, on a fresh
// temporary database.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { prisma as prismaCli } from "../helpers/processes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");

let dir: string;
let dbFile: string;

async function prisma(...args: string[]) {
  const r = await prismaCli(args, { DATABASE_URL: `file:${dbFile}` });
  return { ...r, all: r.stdout + r.stderr };
}

function withDb<T>(use: (db: Database.Database) => T): T {
  const db = new Database(dbFile);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const tableNames = () => withDb((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-engine-"));
  dbFile = path.join(dir, "test.db");
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("prisma CLI with the schema-engine stand-in", () => {
  it("deploys the migrations to a new database, then reports it up to date", async () => {
    const deploy = await prisma("migrate", "deploy");
    expect(deploy.all).toContain("All migrations have been successfully applied.");

    const status = await prisma("migrate", "status");
    expect(status.all).toContain("Database schema is up to date!");

    const schema = await readFile(path.join(repoRoot, "prisma", "schema.prisma"), "utf8");
    const models = [...schema.matchAll(/^model (\w+)/gm)].map((m) => m[1]);
    expect(models.length).toBeGreaterThan(0);
    expect(tableNames()).toEqual(expect.arrayContaining(["_prisma_migrations", ...models]));

    const migrations = (await readdir(path.join(repoRoot, "prisma", "migrations"), { withFileTypes: true })).filter((e) => e.isDirectory());
    const applied = withDb((db) => db.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL").pluck().all());
    expect(applied).toEqual(migrations.map((m) => m.name).sort());

    // The CLI kills the engine as soon as it is done: it must have closed the database.
    expect(await readdir(dir)).toEqual(["test.db"]);
  });

  it("finds no difference between the migrations and schema.prisma", async () => {
    // Replays every migration on a shadow database (the multi-statement executeRaw path);
    // --exit-code makes a difference exit with 2.
    const diff = await prisma("migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code");
    expect(diff.exitCode).toBe(0);
    expect(diff.all).toContain("No difference detected.");
  });

  it("resets the database: all data gone, schema rebuilt", async () => {
    withDb((db) => db.prepare("INSERT INTO LoginAttempt (username, clientIp, ok) VALUES ('x', '127.0.0.1', 0)").run());

    await prisma("migrate", "reset", "--force");

    expect(withDb((db) => db.prepare("SELECT count(*) FROM LoginAttempt").pluck().get())).toBe(0);
    expect((await prisma("migrate", "status")).all).toContain("Database schema is up to date!");
    expect(await readdir(dir)).toEqual(["test.db"]);
  });
});
