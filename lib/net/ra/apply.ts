// Router advertisements as owned state (docs/ipv6.md): Switchyard's own radvd instance per
// target, with its own config and pid file in the data directory (never /etc/radvd.conf: that is
// the box's own radvd, Debian's unit, which Switchyard leaves alone and reports as foreign).
// - on: the rendered file is checked by `radvd --configtest`, then swapped in (temp + rename);
//   radvd is started if not running (in the target's namespace), else sent SIGHUP if the file
//   changed: it rereads it and advertises at once;
// - off (or no LAN /64): our radvd is stopped (SIGTERM: it sends a last RA with router lifetime 0)
//   and its file removed;
// - the snapshot taken before (file and whether ours ran) is what a rollback puts back.
import fs from "node:fs";
import path from "node:path";
import { databaseFile, databaseUrl } from "@/lib/db-url";
import type { GatewayConfig } from "@/lib/model";
import { HOST, run, type Target } from "@/lib/net/exec";
import { raInterfaces, renderRadvdConf } from "./render";
import { foreignRaDaemons, raClashes, type ForeignRa } from "./foreign";

export interface RaSnapshot {
  /** our radvd.conf as it was (null: none) */
  conf: string | null;
  /** was our radvd running */
  running: boolean;
}

/** Where Switchyard keeps its radvd files: <data dir>/ra (writable under the installed units' sandbox). */
export const raDir = () => path.join(path.dirname(databaseFile(databaseUrl())), "ra");
const key = (t: Target) => (t.kind === "host" ? "host" : `netns-${t.name}`);
export const raFiles = (t: Target, dir = raDir()) => ({ conf: path.join(dir, `radvd-${key(t)}.conf`), pid: path.join(dir, `radvd-${key(t)}.pid`) });

const readOr = (file: string) => {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
};

/** Our radvd's pid: the pid file's, if that process is a radvd running our config file. */
export function ourRadvdPid(t: Target): number | null {
  const files = raFiles(t);
  const pid = Number(readOr(files.pid)?.trim());
  if (!Number.isInteger(pid) || pid <= 1) return null;
  const argv = (readOr(`/proc/${pid}/cmdline`) ?? "").split("\0");
  return path.basename(argv[0] ?? "") === "radvd" && argv.includes(files.conf) ? pid : null;
}

export function raSnapshot(t: Target): RaSnapshot {
  return { conf: readOr(raFiles(t).conf), running: ourRadvdPid(t) !== null };
}

/** radvd's own check of a config file: null when it is accepted, else what radvd said. */
export async function radvdConfTest(t: Target, file: string): Promise<string | null> {
  const r = await run(t, "radvd", ["--configtest", "--logmethod", "stderr", "--config", file], { allowFailure: true });
  if (r.exitCode === 0) return null;
  return (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-3).join("; ");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  for (let waited = 0; waited <= ms; waited += 50) {
    if (cond()) return true;
    await sleep(50);
  }
  return false;
}

async function stopOurs(t: Target): Promise<boolean> {
  const pid = ourRadvdPid(t);
  if (pid === null) return false;
  await run(HOST, "kill", ["-TERM", String(pid)], { allowFailure: true });
  if (!(await waitFor(() => !fs.existsSync(`/proc/${pid}`) || ourRadvdPid(t) === null, 3000))) {
    await run(HOST, "kill", ["-KILL", String(pid)], { allowFailure: true });
  }
  return true;
}

async function startOurs(t: Target): Promise<void> {
  const files = raFiles(t);
  fs.rmSync(files.pid, { force: true });
  // radvd forks: the call returns once the daemon is set up; it writes its pid file
  await run(t, "radvd", ["--config", files.conf, "--pidfile", files.pid, "--logmethod", "syslog"]);
  if (!(await waitFor(() => ourRadvdPid(t) !== null, 3000))) throw new Error(`radvd did not start with ${files.conf} (see the system log)`);
}

/** Write our file atomically, after radvd accepted it. */
async function swapIn(t: Target, text: string): Promise<void> {
  const files = raFiles(t);
  fs.mkdirSync(path.dirname(files.conf), { recursive: true, mode: 0o700 });
  const temp = `${files.conf}.new`;
  fs.writeFileSync(temp, text, { mode: 0o600 });
  const problem = await radvdConfTest(t, temp);
  if (problem) {
    fs.rmSync(temp, { force: true });
    throw new Error(`radvd refuses the rendered configuration: ${problem}`);
  }
  fs.renameSync(temp, files.conf);
}

/** Make our radvd match `conf` (null: stopped, no file); a detail line. */
async function converge(t: Target, conf: string | null, current: RaSnapshot): Promise<string> {
  const files = raFiles(t);
  if (conf === null) {
    const stopped = await stopOurs(t);
    fs.rmSync(files.conf, { force: true });
    fs.rmSync(files.pid, { force: true });
    return stopped ? "Switchyard's radvd stopped" : "";
  }
  if (conf === current.conf && current.running) return "router advertisements unchanged";
  if (conf !== current.conf) await swapIn(t, conf);
  const pid = ourRadvdPid(t);
  if (pid !== null) {
    await run(HOST, "kill", ["-HUP", String(pid)]);
    return "radvd reloaded";
  }
  await startOurs(t);
  return "radvd started";
}

const foreignWords = (f: ForeignRa) => `${f.daemon} (pid ${f.pid}) sends router advertisements on ${f.interfaces?.join(", ") ?? "its interfaces"}`;

/** Is there anything to do or say: RA on, ours running, or a LAN /64 a foreign daemon may advertise. */
export const raRelevant = (config: GatewayConfig | undefined, t: Target): boolean =>
  Boolean(config?.settings.ra?.enabled) ||
  ourRadvdPid(t) !== null ||
  fs.existsSync(raFiles(t).conf) ||
  Boolean(config && [config.settings.lanSubnets6, ...(config.settings.lans ?? []).map((l) => l.subnets6)].some((s) => s?.length));

/**
 * The apply's "ra" step: our radvd made to match the configuration (its ISPs' health included:
 * a down ISP's /64 deprecated). Refuses to advertise on an interface a foreign RA daemon serves;
 * with RA off, says what a foreign one means (Switchyard cannot deprecate a down ISP's prefix).
 */
export async function applyRa(t: Target, config: GatewayConfig, current: RaSnapshot): Promise<string> {
  const conf = renderRadvdConf(config);
  const foreign = await foreignRaDaemons(t, raFiles(t).conf);
  const notes: string[] = [];
  if (conf !== null) {
    const clashes = raClashes(
      foreign,
      raInterfaces(config).map((i) => i.interface),
    );
    if (clashes.length)
      throw new Error(
        `${clashes.map(foreignWords).join("; ")}: Switchyard does not start its own radvd beside it (two routers advertising the same LAN); stop it, or turn Switchyard's router advertisements off`,
      );
  } else {
    for (const f of foreign) notes.push(`${foreignWords(f)}: Switchyard does not control it, a down ISP's prefix is not deprecated`);
  }
  const done = await converge(t, conf, current);
  const parts = [done, ...notes].filter(Boolean);
  return parts.join("; ") || (conf === null ? "router advertisements off" : "");
}

/** A rollback: our file and process as in the snapshot; what still differs, one line each. */
export async function restoreRa(t: Target, snapshot: RaSnapshot): Promise<string[]> {
  try {
    const now = raSnapshot(t);
    if (now.conf === snapshot.conf && now.running === snapshot.running) return [];
    if (snapshot.conf === null || !snapshot.running) {
      await stopOurs(t);
      if (snapshot.conf === null) fs.rmSync(raFiles(t).conf, { force: true });
      else await swapIn(t, snapshot.conf);
      return [];
    }
    await converge(t, snapshot.conf, now);
    return [];
  } catch (e) {
    return [`router advertisements not restored: ${e instanceof Error ? e.message : e}`];
  }
}
