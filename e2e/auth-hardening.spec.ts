// Login and file hardening (issue 20) over HTTP, against the production server (node server.mjs
// after next build) started here on databases of its own, as an attacker and an admin meet it:
// the data directory and database made private at start, a flood from a locked address that
// neither grows the audit log nor holds up the admin elsewhere (the figures go to
// docs/benchmarks.md), an account budget that 30 addresses cannot pass while the console gets
// in, logging in again ending the old cookie's session, and a planted setup token refused.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { test, expect } from "./fixtures";
import { hiddenFields, multipart, raw } from "./http";
import { HOST as LOCAL, run, startStream, type StreamHandle } from "../lib/net/exec";
import { hashPassword } from "../lib/auth/password";
import { e2eEnv } from "../playwright.config";

const root = path.resolve(import.meta.dirname, "..");
const prismaJs = path.join(root, "node_modules", "prisma", "build", "index.js");
const mode = (f: string) => fs.statSync(f).mode & 0o777;

interface Server {
  port: number;
  db: string;
  log: string[];
  handle: StreamHandle;
}

/** A fresh migrated database in its own directory, and the server on it (its log kept). */
async function startServer(port: number, dir: string, prepare: (db: string) => Promise<void> | void): Promise<Server> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const db = path.join(dir, "switchyard.db");
  const r = await run(LOCAL, "node", [prismaJs, "migrate", "deploy"], { env: { ...e2eEnv, DATABASE_URL: `file:${db}` }, cwd: root, timeoutMs: 90_000 });
  expect(r.exitCode).toBe(0);
  await prepare(db);
  const log: string[] = [];
  // startStream passes this process's environment: set it for that moment
  const saved = { ...process.env };
  Object.assign(process.env, { ...e2eEnv, PORT: String(port), DATABASE_URL: `file:${db}`, SWITCHYARD_ADMIN_PASSWORD: "", SWITCHYARD_LAB_PREFIX: "hwa" });
  let handle: StreamHandle;
  try {
    handle = startStream(LOCAL, "node", [path.join(root, "server.mjs")], { onLine: (l) => log.push(l), onStderrLine: (l) => log.push(l) });
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  for (let i = 0; i < 240; i++) {
    const up = await raw(port, "GET", "/api/health", { host: `127.0.0.1:${port}` }).catch(() => null);
    if (up?.status === 200) return { port, db, log, handle };
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`the server on ${port} did not start:\n${log.join("\n")}`);
}

const loginFields = new Map<number, Record<string, string>>();

/** The login form posted as a browser without JavaScript does (its hidden fields read once per server). */
async function login(s: Server, username: string, password: string, from?: string, cookie?: string) {
  const host = `127.0.0.1:${s.port}`;
  if (!loginFields.has(s.port)) loginFields.set(s.port, hiddenFields((await raw(s.port, "GET", "/login", { host, accept: "text/html" })).body));
  const form = multipart({ ...loginFields.get(s.port), username, password });
  const started = performance.now();
  const answer = await raw(
    s.port,
    "POST",
    "/login",
    { host, origin: `http://${host}`, "content-type": form.contentType, accept: "text/html", ...(cookie ? { cookie } : {}) },
    form.body,
    from,
  );
  const ms = performance.now() - started;
  const set = [answer.headers["set-cookie"] ?? []]
    .flat()
    .find((c) => c.startsWith("swyd_session="))
    ?.split(";")[0];
  const outcome =
    answer.status === 303 && set
      ? "ok"
      : answer.body.includes("Too many failed logins")
        ? "locked"
        : answer.body.includes("Wrong user name or password.")
          ? "wrong"
          : `other ${answer.status}`;
  return { outcome, cookie: set, ms };
}

const query = <T>(db: string, sql: string, ...args: unknown[]) => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).get(...args) as T;
  } finally {
    d.close();
  }
};

test.describe("login hardening over HTTP (a server of its own)", { tag: "@any-backend" }, () => {
  const dir = path.join(root, "data", "hwa-switchyard");
  let s: Server;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    s = await startServer(3204, dir, async (db) => {
      // as the development install left it: a directory and a database anyone can read
      fs.chmodSync(dir, 0o755);
      fs.chmodSync(db, 0o644);
      const d = new Database(db);
      const ins = d.prepare('INSERT INTO "User" (username, "passwordHash") VALUES (?, ?)');
      ins.run("admin", await hashPassword("hwa-admin-password"));
      ins.run("ops", await hashPassword("hwa-ops-password"));
      d.close();
    });
  });
  test.afterAll(async () => {
    await s?.handle.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the server makes the data directory 0700 and the database 0600 at start", () => {
    expect(mode(dir)).toBe(0o700);
    expect(mode(s.db)).toBe(0o600);
    expect(s.log.join("\n")).toMatch(/chmod 0600 .*switchyard\.db/);
  });

  test("a flood from a locked address: the admin elsewhere logs in at once, and the audit log grows by two rows", async () => {
    test.setTimeout(120_000);
    const attacker = "127.0.0.40";
    const auditBefore = query<{ n: number }>(s.db, 'SELECT COUNT(*) AS n FROM "AuditEvent"').n;
    // locked first: 12 wrong at once
    const first = await Promise.all(Array.from({ length: 12 }, (_, i) => login(s, "admin", `wrong-${i}`, attacker)));
    expect(first.filter((a) => a.outcome === "wrong").length).toBeLessThanOrEqual(10);
    const quiet = await login(s, "admin", "hwa-admin-password", "127.0.0.1");
    // then a stream of guesses, 20 in flight at a time, while the admin logs in from the console 5 times
    let stop = false;
    let sent = 0;
    const outcomes: Record<string, number> = {};
    const flood = Array.from({ length: 20 }, async () => {
      while (!stop) {
        const a = await login(s, "admin", `flood-${sent++}`, attacker);
        outcomes[a.outcome] = (outcomes[a.outcome] ?? 0) + 1;
      }
    });
    const admin: number[] = [];
    await new Promise((res) => setTimeout(res, 1000));
    for (let i = 0; i < 5; i++) {
      const a = await login(s, "admin", "hwa-admin-password", "127.0.0.1");
      expect(a.outcome).toBe("ok");
      admin.push(Math.round(a.ms));
      await new Promise((res) => setTimeout(res, 300));
    }
    stop = true;
    await Promise.all(flood);
    console.log(
      `login flood: ${sent} guesses from a locked address (${JSON.stringify(outcomes)}); admin login from the console: ${admin.join(", ")} ms (quiet: ${Math.round(quiet.ms)} ms)`,
    );
    expect(outcomes.locked).toBe(sent);
    const rows = query<{ n: number }>(s.db, `SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "clientIp" = ?`, attacker).n;
    expect(rows).toBeLessThanOrEqual(2); // one burst of wrong passwords, one of refusals (before: one row per guess)
    const locked = query<{ after: string }>(s.db, `SELECT "after" FROM "AuditEvent" WHERE "clientIp" = ? AND action = 'login.locked'`, attacker);
    expect(JSON.parse(locked.after).attempts).toBe(sent + 12 - first.filter((a) => a.outcome === "wrong").length);
    expect(query<{ n: number }>(s.db, 'SELECT COUNT(*) AS n FROM "AuditEvent"').n - auditBefore).toBeLessThanOrEqual(2 + 6); // + the admin's 6 logins
  });

  test("30 addresses make at most 20 guesses at one account; the console still logs in", async () => {
    test.setTimeout(120_000);
    const answers = [];
    for (let round = 0; round < 3; round++) {
      answers.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => login(s, "ops", `guess-${round}-${i}`, `127.0.0.${100 + i}`)))));
    }
    const checked = answers.filter((a) => a.outcome === "wrong").length;
    console.log(`account budget: 30 addresses x 3 guesses -> ${checked} checked (before: 90)`);
    expect(checked).toBeLessThanOrEqual(20);
    expect((await login(s, "ops", "hwa-ops-password", "127.0.0.200")).outcome).toBe("locked");
    expect((await login(s, "ops", "hwa-ops-password", "127.0.0.1")).outcome).toBe("ok");
  });

  test("logging in again ends the session of the cookie the browser sent; another device's stays", async () => {
    const host = `127.0.0.1:${s.port}`;
    const other = await login(s, "admin", "hwa-admin-password", "127.0.0.1");
    const first = await login(s, "admin", "hwa-admin-password", "127.0.0.1");
    const second = await login(s, "admin", "hwa-admin-password", "127.0.0.1", first.cookie);
    expect(first.cookie && second.cookie && other.cookie).toBeTruthy();
    const status = async (cookie: string) => (await raw(s.port, "GET", "/api/kernel", { host, cookie })).status;
    expect(await status(first.cookie!)).toBe(401); // before: 200
    expect(await status(second.cookie!)).not.toBe(401);
    expect(await status(other.cookie!)).not.toBe(401);
  });
});

test.describe("a setup token planted before the server starts (a server of its own)", { tag: "@any-backend" }, () => {
  const dir = path.join(root, "data", "hwp-switchyard");
  let s: Server;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    s = await startServer(3205, dir, (db) => {
      // a world-writable database directory, and another user's token file in it first
      fs.chmodSync(dir, 0o777);
      fs.writeFileSync(`${db}.setup-token`, "planted-by-someone-else-0123\n", { mode: 0o600 });
      fs.chownSync(`${db}.setup-token`, 65534, 65534);
    });
  });
  test.afterAll(async () => {
    await s?.handle.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("is refused: the log and the setup page say why", async () => {
    const host = `127.0.0.1:${s.port}`;
    expect(s.log.join("\n")).toMatch(/setup token file .* was not made by this server \(it is owned by uid 65534/);
    expect(s.log.join("\n")).not.toContain("planted-by-someone-else");
    expect(mode(dir)).toBe(0o700);
    const page = await raw(s.port, "GET", "/setup", { host, accept: "text/html" });
    expect(page.body).toContain("Setup token refused");
    expect(page.body).toContain("delete the file and restart");
    expect(page.body).not.toContain('name="token"'); // no form to use it with (the action refuses it too: tests/unit/data-files.test.ts)
    expect(query<{ n: number }>(s.db, 'SELECT COUNT(*) AS n FROM "User"').n).toBe(0);
  });
});
