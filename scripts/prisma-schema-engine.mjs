#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, so the Prisma CLI works offline.
//
// Every Prisma 7 CLI command wants a native schema-engine and downloads it from
// binaries.prisma.sh, which this network cannot reach. The CLI runs any executable named
// by PRISMA_SCHEMA_ENGINE_BINARY instead (prisma.config.ts sets it to this file). This
// script answers the CLI the way the binary does, using the same engine compiled to WASM
// (@prisma/schema-engine-wasm) on top of the better-sqlite3 driver adapter.
//
// How the CLI talks to it (node_modules/prisma/build/cli.js):
//   schema-engine --datamodels <schema file>... [--datasource '{"url":...}']
//     JSON-RPC 2.0, one JSON object per line on stdin (requests) and stdout (responses);
//     log lines (JSON) on stderr. The CLI ends stdin, then sends SIGTERM at once.
//   schema-engine --datasource '{"url":...}' cli can-connect-to-database|create-database
//     one-shot; exit code 0 = ok, otherwise stderr = one plain line, then JSON log lines.
//   schema-engine --version
//
// Pinned together: prisma 7.10.1, @prisma/adapter-better-sqlite3 7.10.0 and
// @prisma/schema-engine-wasm 8.1.0-2.59be4fda12412a79eeb9c2ae727b6aa723593323 (see package.json).
// SQLite only.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";

// The engine's own SQLite layout for its history table (copied from the strings in
// schema_engine_bg.wasm), so what we create is exactly what it would have created.
const MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const { values: args, positionals } = parseArgs({
  options: {
    datamodels: { type: "string", multiple: true, default: [] },
    datasource: { type: "string" },
    version: { type: "boolean" },
    // Passed by the CLI for other connectors' features; named only so parsing their values
    // does not turn them into positionals.
    "enabled-preview-features": { type: "string" },
    "extension-types": { type: "string" },
  },
  allowPositionals: true,
});

const datasource = args.datasource ? JSON.parse(args.datasource) : {};
// Same convention as the native engine: `file:` + a path, relative paths against our cwd
// (the CLI starts us in the project's base directory). prisma.config.ts passes absolute ones.
const sqlitePath = (url) => path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
const dbPath = datasource.url ? sqlitePath(datasource.url) : ":memory:"; // no url: `migrate diff` from schemas/migrations only

const sqlite = new PrismaBetterSqlite3(
  { url: dbPath },
  // Without a shadowDatabaseUrl the adapter uses an in-memory shadow database: ideal.
  datasource.shadowDatabaseUrl ? { shadowDatabaseUrl: sqlitePath(datasource.shadowDatabaseUrl) } : undefined,
);

if (args.version) {
  console.log(`schema-engine-cli ${(await loadWasm()).version()}`);
} else if (positionals[0] === "cli") {
  process.exitCode = await runCliCommand(positionals[1]);
} else {
  await serveJsonRpc();
}

// The package's own entry point does `import "./schema_engine_bg.wasm"`, which Node 20
// cannot do without a flag; instantiate the module by hand with the package's JS glue.
async function loadWasm() {
  const wasmFile = new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), { "./schema_engine_bg.js": wasmBindings });
  wasmBindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return wasmBindings;
}

// `cli` sub-commands, used by the CLI to create the SQLite file before migrating.
async function runCliCommand(command) {
  if (command === "can-connect-to-database") {
    if (dbPath === ":memory:" || existsSync(dbPath)) return 0;
    // The CLI skips the first stderr line and wants P1003 to decide to create the database.
    console.error("Database does not exist");
    logLine("ERROR", { error_code: "P1003", message: `Database \`${path.basename(dbPath)}\` does not exist at \`${dbPath}\`` });
    return 1;
  }
  if (command === "create-database") {
    await (await sqlite.connect()).dispose(); // opening the file creates it
    return 0;
  }
  console.error(`unsupported command: cli ${command}`);
  return 1;
}

function logLine(level, fields) {
  process.stderr.write(`${JSON.stringify({ level, fields, target: "schema_engine::logger" })}\n`);
}

async function serveJsonRpc() {
  const openAdapters = new Set();

  // Adapter factory handed to the WASM engine: better-sqlite3, with fixes for where the
  // WASM engine and the adapter do not fit together.
  const factory = {
    provider: sqlite.provider,
    adapterName: sqlite.adapterName,
    async connect() {
      const db = track(await sqlite.connect());
      // The WASM engine cannot tell "no history table" from a failed query and answers P1014
      // instead of creating it. Create it for it, but only on a database with no tables at
      // all: an existing database that Prisma never managed must still be refused.
      if ((await tableNames(db)).length === 0) await db.executeScript(MIGRATIONS_TABLE);
      return db;
    },
    async connectToShadowDb() {
      return track(await sqlite.connectToShadowDb());
    },
  };

  function track(db) {
    openAdapters.add(db);
    const { dispose, executeRaw } = db;
    db.dispose = () => (openAdapters.delete(db), dispose.call(db));
    // When replaying migrations (shadow database, `migrate diff --from-migrations`) the
    // engine sends a whole migration.sql through executeRaw; better-sqlite3 runs a single
    // statement per prepare() and throws a RangeError for more. Run those as a script.
    db.executeRaw = async (query) => {
      try {
        return await executeRaw.call(db, query);
      } catch (error) {
        if (!(error instanceof RangeError) || query.args.length > 0) throw error;
        await db.executeScript(query.sql);
        return 0;
      }
    };
    return db;
  }

  // On SQLite the WASM engine's `reset` only deletes rows, so re-applying migrations then
  // fails with "table already exists". Drop every table and view instead, then put the
  // history table back as on a new database.
  async function reset() {
    const db = await factory.connect();
    try {
      const drops = (await tableNames(db, "'table', 'view'")).map(([name, type]) => `DROP ${type.toUpperCase()} "${name}";`);
      // Foreign keys off, or dropping a referenced table fails on its implicit DELETE.
      await db.executeScript(`PRAGMA foreign_keys = OFF; ${drops.join(" ")} PRAGMA foreign_keys = ON; ${MIGRATIONS_TABLE};`);
    } finally {
      await db.dispose();
    }
    return {};
  }

  // Everything else is answered by the WASM engine, whose methods carry the RPC names.
  const { SchemaEngine } = await loadWasm();
  const datamodels = args.datamodels.map((file) => [file, readFileSync(file, "utf8")]);
  const engine = await SchemaEngine.new({ datamodels }, (log) => process.stderr.write(`${log}\n`),
    // The engine expects the factory wrapped the way Prisma's own callers wrap it
    // (results as {ok, value} / {ok: false, error}); that helper ships with the adapter.
    createRequire(import.meta.resolve("@prisma/adapter-better-sqlite3"))("@prisma/driver-adapter-utils")
      .bindMigrationAwareSqlAdapterFactory(factory));
  const methods = {
    reset,
    getDatabaseVersion: (params) => engine.version(params), // the WASM build renamed it
  };

  async function answer(line) {
    const { id, method, params } = JSON.parse(line);
    const handler = methods[method] ?? (Object.hasOwn(SchemaEngine.prototype, method) && ((p) => engine[method](p)));
    let response;
    if (!handler) {
      response = { error: { code: -32601, message: `Method not found: ${method}` } };
    } else {
      try {
        response = { result: (await handler(params)) ?? {} };
      } catch (error) {
        // Same shape as the native engine's user-facing errors, so the CLI prints "P1014: ...".
        const data = { is_panic: false, message: error.message, error_code: error.code, meta: error.meta };
        response = { error: { code: 4466, message: "An error happened. Check the data field for details.", data } };
      }
    }
    process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id, ...response })}\n`);
  }

  // The CLI closes stdin and sends SIGTERM as soon as it has its last answer. Close the
  // databases (synchronous in better-sqlite3) before exiting, or SQLite leaves a -journal
  // file behind.
  function shutdown() {
    for (const db of openAdapters) db.dispose();
    process.exit(0);
  }
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);

  // Answer one request at a time, in order, and finish the last one before shutting down.
  let queue = Promise.resolve();
  createInterface({ input: process.stdin, crlfDelay: Infinity })
    .on("line", (line) => (queue = queue.then(() => answer(line))))
    .on("close", () => queue.then(shutdown));
}

// Names and types of the database's own objects (not sqlite_* internals), as [name, type] rows.
async function tableNames(db, types = "'table'") {
  const { rows } = await db.queryRaw({
    sql: `SELECT name, type FROM sqlite_master WHERE type IN (${types}) AND name NOT LIKE 'sqlite_%'`,
    args: [],
    argTypes: [],
  });
  return rows;
}
