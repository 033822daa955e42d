// RA daemons that are not Switchyard's (docs/ipv6.md): a radvd of the box's own (Debian's unit with
// /etc/radvd.conf), dnsmasq with enable-ra, OpenWrt's odhcpd. Found by reading /proc in node (no
// process started): each process's command line, and its network namespace compared with the
// target's, so a daemon in another namespace does not count. The interfaces are read from its
// configuration where that is simple (radvd's `interface X {`, dnsmasq's interface=); otherwise
// unknown (null): it may advertise on any LAN.
import fs from "node:fs";
import path from "node:path";
import type { Target } from "@/lib/net/exec";

export interface ForeignRa {
  daemon: "radvd" | "dnsmasq" | "odhcpd";
  pid: number;
  /** the interfaces it advertises on; null: not known (all of them, as far as Switchyard can tell) */
  interfaces: string[] | null;
}

const read = (file: string) => {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
};
const inode = (file: string) => {
  try {
    return fs.statSync(file).ino;
  } catch {
    return null;
  }
};

/** The value of an option given as `-C x`, `--config x` or `--config=x`. */
function option(argv: string[], short: string, long: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === short || argv[i] === long) return argv[i + 1] ?? null;
    if (argv[i].startsWith(`${long}=`)) return argv[i].slice(long.length + 1);
  }
  return null;
}

/** Pure: what one process is, from its command line and its configuration file's text. */
export function classifyRa(pid: number, argv: string[], readConf: (file: string) => string | null): ForeignRa | null {
  const name = path.basename(argv[0] ?? "");
  if (name === "odhcpd") return { daemon: "odhcpd", pid, interfaces: null };
  if (name === "radvd") {
    const text = readConf(option(argv, "-C", "--config") ?? "/etc/radvd.conf") ?? "";
    const ifaces = [...text.replace(/#.*$/gm, "").matchAll(/interface\s+([^\s{]+)\s*\{/g)].map((m) => m[1]);
    return { daemon: "radvd", pid, interfaces: ifaces.length ? [...new Set(ifaces)] : null };
  }
  if (name === "dnsmasq") {
    const text = (readConf(option(argv, "-C", "--conf-file") ?? "/etc/dnsmasq.conf") ?? "").replace(/#.*$/gm, "");
    const lines = [...argv.filter((a) => a.startsWith("--")).map((a) => a.slice(2)), ...text.split("\n").map((l) => l.trim())];
    if (!lines.some((l) => l === "enable-ra")) return null;
    const ifaces = lines.filter((l) => l.startsWith("interface=")).flatMap((l) => l.slice("interface=".length).split(","));
    return { daemon: "dnsmasq", pid, interfaces: ifaces.length ? [...new Set(ifaces)] : null };
  }
  return null;
}

/** The foreign RA daemons in the target's network namespace (ours, every process running `ownConf`, left out). */
export async function foreignRaDaemons(t: Target, ownConf: string): Promise<ForeignRa[]> {
  const ns = inode(t.kind === "host" ? "/proc/self/ns/net" : `/run/netns/${t.name}`);
  const out: ForeignRa[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (read(`/proc/${entry}/cmdline`) ?? "").split("\0").filter(Boolean);
    if (argv.includes(ownConf)) continue;
    if (!["radvd", "dnsmasq", "odhcpd"].includes(path.basename(argv[0] ?? ""))) continue;
    if (ns === null || inode(`/proc/${entry}/ns/net`) !== ns) continue;
    const found = classifyRa(Number(entry), argv, read);
    if (found) out.push(found);
  }
  // a radvd's forked helper (radvd runs as two processes) is one daemon: keep the first per config
  return out.filter((f, i) => out.findIndex((g) => g.daemon === f.daemon && String(g.interfaces) === String(f.interfaces)) === i);
}

/** The foreign daemons that advertise on one of these interfaces (or perhaps on any). */
export const raClashes = (foreign: ForeignRa[], interfaces: string[]): ForeignRa[] =>
  foreign.filter((f) => f.interfaces === null || f.interfaces.some((i) => interfaces.includes(i)));
