// The conntrack step: the flows whose mark is not the one their source has now (moved hosts,
// unlisted addresses after a default-ISP change), cleared in one listing and one batched delete.
import { lstat, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GatewayConfig } from "@/lib/model";
import { ExecError, run, type Target } from "@/lib/net/exec";
import { parseConntrack, type Flow } from "@/lib/net/parse/conntrack";
import { conntrackFamilyWords, conntrackListArgs, ipArgs } from "@/lib/net/family";
import { macsOf } from "@/lib/net/flows6";
import { parseIpNeighJson } from "@/lib/net/parse/ip-neigh";
import { hasIpv6 } from "@/lib/net/render/ipv6";
import { staleFlows, type MovedHost } from "@/lib/net/plan";
import { withCanaryHosts } from "@/lib/net/canary/slots";
import { MARK_MASK } from "@/lib/net/types";

/**
 * conntrack -R lines deleting every stale flow: one line per (source, stale mark).
 * Every connection that enters from the LAN carries its source's mark (the mark
 * chain runs for all of them, LAN-local ones too), so a flow with another mark
 * is one that would keep the old ISP and NAT address.
 */
export function staleFlowDeletes(moved: MovedHost[]): string[] {
  return moved.flatMap((h) => h.fromMarks.map((m) => `-D ${conntrackFamilyWords(h.address)}-s ${h.address} --mark ${m}/0x${MARK_MASK.toString(16)}`));
}

/**
 * conntrack -R reads a file ("-", stdin, fails on the socket pair Node gives a
 * child as its stdin). The files live in one directory, named by the pid that
 * wrote them, so a killed apply's file is found and removed by the next one.
 */
const CT_DIR = path.join(tmpdir(), "switchyard-ct");

async function conntrackDir(): Promise<string> {
  await mkdir(CT_DIR, { recursive: true, mode: 0o700 });
  const st = await lstat(CT_DIR);
  // a directory in /tmp someone else made (or a symlink) is not ours to write flows through
  if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o077) !== 0)
    throw new Error(`${CT_DIR} is not a private directory of this user: remove it`);
  for (const name of await readdir(CT_DIR)) {
    const pid = Number(name.split("-")[0]);
    if (!Number.isInteger(pid) || pid === process.pid || pidAlive(pid)) continue;
    await rm(path.join(CT_DIR, name), { force: true });
  }
  // folders of the earlier mkdtemp scheme (switchyard-ct-XXXXXX) that killed applies left behind;
  // only old ones: a process still running that code may be using a fresh one
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith("switchyard-ct-")) continue;
    const old = path.join(tmpdir(), name);
    const st = await lstat(old).catch(() => null);
    if (st?.isDirectory() && st.uid === process.getuid?.() && Date.now() - st.mtimeMs > 10 * 60_000) await rm(old, { recursive: true, force: true });
  }
  return CT_DIR;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A flow that ended between the listing and the delete is already what we wanted. */
export const flowGone = (stderr: string) => /such conntrack doesn't exist/i.test(stderr);

/**
 * The gateway's flows (original source and mark): IPv4 in one process; with a configuration
 * that routes IPv6, its IPv6 flows too, each with its source's MAC from the neighbour table
 * (two more processes, run together). A plan preview shows what an apply would clear.
 */
export async function listFlows(target: Target, config?: GatewayConfig): Promise<Flow[]> {
  const list = async (family: 4 | 6) => parseConntrack((await run(target, "conntrack", conntrackListArgs(family), { allowFailure: true })).stdout);
  if (!config || !hasIpv6(config)) return list(4);
  const [v4, v6, neigh] = await Promise.all([list(4), list(6), run(target, "ip", ipArgs(6, "-json", "neigh", "show"), { allowFailure: true })]);
  // no neighbour table (an error): every IPv6 source counts as an unlisted host of its LAN
  const macs = macsOf(neigh.exitCode === 0 ? parseIpNeighJson(neigh.stdout) : []);
  return [...v4, ...v6.map((f) => ({ ...f, ...(macs.has(f.src) ? { mac: macs.get(f.src) } : {}) }))];
}
let ctFiles = 0;

/**
 * Clear the flows whose mark is not the one their source has now. One listing
 * (after the iptables swap: flows started from then on already carry the new
 * mark) and one batched delete; only when a flow vanished mid-delete (conntrack
 * stops there) is the listing and delete repeated for what is left.
 */
export async function clearStaleFlows(target: Target, config: GatewayConfig, keepOnUpIsps = false): Promise<MovedHost[]> {
  // the canary's slots are hosts too: their flows carry their own target's mark
  return clearFlows(target, (flows) => staleFlows(withCanaryHosts(config), flows, { keepOnUpIsps }), config);
}

/** Clear the flows `pick` chooses from the listing (a recovery: those whose mark it undid), as clearStaleFlows does; config: list IPv6 flows too when it routes IPv6. */
export async function clearFlows(target: Target, pick: (flows: Flow[]) => MovedHost[], config?: GatewayConfig): Promise<MovedHost[]> {
  let cleared: MovedHost[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const stale = pick(await listFlows(target, config));
    if (attempt === 0) cleared = stale;
    const lines = staleFlowDeletes(stale);
    if (lines.length === 0) return cleared;
    const file = path.join(await conntrackDir(), `${process.pid}-${ctFiles++}.flows`);
    try {
      await writeFile(file, `${lines.join("\n")}\n`, { mode: 0o600 });
      const r = await run(target, "conntrack", ["-R", file], { allowFailure: true });
      if (r.exitCode === 0) return cleared;
      if (!flowGone(r.stderr)) throw new ExecError(r);
    } finally {
      await rm(file, { force: true });
    }
  }
  return cleared;
}
