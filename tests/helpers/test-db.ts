// A migrated SQLite database of a test file's own, and lib/db opened on it. lib/db reads
// DATABASE_URL when it is first imported, so call this in beforeAll before anything that imports
// it is loaded; it checks that lib/db really uses the temporary file (lib/db keeps one client per
// process, which another file could have opened), because the data layer's replaceConfig wipes it.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { prisma } from "./processes";

export interface TestDatabase {
  dir: string;
  db: typeof import("@/lib/db").db;
  close: () => Promise<void>;
}

export async function openTestDatabase(prefix: string): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  const url = `file:${path.join(dir, "test.db")}`;
  process.env.DATABASE_URL = url;
  const migrated = await prisma(["migrate", "deploy"], { DATABASE_URL: url });
  if (migrated.exitCode !== 0) throw new Error(migrated.stderr);
  const { db } = await import("@/lib/db");
  const files = await db.$queryRawUnsafe<{ name: string; file: string }[]>("PRAGMA database_list");
  if (files.find((f) => f.name === "main")?.file !== path.join(dir, "test.db"))
    throw new Error(`lib/db is not using the test database: ${JSON.stringify(files)}`);
  return {
    dir,
    db,
    close: async () => {
      await db.$disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
