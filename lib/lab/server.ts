// The test server in the inet namespace, and the clients that talk to it from LAN hosts.
// The server is a detached process: its pid lives in /run/switchyard/lab-<prefix>-echo.pid.
// Before trusting or killing a pid we check that it still is our echo-server.mjs (pids get
// reused) and, on labUp, that it runs in the current inet namespace: `ip netns del` only
// unmounts a namespace, so a server started in a deleted one would live on, unreachable.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { netns, run, spawnDetached } from "../net/exec";
import { ECHO_PORT, hostNamespace, inetNamespace, SERVER_ADDRESS, SINK_PORT } from "./topology";

const RUN_DIR = "/run/switchyard";
// Not `new URL("./echo-server.mjs", import.meta.url)`: Next's bundler turns that into a copied
// asset with a relative URL (fileURLToPath throws), and a copy's path would not match the
// cmdline of a server started by the CLI or the tests.
export const serverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "echo-server.mjs");
export const pidFile = (prefix: string) => `${RUN_DIR}/lab-${prefix}-echo.pid`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const readPid = (prefix: string): number | null => {
  try {
    const pid = Number(fs.readFileSync(pidFile(prefix), "utf8").trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
};
/** A live (not zombie: its cmdline is empty) process running our server script. */
const isOurServer = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(serverScript);
  } catch {
    return false;
  }
};
const inNamespace = (pid: number, ns: string) => {
  try {
    const a = fs.statSync(`/proc/${pid}/ns/net`);
    const b = fs.statSync(`/run/netns/${ns}`);
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
};

export function serverStatus(prefix: string): { pid: number | null; running: boolean } {
  const pid = readPid(prefix);
  return { pid, running: pid !== null && isOurServer(pid) && inNamespace(pid, inetNamespace(prefix)) };
}

export async function stopServer(prefix: string): Promise<void> {
  const pid = readPid(prefix);
  if (pid !== null && isOurServer(pid)) {
    process.kill(pid, "SIGTERM");
    for (let i = 0; i < 50 && isOurServer(pid); i++) await sleep(20);
    if (isOurServer(pid)) process.kill(pid, "SIGKILL");
  }
  fs.rmSync(pidFile(prefix), { force: true });
}

/** Does the server listen on this address (its --address)? */
const listensOn = (pid: number, address: string) => {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return argv[argv.indexOf("--address") + 1] === address;
  } catch {
    return false;
  }
};

/**
 * Start the server unless it already runs in the current inet namespace on `listen` (a
 * dual-stack lab's listens on "::", IPv4 and IPv6 alike). Returns its pid.
 */
export async function ensureServer(prefix: string, listen = SERVER_ADDRESS): Promise<number> {
  const status = serverStatus(prefix);
  if (status.running && listensOn(status.pid!, listen)) return status.pid!;
  await stopServer(prefix);
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const file = pidFile(prefix);
  const args = ["--address", listen, "--port", String(ECHO_PORT), "--sink-port", String(SINK_PORT), "--pidfile", file];
  const pid = spawnDetached(netns(inetNamespace(prefix)), "node", [serverScript, ...args]);
  // `ip netns exec` execs node in place, so the pid we got is the server's own
  for (let i = 0; i < 250; i++) {
    if (readPid(prefix) === pid) return pid;
    await sleep(20);
  }
  throw new Error(`lab: the test server in ${inetNamespace(prefix)} did not start (pid ${pid})`);
}

export type ProbeResult = { ok: true; seenAs: string } | { ok: false; error: string };

// openbsd nc: -n no DNS, -v say why a connect failed (stderr), -w connect and idle timeout (whole seconds), -N half-close on EOF.
async function nc(prefix: string, hostAddress: string, port: number, input: string, timeoutMs: number, halfClose: boolean) {
  const secs = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  const args = ["-n", "-v", "-w", secs, ...(halfClose ? ["-N"] : []), SERVER_ADDRESS, String(port)];
  try {
    return await run(netns(hostNamespace(prefix, hostAddress)), "nc", args, { input, allowFailure: true, timeoutMs: timeoutMs + 3000 });
  } catch (e) {
    return { exitCode: -1, stdout: "", stderr: (e as Error).message };
  }
}
const failure = (r: { exitCode: number; stderr: string }) =>
  r.stderr.trim() || (r.exitCode === 0 ? "the server closed without an answer" : `no answer (nc exited ${r.exitCode})`);

/** Connect from the host's namespace to the test server: which address did the internet see? */
export async function probeEgress(prefix: string, hostAddress: string, opts: { timeoutMs?: number } = {}): Promise<ProbeResult> {
  const r = await nc(prefix, hostAddress, ECHO_PORT, "", opts.timeoutMs ?? 2000, false);
  const seen = r.stdout.trim();
  if (r.exitCode === 0 && /^\d{1,3}(\.\d{1,3}){3}$/.test(seen)) return { ok: true, seenAs: seen };
  return { ok: false, error: failure(r) };
}

/** Push `bytes` bytes from the host to the sink port; the server answers how many it got. */
export async function sendTraffic(
  prefix: string,
  hostAddress: string,
  bytes: number,
  opts: { timeoutMs?: number } = {},
): Promise<{ ok: true; received: number } | { ok: false; error: string }> {
  const r = await nc(prefix, hostAddress, SINK_PORT, "x".repeat(bytes), opts.timeoutMs ?? 5000, true);
  const n = Number(r.stdout.trim());
  if (r.exitCode === 0 && r.stdout.trim() !== "" && Number.isInteger(n)) return { ok: true, received: n };
  return { ok: false, error: failure(r) };
}
