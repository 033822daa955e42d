// The app's one Prisma client (Rust-free: queries run through a WASM query compiler and the
// better-sqlite3 driver adapter; nothing native from Prisma is needed at run time).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl } from "@/lib/db-url";

// `next dev` re-evaluates modules on every change: keep one client (and one open database)
// per process rather than one per reload.
const globalForDb = globalThis as typeof globalThis & { switchyardDb?: PrismaClient };

export const db: PrismaClient =
  globalForDb.switchyardDb ??
  // An absolute URL: the adapter would resolve a relative path against the current directory.
  new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: databaseUrl() }) });

if (process.env.NODE_ENV !== "production") globalForDb.switchyardDb = db;
