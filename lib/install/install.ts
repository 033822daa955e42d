// `switchyard install` / `uninstall` (scripts/setup.sh --install runs it after building):
// Switchyard as a service on a real router.
//   code      <root>/opt/switchyard             replaced whole on every install (staged, then swapped)
//   data      <root>/var/lib/switchyard         the SQLite database, the setup token, log/
//   settings  <root>/etc/switchyard/switchyard.env   written once, then the admin's
//   units     <root>/etc/systemd/system/switchyard{,-monitor,-apply}.service
// Running it again is the upgrade: new code, the database kept (a copy beside it first) and
// migrated (`prisma migrate deploy`). `--root DIR` stages everything under DIR instead of /
// (tests, packaging); systemctl is only called for the real root, and only when systemd runs.
import fs from "node:fs";
import path from "node:path";
import { HOST, run } from "@/lib/net/exec";
import { secureDataFiles } from "@/lib/data-files";
import { DEFAULT_PATHS, UNIT_NAMES, databaseFileOf, envFile, envFileText, logDir, renderUnits, type InstallPaths } from "./units";

export interface InstallOptions {
  /** "/" for this machine, else a staging directory */
  root: string;
  /** the checkout to install from (built: .next, node_modules, lib/generated) */
  source: string;
  /** enable and (re)start the units; only for root "/" with systemd running */
  start: boolean;
  paths?: Partial<InstallPaths>;
  log?: (line: string) => void;
  /** refuse a checkout without a production build (default true) */
  requireBuild?: boolean;
}

export interface InstallResult {
  upgrade: boolean;
  appDir: string;
  database: string;
  units: string[];
  started: boolean;
  /** why the units were not started, when they were not */
  notStarted?: string;
  reusedModules: boolean;
}

// not copied: history, local data, build cache, test output
const SKIP_TOP = new Set([".git", "data", "test-results", "playwright-report", "node_modules", ".env"]);
const SKIP_PATHS = new Set([".next/cache"]);
const RT_TABLES_D = "/etc/iproute2/rt_tables.d";

/** PID 1 is systemd (the check sd_booted() makes). */
export const systemdRunning = () => fs.existsSync("/run/systemd/system");

const under = (root: string, p: string) => path.join(root, p);

function resolvePaths(opts: Pick<InstallOptions, "paths">): InstallPaths {
  return { ...DEFAULT_PATHS, node: process.execPath, ...opts.paths };
}

function checkRoot(root: string) {
  if (!path.isAbsolute(root)) throw new Error(`--root must be an absolute path, not ${root}`);
  if (path.resolve(root) === "/" && process.getuid?.() !== 0) throw new Error("installing on this machine needs root (sudo)");
}

/** Why the units cannot be started, or null when they can. */
function startRefusal(root: string): string | null {
  if (path.resolve(root) !== "/") return `installed under ${root}, not on this machine`;
  if (!systemdRunning()) return "systemd is not running here (PID 1 is not systemd)";
  return null;
}

function checkSource(source: string, requireBuild: boolean) {
  const need = ["package.json", "bin/switchyard.mjs", "server.mjs", "node_modules/prisma/build/index.js", "lib/generated"];
  if (requireBuild) need.push(".next/BUILD_ID");
  const missing = need.filter((f) => !fs.existsSync(path.join(source, f)));
  if (missing.length)
    throw new Error(`${source} is not ready to install (missing ${missing.join(", ")}): run \`sudo bash scripts/setup.sh --install\`, which builds it first`);
}

const sameFile = (a: string, b: string) => fs.existsSync(a) && fs.existsSync(b) && fs.readFileSync(a).equals(fs.readFileSync(b));

/** The code: staged beside the old one, then swapped in; node_modules moved over when the lock file is unchanged. */
function installCode(source: string, appDir: string): { reusedModules: boolean } {
  const stage = `${appDir}.new`;
  const old = `${appDir}.old`;
  fs.rmSync(stage, { recursive: true, force: true });
  fs.rmSync(old, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(appDir), { recursive: true });
  fs.cpSync(source, stage, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => {
      const rel = path.relative(source, src);
      return !SKIP_TOP.has(rel.split(path.sep)[0]) && !SKIP_PATHS.has(rel);
    },
  });
  const reuse = sameFile(path.join(source, "package-lock.json"), path.join(appDir, "package-lock.json")) && fs.existsSync(path.join(appDir, "node_modules"));
  if (reuse) fs.renameSync(path.join(appDir, "node_modules"), path.join(stage, "node_modules"));
  else fs.cpSync(path.join(source, "node_modules"), path.join(stage, "node_modules"), { recursive: true, verbatimSymlinks: true });
  fs.chmodSync(stage, 0o755);
  if (fs.existsSync(appDir)) fs.renameSync(appDir, old);
  fs.renameSync(stage, appDir);
  fs.rmSync(old, { recursive: true, force: true });
  return { reusedModules: reuse };
}

/** `prisma migrate deploy` of the installed code on the installed database (created when new). */
async function migrate(appDir: string, dbFile: string) {
  const r = await run(HOST, "node", [path.join(appDir, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    cwd: appDir,
    env: { DATABASE_URL: `file:${dbFile}`, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    allowFailure: true,
    timeoutMs: 180_000,
  });
  if (r.exitCode !== 0)
    throw new Error(
      `the database migration failed (the copy from before is ${dbFile}.pre-upgrade): ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join("; ")}`,
    );
}

export async function install(opts: InstallOptions): Promise<InstallResult> {
  const log = opts.log ?? (() => undefined);
  checkRoot(opts.root);
  checkSource(opts.source, opts.requireBuild ?? true);
  const p = resolvePaths(opts);
  if (/^\/(home|root)\//.test(p.node)) throw new Error(`node is ${p.node}: the units' ProtectHome hides it; install Debian's nodejs (or node in /usr/local)`);
  const at = (x: string) => under(opts.root, x);
  const appDir = at(p.appDir);
  const dbFile = at(databaseFileOf(p));
  const upgrade = fs.existsSync(dbFile);

  log(`code: ${opts.source} -> ${appDir}`);
  const { reusedModules } = installCode(opts.source, appDir);

  fs.mkdirSync(at(logDir(p)), { recursive: true, mode: 0o700 });
  fs.chmodSync(at(p.dataDir), 0o700);
  fs.mkdirSync(at(RT_TABLES_D), { recursive: true, mode: 0o755 }); // a ReadWritePaths= entry must exist
  fs.mkdirSync(at(p.configDir), { recursive: true, mode: 0o755 });
  if (!fs.existsSync(at(envFile(p)))) {
    fs.writeFileSync(at(envFile(p)), envFileText(), { mode: 0o600 });
    log(`settings: ${at(envFile(p))} (listen address, allowed host names)`);
  } else log(`settings: ${at(envFile(p))} kept`);

  if (upgrade) fs.copyFileSync(dbFile, `${dbFile}.pre-upgrade`);
  log(`database: ${dbFile} (${upgrade ? "kept, migrating" : "new"})`);
  await migrate(appDir, dbFile);
  // the database holds the password hash: the directory 0700, the database and its copy 0600
  const secured = secureDataFiles(dbFile);
  if (secured.refused) throw new Error(secured.refused);
  for (const line of secured.fixed) log(line);

  const unitDir = at(p.unitDir);
  fs.mkdirSync(unitDir, { recursive: true });
  const units = renderUnits(p).map((u) => {
    const file = path.join(unitDir, u.name);
    fs.writeFileSync(file, u.text, { mode: 0o644 });
    return file;
  });
  log(`units: ${units.join(" ")}`);

  const refusal = opts.start ? startRefusal(opts.root) : "--no-start";
  if (refusal) {
    log(`not started (${refusal}): start them with \`systemctl enable --now ${UNIT_NAMES.join(" ")}\``);
    return { upgrade, appDir, database: dbFile, units, started: false, notStarted: refusal, reusedModules };
  }
  await run(HOST, "systemctl", ["daemon-reload"]);
  await run(HOST, "systemctl", ["enable", ...UNIT_NAMES]);
  // the boot apply runs at boot; the server and the monitor run now (restarted on an upgrade)
  await run(HOST, "systemctl", ["restart", "switchyard.service", "switchyard-monitor.service"], { timeoutMs: 60_000 });
  log("started switchyard.service and switchyard-monitor.service; switchyard-apply.service runs at boot");
  return { upgrade, appDir, database: dbFile, units, started: true, reusedModules };
}

export interface UninstallOptions {
  root: string;
  start: boolean;
  purge: boolean;
  paths?: Partial<InstallPaths>;
  log?: (line: string) => void;
}

/** Units and code go; the data and settings stay unless `purge`. The kernel keeps its current rules until the next reboot. */
export async function uninstall(opts: UninstallOptions): Promise<{ removed: string[]; kept: string[] }> {
  const log = opts.log ?? (() => undefined);
  checkRoot(opts.root);
  const p = resolvePaths(opts);
  const at = (x: string) => under(opts.root, x);
  const live = opts.start && !startRefusal(opts.root);
  if (live) await run(HOST, "systemctl", ["disable", "--now", ...UNIT_NAMES], { allowFailure: true, timeoutMs: 60_000 });
  const removed: string[] = [];
  const remove = (x: string) => {
    if (!fs.existsSync(x)) return;
    fs.rmSync(x, { recursive: true, force: true });
    removed.push(x);
  };
  for (const u of UNIT_NAMES) remove(path.join(at(p.unitDir), u));
  if (live) await run(HOST, "systemctl", ["daemon-reload"], { allowFailure: true });
  for (const d of [p.appDir, `${p.appDir}.new`, `${p.appDir}.old`]) remove(at(d));
  const data = [at(p.dataDir), at(p.configDir), at(`${RT_TABLES_D}/switchyard.conf`)];
  if (opts.purge) data.forEach(remove);
  const kept = opts.purge ? [] : data.filter((d) => fs.existsSync(d));
  for (const r of removed) log(`removed ${r}`);
  if (kept.length) log(`kept ${kept.join(" ")} (--purge removes them)`);
  return { removed, kept };
}
