// Which SQLite file is the database: one answer for the Prisma CLI (prisma.config.ts) and
// the app (lib/db.ts). Plain TypeScript, no server-only: the config loader, tsx scripts and
// tests import it too.
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in <root>/lib). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const defaultDatabaseUrl = `file:${path.join(repoRoot, "data", "switchyard.db")}`;

/**
 * DATABASE_URL (default: data/switchyard.db) as an absolute `file:` URL. A relative path is
 * taken from the repository root, not the current directory, so the CLI, scripts and the
 * app agree wherever they are started from.
 */
export function databaseUrl(url: string | undefined = process.env.DATABASE_URL): string {
  return `file:${databaseFile(url || defaultDatabaseUrl)}`;
}

/** The absolute path of the SQLite file a `file:` URL names. */
export function databaseFile(url: string): string {
  if (!url.startsWith("file:")) throw new Error(`DATABASE_URL must be a SQLite file: URL, got "${url}"`);
  return path.resolve(repoRoot, url.slice("file:".length));
}
