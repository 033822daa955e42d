// The one executor: the only code in Switchyard that starts a process.
// - an allow-list of absolute binary paths, chosen by a short name
// - argument arrays, never a shell and never a command string
// - a timeout on every call, stdin for *-restore and -batch input
// - every call logged (arguments, exit code, duration) and counted
// - a target: the host itself, or a network namespace (`ip netns exec NAME ...`)
import { AsyncLocalStorage } from "node:async_hooks";
import os from "node:os";
import { execa } from "execa";

export const BINARIES = {
  ip: "/usr/sbin/ip",
  iptables: "/usr/sbin/iptables",
  "iptables-save": "/usr/sbin/iptables-save",
  "iptables-restore": "/usr/sbin/iptables-restore",
  // the iptables backend's IPv6 part (one transaction per family and table)
  ip6tables: "/usr/sbin/ip6tables",
  "ip6tables-save": "/usr/sbin/ip6tables-save",
  "ip6tables-restore": "/usr/sbin/ip6tables-restore",
  // the other iptables variant, read by the override lint (its tables run beside the default one's)
  "iptables-legacy-save": "/usr/sbin/iptables-legacy-save",
  "iptables-nft-save": "/usr/sbin/iptables-nft-save",
  // the kernel tests and fixtures: a foreign legacy table beside iptables-nft, as an old tool leaves it
  "iptables-legacy": "/usr/sbin/iptables-legacy",
  nft: "/usr/sbin/nft",
  conntrack: "/usr/sbin/conntrack",
  sysctl: "/usr/sbin/sysctl",
  nc: "/usr/bin/nc",
  ping: "/usr/bin/ping",
  // the canary: the kernel's reverse-path drop counter (TcpExtIPReversePathFilter), read before and after its probes
  nstat: "/usr/bin/nstat",
  // the lab's DHCP: busybox's udhcpd in an ISP namespace, udhcpc (Debian's udhcpc package) on the gateway's WAN
  busybox: "/usr/bin/busybox",
  udhcpc: "/sbin/udhcpc",
  // DHCPv6-PD (lib/net/dynamic6.ts): the box's dhcpcd, asked for its lease (`dhcpcd -U -6 WAN`); the PD kernel test runs it on the gateway's WAN
  dhcpcd: "/usr/sbin/dhcpcd",
  // tests only (tests/kernel/dhcpv6-pd.test.ts): ISC dhcpd -6 delegating prefixes (radvd, below, advertises the route in an ISP namespace)
  dhcpd: "/usr/sbin/dhcpd",
  node: process.execPath,
  // the dataplane benchmark (scripts/bench-dataplane.ts): TCP throughput through the lab gateway, with and without offloads
  iperf3: "/usr/bin/iperf3",
  ethtool: "/usr/sbin/ethtool",
  // the installer (lib/install): unit files and the service manager
  systemctl: "/usr/bin/systemctl",
  "systemd-analyze": "/usr/bin/systemd-analyze",
  // tests only: a tiny tmpfs for the database, filled mid-apply (a full disk, tests/kernel/recovery-entry.test.ts)
  mount: "/usr/bin/mount",
  // router advertisements (lib/net/ra): Switchyard's own radvd instance, reloaded and stopped by signal
  radvd: "/usr/sbin/radvd",
  kill: "/usr/bin/kill",
  umount: "/usr/bin/umount",
} as const;

export type BinaryName = keyof typeof BINARIES;

/** Where commands run: the machine itself, or inside a network namespace. */
export type Target = { kind: "host" } | { kind: "netns"; name: string };

export const HOST: Target = { kind: "host" };
export const netns = (name: string): Target => ({ kind: "netns", name });
export const describeTarget = (t: Target) => (t.kind === "host" ? "host" : `netns:${t.name}`);

export interface ExecOptions {
  input?: string;
  /** extra environment variables (the child inherits ours, with LC_ALL=C) */
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** a non-zero exit is returned instead of thrown */
  allowFailure?: boolean;
}

export interface ExecResult {
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export class ExecError extends Error {
  constructor(public result: ExecResult) {
    super(`${result.argv.join(" ")} exited ${result.exitCode}: ${result.stderr.trim() || result.stdout.trim()}`);
    this.name = "ExecError";
  }
}

type Listener = (r: ExecResult) => void;
const listeners = new Set<Listener>();
/** Observe every call (logging, tests proving that nothing ran, process counts in the benchmark). */
export function onExec(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A journal of the commands one operation runs (an apply), kept apart from whatever else runs meanwhile (the live view's polling). */
export interface JournalEntry {
  argv: string[];
  exitCode: number;
  durationMs: number;
  stderr?: string;
  /** stdin given to the command (ip -batch lines, iptables-restore input) */
  input?: string;
}
const journals = new AsyncLocalStorage<JournalEntry[]>();

/** Run fn; every command it starts, directly or not, is appended to journal. */
export function withJournal<T>(journal: JournalEntry[], fn: () => Promise<T>): Promise<T> {
  return journals.run(journal, fn);
}

const NS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const DEFAULT_TIMEOUT_MS = 15_000;

function argvFor(target: Target, bin: BinaryName, args: readonly string[]): string[] {
  for (const a of args) {
    if (typeof a !== "string" || a.includes("\0")) throw new Error(`refusing argument ${JSON.stringify(a)}`);
  }
  if (target.kind === "host") return [BINARIES[bin], ...args];
  if (!NS_NAME.test(target.name)) throw new Error(`refusing namespace name ${JSON.stringify(target.name)}`);
  return [BINARIES.ip, "netns", "exec", target.name, BINARIES[bin], ...args];
}

export async function run(target: Target, bin: BinaryName, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  if (!Object.hasOwn(BINARIES, bin)) throw new Error(`binary ${String(bin)} is not allowed`);
  const argv = argvFor(target, bin, args);
  const started = performance.now();
  const child = await execa(argv[0], argv.slice(1), {
    input: opts.input,
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    reject: false,
    shell: false,
    stripFinalNewline: false,
    env: { ...opts.env, LC_ALL: "C" },
    cwd: opts.cwd,
    extendEnv: true,
  });
  const result: ExecResult = {
    argv,
    exitCode: child.exitCode ?? (child.timedOut ? 124 : 1),
    stdout: String(child.stdout ?? ""),
    stderr: child.timedOut ? `timed out after ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` : String(child.stderr ?? ""),
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
  for (const l of listeners) l(result);
  journals.getStore()?.push({
    argv,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    ...(result.stderr.trim() ? { stderr: result.stderr.trim().slice(0, 2000) } : {}),
    ...(opts.input ? { input: opts.input.slice(0, 100_000) } : {}),
  });
  if (process.env.SWITCHYARD_LOG_EXEC) {
    console.error(`[exec] ${argv.join(" ")} -> ${result.exitCode} (${result.durationMs} ms)`);
  }
  if (result.exitCode !== 0 && !opts.allowFailure) throw new ExecError(result);
  return result;
}

/**
 * Start a long-running process (the lab's test server) detached from us.
 * Same allow-list and argument rules as run().
 */
export function spawnDetached(target: Target, bin: BinaryName, args: readonly string[]): number {
  const argv = argvFor(target, bin, args);
  const child = execa(argv[0], argv.slice(1), { detached: true, stdio: "ignore", shell: false, reject: false });
  child.unref();
  for (const l of listeners) l({ argv, exitCode: 0, stdout: "", stderr: "", durationMs: 0 });
  return child.pid ?? -1;
}

export interface StreamOptions {
  /** each complete line of stdout, without its newline */
  onLine: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** the process ended (by itself, or after stop()) */
  onExit?: (exitCode: number) => void;
}

export interface StreamHandle {
  pid: number;
  /** SIGTERM, SIGKILL after graceMs; resolves with the exit code once it is gone */
  stop(graceMs?: number): Promise<number>;
  readonly exited: Promise<number>;
}

function splitLines(each: (line: string) => void) {
  let rest = "";
  return {
    push(chunk: Buffer | string) {
      const parts = (rest + String(chunk)).split("\n");
      rest = parts.pop() ?? "";
      for (const p of parts) each(p.replace(/\r$/, ""));
    },
    flush() {
      if (rest) each(rest);
      rest = "";
    },
  };
}

/**
 * Start a long-running process (the monitor's streaming pings) whose stdout is read line by
 * line. Same allow-list and argument rules as run(); no timeout (it runs until stop()); the
 * call is logged and reported to onExec listeners when it ends.
 */
export function startStream(target: Target, bin: BinaryName, args: readonly string[], opts: StreamOptions): StreamHandle {
  if (!Object.hasOwn(BINARIES, bin)) throw new Error(`binary ${String(bin)} is not allowed`);
  const argv = argvFor(target, bin, args);
  const started = performance.now();
  const child = execa(argv[0], argv.slice(1), {
    shell: false,
    reject: false,
    buffer: false,
    stdin: "ignore",
    env: { LC_ALL: "C" },
    extendEnv: true,
  });
  if (process.env.SWITCHYARD_LOG_EXEC) console.error(`[exec] ${argv.join(" ")} (streaming, pid ${child.pid})`);
  const out = splitLines(opts.onLine);
  const err = splitLines((l) => opts.onStderrLine?.(l));
  child.stdout?.on("data", (c: Buffer) => out.push(c));
  child.stderr?.on("data", (c: Buffer) => err.push(c));
  const exited = child.then((r) => {
    out.flush();
    err.flush();
    const exitCode = r.exitCode ?? (r.signal ? 128 + (os.constants.signals[r.signal as keyof typeof os.constants.signals] ?? 15) : 1);
    const result: ExecResult = { argv, exitCode, stdout: "", stderr: "", durationMs: Math.round((performance.now() - started) * 10) / 10 };
    for (const l of listeners) l(result);
    if (process.env.SWITCHYARD_LOG_EXEC) console.error(`[exec] ${argv.join(" ")} -> ${exitCode} (${result.durationMs} ms, streamed)`);
    opts.onExit?.(exitCode);
    return exitCode;
  });
  let stopping: Promise<number> | null = null;
  return {
    pid: child.pid ?? -1,
    exited,
    stop(graceMs = 2000) {
      stopping ??= (async () => {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        const code = await exited;
        clearTimeout(timer);
        return code;
      })();
      return stopping;
    },
  };
}
