// `switchyard install` into a temporary root (--root, no systemctl): an install of an older
// version (one migration left out), the data it holds, then an upgrade from this
// checkout that keeps the database and runs the missing migration, the installed units verified
// by systemd-analyze, the installed CLI working on the installed database, and uninstall
// (data kept) and --purge (data gone). node_modules is linked, not copied, to keep it quick.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { install, uninstall } from "@/lib/install/install";
import { UNIT_NAMES } from "@/lib/install/units";
import { HOST, run } from "@/lib/net/exec";
import { repoRoot, switchyard } from "../helpers/processes";

let tmp: string;
let root: string;
let oldSource: string;
const migrations = fs
  .readdirSync(path.join(repoRoot, "prisma/migrations"))
  .filter((m) => /^\d+_/.test(m))
  .sort();
// the older version is this checkout's code with one migration left out, so its code must run
// without it: the staged take over's table (only adopt uses it); the newer firewall column is
// read by every configuration load
const newest = migrations.find((m) => m.endsWith("_staged_takeover"))!;
const at = (p: string) => path.join(root, p);
const db = () => at("var/lib/switchyard/switchyard.db");
const applied = () => {
  const d = new Database(db(), { readonly: true });
  try {
    return (
      d.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name").all() as { migration_name: string }[]
    ).map((r) => r.migration_name);
  } finally {
    d.close();
  }
};
const installed = (args: string[]) => switchyard(args, { DATABASE_URL: `file:${db()}` });

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hi-install-"));
  root = path.join(tmp, "root");
  // the "older version": this checkout without that migration
  oldSource = path.join(tmp, "old");
  const skip = new Set(["node_modules", ".git", "data", ".next", "test-results", "playwright-report"]);
  fs.cpSync(repoRoot, oldSource, { recursive: true, filter: (s) => !skip.has(path.relative(repoRoot, s).split(path.sep)[0]) });
  fs.rmSync(path.join(oldSource, "prisma/migrations", newest), { recursive: true });
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(oldSource, "node_modules"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("install, upgrade, uninstall (into a temporary root)", () => {
  it("the CLI refuses a checkout that is not built, and says how", async () => {
    if (fs.existsSync(path.join(repoRoot, ".next/BUILD_ID"))) return; // built checkouts would really install
    const r = await switchyard(["install", "--root", root, "--no-start"], {});
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("scripts/setup.sh --install");
    expect(fs.existsSync(root)).toBe(false);
  });

  it("a first install: code, a new database with every migration of that version, settings, units; nothing started", async () => {
    const lines: string[] = [];
    const r = await install({ root, source: oldSource, start: true, requireBuild: false, log: (l) => lines.push(l) });
    expect(r).toMatchObject({ upgrade: false, started: false });
    expect(r.notStarted).toContain("not on this machine");
    expect(fs.existsSync(at("opt/switchyard/bin/switchyard.mjs"))).toBe(true);
    expect(fs.existsSync(at("opt/switchyard/data"))).toBe(false);
    expect(applied()).toEqual(migrations.filter((m) => m !== newest));
    expect(fs.statSync(at("var/lib/switchyard")).mode & 0o777).toBe(0o700);
    expect(fs.statSync(db()).mode & 0o777, "the password hash is the server's alone").toBe(0o600);
    expect(fs.readFileSync(at("etc/switchyard/switchyard.env"), "utf8")).toContain("HOST=127.0.0.1");
    expect(fs.existsSync(at("etc/iproute2/rt_tables.d"))).toBe(true);
    for (const u of UNIT_NAMES) expect(fs.existsSync(at(`etc/systemd/system/${u}`))).toBe(true);
  });

  it("the installed CLI works on the installed database", async () => {
    const imp = await installed(["config", "import", path.join(repoRoot, "tests/fixtures/classic-office.json")]);
    expect(imp.stderr).toBe("");
    expect(imp.exitCode).toBe(0);
    fs.appendFileSync(at("etc/switchyard/switchyard.env"), "HOST=192.168.1.1\n"); // the admin's edit
  });

  it("an upgrade keeps the database and the settings and runs the new migration", async () => {
    const r = await install({ root, source: repoRoot, start: false, requireBuild: false });
    expect(r).toMatchObject({ upgrade: true, started: false, reusedModules: true });
    expect(applied()).toEqual(migrations);
    expect(fs.existsSync(path.join(at("opt/switchyard/prisma/migrations"), newest))).toBe(true);
    expect(fs.existsSync(`${db()}.pre-upgrade`)).toBe(true);
    for (const f of [db(), `${db()}.pre-upgrade`]) expect(fs.statSync(f).mode & 0o777, f).toBe(0o600);
    const d = new Database(db(), { readonly: true });
    expect(d.prepare("SELECT name FROM Isp ORDER BY name").all()).toEqual([{ name: "ISP1" }, { name: "ISP2" }]);
    d.close();
    expect(fs.readFileSync(at("etc/switchyard/switchyard.env"), "utf8")).toContain("HOST=192.168.1.1");
  });

  it("the installed units pass systemd-analyze verify", async () => {
    const v = await run(HOST, "systemd-analyze", ["verify", "--man=no", ...UNIT_NAMES.map((u) => at(`etc/systemd/system/${u}`))], {
      allowFailure: true,
      timeoutMs: 30_000,
    });
    expect(v.stderr).toBe("");
    expect(v.exitCode).toBe(0);
  });

  it("uninstall removes the units and the code, keeps the data; --purge removes it", async () => {
    const r = await uninstall({ root, start: false, purge: false });
    expect(fs.existsSync(at("opt/switchyard"))).toBe(false);
    for (const u of UNIT_NAMES) expect(fs.existsSync(at(`etc/systemd/system/${u}`))).toBe(false);
    expect(fs.existsSync(db())).toBe(true);
    expect(r.kept).toContain(at("var/lib/switchyard"));
    await uninstall({ root, start: false, purge: true });
    expect(fs.existsSync(at("var/lib/switchyard"))).toBe(false);
    expect(fs.existsSync(at("etc/switchyard"))).toBe(false);
  });
});
