#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, so the Prisma CLI works offline.
//
// Every Prisma 7 CLI command wants a native schema-engine and downloads it from
// binaries.prisma.sh, which this network cannot reach. The CLI runs any executable named
// by PRISMA_SCHEMA_ENGINE_BINARY instead (prisma.config.ts sets it to this file). This
// script answers the CLI the way the binary does, using the same engine compiled to WASM
// (@prisma/schema-engine-wasm) on top of the better-sqlite3 driver adapter. SQLite only.
//
// How the CLI talks to it (see node_modules/prisma/build/cli.js):
//   schema-engine [--datamodels <schema file>]... [--datasource '{"url":...}']
//     JSON-RPC 2.0, one JSON object per line: requests on stdin, answers on stdout, JSON log
//     lines on stderr. When done, the CLI ends stdin and sends SIGTERM straight away.
//   schema-engine --datasource '{"url":...}' cli can-connect-to-database|create-database
//     one-shot; exit code 0 = yes/done, else stderr = one plain line, then JSON log lines.
//   schema-engine --version
//
// Versions must match: prisma 7.10.1 with @prisma/schema-engine-wasm
// 8.1.0-2.59be4fda12412a79eeb9c2ae727b6aa723593323 and @prisma/adapter-better-sqlite3 7.10.0.
// tests/unit/prisma-engine.test.ts runs it through the CLI.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";

// The engine's own SQLite layout for its history table (as found in schema_engine_bg.wasm),
// so the table we create is the one it would have created.
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

// A Rust panic in the WASM engine hands its message to this global, then traps, which
// crashes this process. Log the message the way the native engine does: the CLI then
// reports "Error in Schema engine: <message>" (without the global the hook itself throws).
globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (message) => logLine("ERROR", { message }) };

const { values: args, positionals } = parseArgs({
  options: {
    datamodels: { type: "string", multiple: true, default: [] },
    datasource: { type: "string" },
    version: { type: "boolean" },
    // Only for features SQLite lacks; declared so that their values are not taken as positionals.
    "enabled-preview-features": { type: "string" },
    "extension-types": { type: "string" },
  },
  allowPositionals: true,
});

const datasource = args.datasource ? JSON.parse(args.datasource) : {};
// `file:<path>`, a relative path taken from our cwd (the CLI's base directory), as the native
// engine does; prisma.config.ts passes an absolute one. No url (`migrate diff` between
// schemas or migrations): any database will do.
const sqlitePath = (url) => path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
const dbPath = datasource.url ? sqlitePath(datasource.url) : ":memory:";
const sqlite = new PrismaBetterSqlite3(
  { url: dbPath },
  // Without shadowDatabaseUrl the adapter's shadow database is in memory, which is ideal.
  datasource.shadowDatabaseUrl ? { shadowDatabaseUrl: sqlitePath(datasource.shadowDatabaseUrl) } : undefined,
);

if (args.version) {
  console.log(`schema-engine-cli ${(await loadWasm()).version()}`);
} else if (positionals[0] === "cli") {
  process.exitCode = await runCliCommand(positionals[1]);
} else {
  await serveJsonRpc();
}

// The package's entry point does `import "./schema_engine_bg.wasm"`, which Node 20 cannot
// do without a flag: instantiate the module by hand with the package's JS glue.
async function loadWasm() {
  const wasmFile = new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), { "./schema_engine_bg.js": wasmBindings });
  wasmBindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return wasmBindings;
}

// The `cli` sub-commands, used by the CLI to create the SQLite file before migrating.
async function runCliCommand(command) {
  if (command === "can-connect-to-database") {
    if (dbPath === ":memory:" || existsSync(dbPath)) return 0;
    // P1003 is what makes the CLI ask for create-database. It skips the first stderr line.
    console.error("Database does not exist");
    logLine("ERROR", { error_code: "P1003", message: `Database \`${path.basename(dbPath)}\` does not exist at \`${dbPath}\`` });
    return 1;
  }
  if (command === "create-database") {
    await (await sqlite.connect()).dispose(); // opening the file creates it
    return 0;
  }
  console.error(`Unsupported command: cli ${command}`);
  return 1;
}

function logLine(level, fields) {
  process.stderr.write(`${JSON.stringify({ level, fields, target: "schema_engine::logger" })}\n`);
}

async function serveJsonRpc() {
  const openAdapters = new Set();

  // The adapter factory the WASM engine uses: better-sqlite3, with fixes where the engine
  // and the adapter do not fit together.
  const factory = {
    provider: sqlite.provider,
    adapterName: sqlite.adapterName,
    async connect() {
      const db = track(await sqlite.connect());
      // The WASM engine cannot tell "no history table yet" from a failed query: it answers
      // P1014 instead of creating the table. Create it for it, but only in a database with
      // no tables at all, so that one Prisma never managed is still refused (P3005).
      // (Side effect: `db push` / `migrate diff` leave an empty history table in a new file.)
      if ((await schemaObjects(db, ["table"])).length === 0) await db.executeScript(MIGRATIONS_TABLE);
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
    // To replay migrations (shadow database, `migrate diff --from-migrations`) the engine
    // sends a whole migration.sql through executeRaw, and better-sqlite3 refuses more than
    // one statement there (RangeError). Run such a parameterless batch as a script.
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

  const { SchemaEngine } = await loadWasm();
  // `migrate diff` starts us without --datamodels; the engine then wants none, not [].
  const datamodels = args.datamodels.length ? args.datamodels.map((file) => [file, readFileSync(file, "utf8")]) : undefined;
  const engine = await SchemaEngine.new(
    { datamodels },
    (log) => process.stderr.write(`${log.trimEnd()}\n`), // already the native JSON log lines
    // Prisma's own callers hand the engine the factory wrapped by this helper (results as
    // {ok, value} / {ok: false, error}). It ships with the adapter, so resolve it from there.
    createRequire(import.meta.resolve("@prisma/adapter-better-sqlite3"))("@prisma/driver-adapter-utils").bindMigrationAwareSqlAdapterFactory(factory),
  );

  // The RPC methods are the engine's methods of the same name, except these.
  const methods = {
    getDatabaseVersion: (params) => engine.version(params), // renamed in the WASM build

    // The native engine sends the diff to the CLI as a `print` request, which the CLI writes
    // to stdout or to --output; the WASM build returns it instead.
    async diff(params) {
      const { exitCode, stdout } = await engine.diff(params);
      if (stdout) send({ id: "print", method: "print", params: { content: stdout } });
      return { exitCode };
    },

    // The WASM engine's SQLite reset only deletes rows, so applying the migrations again
    // fails on "table already exists". Drop every table and view instead, and put the history
    // table back as in a new database.
    async reset() {
      const db = await factory.connect();
      try {
        const drops = (await schemaObjects(db, ["table", "view"])).map(([name, type]) => `DROP ${type} "${name}";`);
        // Foreign keys off, or dropping a referenced table fails in its implicit DELETE.
        await db.executeScript(`PRAGMA foreign_keys = OFF; ${drops.join(" ")} PRAGMA foreign_keys = ON; ${MIGRATIONS_TABLE};`);
      } finally {
        await db.dispose();
      }
      return {};
    },
  };

  function send(message) {
    process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
  }

  async function answer(line) {
    const { id, method, params } = JSON.parse(line);
    if (!method) return; // the CLI acknowledging a `print`
    const handler = methods[method] ?? (Object.hasOwn(SchemaEngine.prototype, method) && ((p) => engine[method](p)));
    if (!handler) return send({ id, error: { code: -32601, message: `Method not found: ${method}` } });
    try {
      send({ id, result: (await handler(params)) ?? {} });
    } catch (error) {
      // After a panic the WASM instance is unusable: let the process crash (see above).
      if (error instanceof WebAssembly.RuntimeError) throw error;
      // The native engine's shape for user-facing errors: the CLI prints "P1014: <message>".
      const data = { is_panic: false, message: error.message, error_code: error.code, meta: error.meta };
      send({ id, error: { code: 4466, message: "An error happened. Check the data field for details.", data } });
    }
  }

  // The CLI ends stdin and sends SIGTERM as soon as it has its last answer. Close the
  // databases (synchronous in better-sqlite3) before exiting, or a -journal file can be
  // left next to the database.
  function shutdown() {
    for (const db of openAdapters) db.dispose();
    process.exit(0);
  }
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);

  // One request at a time, in order; the last one is finished before shutting down.
  let queue = Promise.resolve();
  createInterface({ input: process.stdin, crlfDelay: Infinity })
    .on("line", (line) => (queue = queue.then(() => answer(line))))
    .on("close", () => queue.then(shutdown));
}

// [name, type] of the database's own tables/views (not SQLite's sqlite_* internals).
async function schemaObjects(db, types) {
  const { rows } = await db.queryRaw({
    sql: `SELECT name, type FROM sqlite_master WHERE type IN (${types.map((t) => `'${t}'`).join(", ")}) AND name NOT LIKE 'sqlite_%'`,
    args: [],
    argTypes: [],
  });
  return rows;
}
