// The lab's DHCP: a server (busybox udhcpd) in a DHCP ISP's namespace and a client (udhcpc,
// with Debian's /etc/udhcpc/default.script, which sets the address and the default route)
// on the gateway's WAN. Both are detached processes; their pids live in
// /run/switchyard/lab-<prefix>-dhcp-<ns>-<dev>.pid and are checked against /proc before use.
// `ip netns exec` bind-mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf: the lab
// creates an empty one there, so the client's script never writes the machine's own.
import fs from "node:fs";
import { netns, spawnDetached } from "../net/exec";
import type { LabDhcpServer, LabTopology } from "./topology";

const RUN_DIR = "/run/switchyard";
export const CLIENT_SCRIPT = "/etc/udhcpc/default.script";
const base = (prefix: string, ns: string, dev: string) => `${RUN_DIR}/lab-${prefix}-dhcp-${ns}-${dev}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readPid(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}
/** Ours: alive, its command line names our file (config or pid file), and it runs in that namespace. */
function isOurs(pid: number, marker: string, ns: string): boolean {
  try {
    if (!fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(marker)) return false;
    const a = fs.statSync(`/proc/${pid}/ns/net`);
    const b = fs.statSync(`/run/netns/${ns}`);
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

async function stopPid(file: string, marker: string, ns: string) {
  const pid = readPid(file);
  if (pid !== null && isOurs(pid, marker, ns)) {
    process.kill(pid, "SIGTERM");
    for (let i = 0; i < 50 && isOurs(pid, marker, ns); i++) await sleep(20);
    if (isOurs(pid, marker, ns)) process.kill(pid, "SIGKILL");
  }
  fs.rmSync(file, { force: true });
}

function serverConfig(s: LabDhcpServer, leases: string): string {
  return [
    `start ${s.start}`,
    `end ${s.end}`,
    `interface ${s.dev}`,
    `lease_file ${leases}`,
    "min_lease 2",
    `option subnet ${s.netmask}`,
    `option router ${s.router}`,
    `option lease ${s.leaseSeconds}`,
    "",
  ].join("\n");
}

async function startServer(prefix: string, s: LabDhcpServer, restart: boolean) {
  const b = base(prefix, s.ns, s.dev);
  const conf = `${b}.conf`;
  const text = serverConfig(s, `${b}.leases`);
  const pid = readPid(`${b}.pid`);
  // a running server keeps its pool (setDhcpPool's change outlives the next lab up)
  if (!restart && pid !== null && isOurs(pid, conf, s.ns)) return;
  await stopPid(`${b}.pid`, conf, s.ns);
  fs.writeFileSync(conf, text);
  fs.writeFileSync(`${b}.leases`, "");
  fs.writeFileSync(`${b}.pid`, `${spawnDetached(netns(s.ns), "busybox", ["udhcpd", "-f", conf])}\n`);
}

async function startClient(prefix: string, ns: string, dev: string) {
  const b = base(prefix, ns, dev);
  const pid = readPid(`${b}.pid`);
  if (pid !== null && isOurs(pid, `${b}.pid`, ns)) return;
  fs.mkdirSync(`/etc/netns/${ns}`, { recursive: true });
  if (!fs.existsSync(`/etc/netns/${ns}/resolv.conf`)) fs.writeFileSync(`/etc/netns/${ns}/resolv.conf`, "");
  // -f: stay in the foreground (our pid is its pid); -p: its pid file names it in /proc
  const child = spawnDetached(netns(ns), "udhcpc", ["-f", "-i", dev, "-s", CLIENT_SCRIPT, "-p", `${b}.pid`, "-t", "1000", "-T", "1", "-A", "1"]);
  fs.writeFileSync(`${b}.pid`, `${child}\n`);
}

/** Servers first, then clients: what the topology asks for runs (idempotent). */
export async function ensureDhcp(t: LabTopology): Promise<void> {
  if (!t.dhcp.servers.length && !t.dhcp.clients.length) return;
  fs.mkdirSync(RUN_DIR, { recursive: true });
  for (const s of t.dhcp.servers) await startServer(t.prefix, s, false);
  for (const c of t.dhcp.clients) await startClient(t.prefix, c.ns, c.dev);
}

/** The ISP hands out another pool (a new lease for its customer at the next renewal). */
export async function setDhcpPool(t: LabTopology, isp: string, pool: { start: string; end: string; leaseSeconds?: number }): Promise<void> {
  const s = t.dhcp.servers.find((x) => x.isp === isp);
  if (!s) throw new Error(`lab: ${isp} has no DHCP server`);
  await startServer(t.prefix, { ...s, ...pool }, true);
}

/** Stop the lab's DHCP processes (of these namespaces only, when given) before their namespaces go. */
export async function stopDhcp(prefix: string, only?: string[]): Promise<void> {
  if (!fs.existsSync(RUN_DIR)) return;
  for (const f of fs.readdirSync(RUN_DIR)) {
    const m = new RegExp(`^lab-${prefix}-dhcp-(${prefix}-[A-Za-z0-9]+)-([A-Za-z0-9_.-]+)\\.pid$`).exec(f);
    if (!m || (only && !only.includes(m[1]))) continue;
    const file = `${RUN_DIR}/${f}`;
    const conf = file.replace(/\.pid$/, ".conf");
    await stopPid(file, fs.existsSync(conf) ? conf : file, m[1]);
    for (const ext of [".conf", ".leases"]) fs.rmSync(file.replace(/\.pid$/, ext), { force: true });
    fs.rmSync(`/etc/netns/${m[1]}`, { recursive: true, force: true });
  }
}
