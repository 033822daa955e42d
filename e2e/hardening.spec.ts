// Issue 20's hardening items over HTTP, as the attack run sent them, against a second production
// server on a database of its own (250 hosts, so that lists have pages): long lists paged, page
// parameters that are not pages, request bodies past the ceiling, ?saved= with a link's words.
// Nothing here touches the shared e2e database or the lab.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { test, expect } from "./fixtures";
import { hiddenFields, multipart, raw } from "./http";
import { HOST as LOCAL, run, spawnDetached } from "../lib/net/exec";
import { e2eEnv } from "../playwright.config";

const port = 3208;
const host = `127.0.0.1:${port}`;
const root = path.resolve(import.meta.dirname, "..");
const db = path.join(root, "data", "hwh-hardening.db");
const url = `file:${db}`;
const PASSWORD = "hardening-password";
const HOSTS = 250; // besides the seed's two
let pid = -1;
let cookie = "";

const get = (p: string, headers: Record<string, string> = {}) => raw(port, "GET", p, { host, cookie, accept: "text/html", ...headers });
const post = (p: string, headers: Record<string, string>, body: string | Buffer) =>
  raw(port, "POST", p, { host, origin: `http://${host}`, cookie, ...headers }, body);

test.describe("hardening over HTTP (a second server, 252 hosts)", { tag: "@any-backend" }, () => {
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    for (const f of [db, `${db}-journal`, `${db}.setup-token`]) fs.rmSync(f, { force: true });
    const env = { ...e2eEnv, DATABASE_URL: url, SWITCHYARD_ADMIN_PASSWORD: PASSWORD };
    await run(LOCAL, "node", [path.join(root, "node_modules", "prisma", "build", "index.js"), "migrate", "deploy"], { env, cwd: root, timeoutMs: 60_000 });
    await run(LOCAL, "node", [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "prisma/seed.ts"], { env, cwd: root, timeoutMs: 60_000 });
    // hosts straight into the table (a valid configuration: the LAN widened to hold them)
    const d = new Database(db);
    d.prepare(`UPDATE "Settings" SET "lanSubnets" = '192.168.0.1/16'`).run();
    const add = d.prepare(
      `INSERT INTO "Host" ("name", "address", "ispId", "notes", "createdAt", "updatedAt") SELECT ?, ?, "ispId", '', "createdAt", "updatedAt" FROM "Host" WHERE "name" = 'office-pc'`,
    );
    d.transaction(() => {
      for (let i = 0; i < HOSTS; i++) add.run(`h-${String(i).padStart(4, "0")}`, `192.168.${2 + Math.floor(i / 200)}.${1 + (i % 200)}`);
    })();
    d.close();
    const saved = { ...process.env };
    Object.assign(process.env, { ...e2eEnv, PORT: String(port), DATABASE_URL: url, SWITCHYARD_LAB_PREFIX: "hwh" });
    try {
      pid = spawnDetached(LOCAL, "node", [path.join(root, "server.mjs")]);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    for (let i = 0; i < 120; i++) {
      const up = await raw(port, "GET", "/api/health", { host }).catch(() => null);
      if (up?.status === 200) break;
      if (i === 119) throw new Error("the hardening server did not start");
      await new Promise((r) => setTimeout(r, 500));
    }
    const page = await raw(port, "GET", "/login", { host, accept: "text/html" });
    const form = multipart({ ...hiddenFields(page.body), username: "admin", password: PASSWORD });
    const answer = await raw(port, "POST", "/login", { host, origin: `http://${host}`, "content-type": form.contentType, accept: "text/html" }, form.body);
    cookie =
      [answer.headers["set-cookie"] ?? []]
        .flat()
        .find((c) => c.startsWith("swyd_session="))
        ?.split(";")[0] ?? "";
    expect(cookie, "logged in").not.toBe("");
  });
  test.afterAll(() => {
    if (pid > 0) process.kill(pid, "SIGTERM");
    for (const f of [db, `${db}-journal`, `${db}.setup-token`]) fs.rmSync(f, { force: true });
  });

  const hostLinks = (html: string) => new Set([...html.matchAll(/href="\/hosts\/(\d+)"/g)].map((m) => m[1])).size;

  test("the Hosts page shows 100 hosts a page, the search covers every host", async () => {
    const first = await get("/hosts");
    expect(first.status).toBe(200);
    expect(hostLinks(first.body)).toBe(100);
    expect(first.body).toContain("hosts 1-100 of 252");
    expect(first.body).toMatch(/Page 1 of 3/);
    const last = await get("/hosts?page=3");
    expect(hostLinks(last.body)).toBe(52);
    expect(last.body).toContain("h-0249");
    // a host on the last page is found from the first
    const found = await get("/hosts?q=h-0249");
    expect(hostLinks(found.body)).toBe(1);
    expect(found.body).toContain("1 of 252 hosts match");
    // past the last page: the last, said so
    const past = await get("/hosts?page=9");
    expect(past.status).toBe(200);
    expect(past.body).toContain("There is no page 9: showing the last, page 3.");
  });

  test("the board carries one page of hosts, its columns count every host", async () => {
    const board = await get("/");
    expect(board.status).toBe(200);
    const names = new Set([...board.body.matchAll(/h-\d{4}/g)].map((m) => m[0]));
    expect(names.size).toBeLessThanOrEqual(200);
    expect(board.body).toContain("hosts 1-200 of 252");
    // the 250 added hosts are ISP1's like office-pc: the column says 251 of them, though the page shows fewer
    expect(board.body).toMatch(/251<!-- --> <!-- -->hosts|251 hosts/);
    const page2 = await get("/?page=2");
    expect(page2.body).toContain("h-0249");
    const found = await get("/?q=h-0249");
    expect(found.body).toContain("1 of 252 hosts match");
  });

  test("page parameters that are not pages are answered, never with a 500", async () => {
    for (const p of ["/history", "/audit"]) {
      for (const [q, says] of [
        ["99999999999999999999", "There is no page “99999999999999999999”"],
        ["-1", "There is no page “-1”"],
        ["1e3", "There is no page “1e3”"],
        ["abc", "There is no page “abc”"],
        ["2.5", "There is no page “2.5”"],
        ["999999", "There is no page 999999: showing the last, page 1."],
      ]) {
        const r = await get(`${p}?page=${encodeURIComponent(q)}`);
        expect(r.status, `${p}?page=${q}`).toBe(200);
        expect(r.body, `${p}?page=${q}`).toContain(says);
      }
      expect((await get(`${p}?page=1&page=2`)).status).toBe(200);
    }
  });

  test("request bodies past the ceiling are refused with 413, before an apply or an action runs", async () => {
    const revisions = () => {
      const d = new Database(db, { readonly: true });
      const n = (d.prepare('SELECT COUNT(*) AS n FROM "Revision"').get() as { n: number }).n;
      d.close();
      return n;
    };
    const before = revisions();
    // a declared length over 256 KiB: refused by the gate, nothing read
    const big = Buffer.alloc(300 * 1024, "a");
    const declared = await post("/api/apply", { "content-type": "application/json" }, big);
    expect(declared.status).toBe(413);
    expect(declared.body).toContain("too large");
    // under the server's ceiling but over /api/apply's own (a comment is at most 500 characters)
    const over = await post("/api/apply", { "content-type": "application/json" }, JSON.stringify({ comment: "x".repeat(20_000) }));
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body).error).toContain("too large");
    // no length declared (chunked): refused before a byte is read
    const chunked = await post("/api/apply", { "content-type": "application/json", "transfer-encoding": "chunked" }, "{}");
    expect(chunked.status).toBe(411);
    // a server action (the Add host form, posted as a browser without JavaScript does) with a 300 KB note
    const formPage = await get("/hosts/new");
    const form = multipart({ ...hiddenFields(formPage.body), name: "big", address: "192.168.9.9", notes: "a".repeat(300 * 1024) });
    const action = await post("/hosts/new", { "content-type": form.contentType, accept: "text/html" }, form.body);
    expect(action.status).toBe(413);
    const actionChunked = await post("/hosts/new", { "content-type": form.contentType, accept: "text/html", "transfer-encoding": "chunked" }, form.body);
    expect(actionChunked.status).toBe(411);
    expect(revisions()).toBe(before);
    // a small body is still read: a wrong one gets its 400, not a 413
    const small = await post("/api/apply", { "content-type": "application/json" }, '{"nonsense":1}');
    expect(small.status).toBe(400);
  });

  test("?saved= shows only the fixed notice of a known key, never a link's words", async () => {
    const lure = "Your session expired, call 555-0100 to restore access";
    // the page's address is in its router state (the RSC payload) as any address is; the notices are what a user reads
    const notices = (html: string) => [...html.matchAll(/<p role="status"[^>]*>(.*?)<\/p>/g)].map((m) => m[1].replace(/<[^>]+>/g, ""));
    const r = await get(`/hosts?saved=${encodeURIComponent(lure)}`);
    expect(r.status).toBe(200);
    expect(notices(r.body).join(" ")).not.toContain("555-0100");
    expect(notices(r.body).join(" ")).not.toContain("Saved");
    const ok = await get("/hosts?saved=1");
    expect(notices(ok.body).join(" ")).toContain("Saved host.");
    for (const p of ["/isps?saved=ISP1%20is%20compromised", "/nat?saved=x", "/settings?saved=2"])
      expect(notices((await get(p)).body).join(" "), p).not.toMatch(/Saved|compromised/);
  });
});

test.describe("no console error and no CSP violation (Chromium, the e2e server)", { tag: "@any-backend" }, () => {
  /** the first id of each kind in the e2e database, for the edit forms */
  function firstIds() {
    const d = new Database(path.join(root, "data", "e2e.db"), { readonly: true });
    const one = (sql: string) => (d.prepare(sql).get() as { id: number } | undefined)?.id;
    const ids = {
      isp: one('SELECT id FROM "Isp" ORDER BY id LIMIT 1'),
      host: one('SELECT id FROM "Host" ORDER BY id LIMIT 1'),
      nat: one('SELECT id FROM "NatAddress" ORDER BY id LIMIT 1'),
    };
    d.close();
    return ids;
  }

  test("the form pages and the dashboard hydrate without a hydration error or a blocked eval", async ({ loggedIn: page }) => {
    test.setTimeout(120_000);
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`${page.url()}: console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`${page.url()}: page error: ${e.message}`));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        (window as unknown as { cspViolations?: string[] }).cspViolations ??= [];
        (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    const ids = firstIds();
    const pages = [
      "/",
      "/isps/new",
      `/isps/${ids.isp}`,
      "/hosts/new",
      `/hosts/${ids.host}`,
      "/nat/new",
      `/nat/${ids.nat}`,
      "/policies/new",
      "/settings",
      "/account",
      "/hosts",
      "/history",
      "/audit",
    ];
    for (const p of pages) {
      await page.goto(p);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      // a form validates at the field as one types: zod parses in the browser
      const name = page.getByLabel("Name", { exact: true });
      if (await name.count()) {
        await name.first().fill("bad name!");
        await name.first().blur();
      }
      await page.waitForTimeout(1500); // hydration, the first polls, a relative time ticking in
      const csp = await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
      for (const v of csp) problems.push(`${p}: CSP violation: ${v}`);
    }
    expect(problems).toEqual([]);
  });
});
