// What a long host list costs the web UI (docs/benchmarks.md, "Long host lists"): a temporary
// database with N hosts (the schema's maximum is 10,000) and a revision that applied them, the
// production server (node server.mjs after `next build`) on its own port, and over HTTP:
// - each page's size in bytes and its time (median of --runs), as one logged-in user;
// - another user's light page (/settings) alone, then while the first user loads the heavy
//   pages four at a time: how long one user's list holds up everybody else.
// No lab, no kernel: SWITCHYARD_TARGET=lab with a prefix that has no namespaces (the pages read
// no kernel state; the board's live parts poll from the browser, which is not here).
//   npm run bench:pages -- [--hosts 10000] [--runs 3] [--port 3207] [--app DIR] [--json]
// --app: the checkout whose server.mjs and .next build to measure (default: this one), e.g. an
// export of an older commit with its build, for a before/after figure.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { HOST, run, spawnDetached } from "@/lib/net/exec";
import { hiddenFields, multipart, raw } from "../e2e/http";
import { benchConfig } from "./bench-config";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const N = Number(arg("hosts", "10000"));
const RUNS = Number(arg("runs", "3"));
const PORT = Number(arg("port", "3207"));
const root = path.resolve(import.meta.dirname, "..");
const app = path.resolve(arg("app", root));
const json = process.argv.includes("--json");
const PASSWORD = "bench-pages-password";
const host = `127.0.0.1:${PORT}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function get(p: string, cookie: string): Promise<{ status: number; bytes: number; ms: number }> {
  const t = performance.now();
  const r = await raw(PORT, "GET", p, { host, cookie, accept: "text/html" });
  return { status: r.status, bytes: Buffer.byteLength(r.body), ms: performance.now() - t };
}

async function login(from: string): Promise<string> {
  const page = await raw(PORT, "GET", "/login", { host, accept: "text/html" }, "", from);
  const form = multipart({ ...hiddenFields(page.body), username: "admin", password: PASSWORD });
  const r = await raw(PORT, "POST", "/login", { host, origin: `http://${host}`, "content-type": form.contentType, accept: "text/html" }, form.body, from);
  const cookie = [r.headers["set-cookie"] ?? []]
    .flat()
    .find((c) => c.startsWith("swyd_session="))
    ?.split(";")[0];
  if (!cookie) throw new Error(`login failed (${r.status})`);
  return cookie;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pages-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  let pid = -1;
  try {
    await run(HOST, "node", [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
      env: { DATABASE_URL: url },
      cwd: root,
      timeoutMs: 120_000,
    });
    process.env.DATABASE_URL = url;
    const { db } = await import("@/lib/db");
    const { replaceConfig } = await import("@/lib/data/config");
    const { createUser } = await import("@/lib/auth/users");
    const config = benchConfig(N);
    const r = await replaceConfig(config);
    if (!r.ok) throw new Error("the bench configuration was refused");
    await createUser("admin", PASSWORD);
    // the board shows what the last apply did: a revision that applied exactly this configuration
    await db.revision.create({
      data: { actor: "bench", source: "cli", target: "lab bench", config: JSON.stringify(config), ruleset: "", plan: "[]", result: "applied", durationMs: 1 },
    });
    await db.$disconnect();

    // Next serves the build of its working directory: the server's own checkout
    const cwd = process.cwd();
    process.chdir(app);
    const saved = { ...process.env };
    Object.assign(process.env, {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(PORT),
      DATABASE_URL: url,
      SWITCHYARD_TARGET: "lab",
      SWITCHYARD_LAB_PREFIX: "hbp",
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
    });
    try {
      pid = spawnDetached(HOST, "node", [path.join(app, "server.mjs")]);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      process.chdir(cwd);
    }
    for (let i = 0; ; i++) {
      const up = await raw(PORT, "GET", "/api/health", { host }).catch(() => null);
      if (up?.status === 200) break;
      if (i > 240) throw new Error("the server did not start");
      await new Promise((res) => setTimeout(res, 500));
    }
    const [heavyUser, otherUser] = [await login("127.0.0.31"), await login("127.0.0.32")];

    const pages = ["/hosts", "/", "/hosts?q=host-99", "/hosts?page=50"];
    const rows: { page: string; status: number; bytes: number; ms: number }[] = [];
    for (const p of pages) {
      await get(p, heavyUser); // warm-up: Next compiles nothing, but the first render fills caches
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await get(p, heavyUser));
      rows.push({ page: p, status: runs[0].status, bytes: runs[0].bytes, ms: median(runs.map((x) => x.ms)) });
    }

    // another user's light page, alone and while the first user loads /hosts and / twice each at once
    const alone: number[] = [];
    for (let i = 0; i < 5; i++) alone.push((await get("/settings", otherUser)).ms);
    const busy: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const heavy = Promise.all(["/hosts", "/", "/hosts", "/"].map((p) => get(p, heavyUser)));
      await new Promise((res) => setTimeout(res, 50));
      busy.push((await get("/settings", otherUser)).ms);
      await heavy;
    }
    const result = {
      hosts: N,
      runs: RUNS,
      app,
      pages: rows,
      otherUser: { aloneMs: median(alone), whileHeavyMs: median(busy), whileHeavyMaxMs: Math.max(...busy) },
    };
    if (json) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    console.log(`${N} hosts, median of ${RUNS} runs, server ${app}\n`);
    console.log("| page | status | size | time (median) |\n|---|---:|---:|---:|");
    for (const x of rows) console.log(`| \`${x.page}\` | ${x.status} | ${(x.bytes / 1024).toFixed(0)} KiB | ${x.ms.toFixed(0)} ms |`);
    console.log(
      `\nAnother user's /settings: ${result.otherUser.aloneMs.toFixed(0)} ms alone, ${result.otherUser.whileHeavyMs.toFixed(0)} ms (max ${result.otherUser.whileHeavyMaxMs.toFixed(0)} ms) while the first user loads /hosts and / four at a time.`,
    );
  } finally {
    if (pid > 0) process.kill(pid, "SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
