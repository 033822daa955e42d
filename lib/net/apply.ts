// apply: make the kernel match the desired state, in a handful of processes
// whatever the number of hosts, new before old, journaled, and undone on failure.
//
//   1 ip -batch        routes (replace) then new rules: tables are ready before rules point at them
//   2 firewall         nftables: one `nft -f`, the whole change to table inet switchyard as one
//                      transaction; iptables: one iptables-restore, our chains swapped in one
//                      transaction per table, hooks added (both when the backend switches: the
//                      new one installed, then the old one removed)
//   3 ip -batch        stale rules, then stale routes (old goes last: no gap for traffic)
//   + takeover         only for an adopted config: the old admin's objects it replaces, deleted now
//                      that the new state is in (lib/adopt/takeover.ts)
//   4 conntrack        flows whose mark is not their source's mark now (moved hosts, unlisted
//                      addresses after a default-ISP change): one listing, one batched delete
// If a step fails, the gateway is converged back to the snapshot taken before step 1.
import { lstat, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ExecError, run, type ExecResult, type Target } from "./exec";
import { observeKernel, type ObservedState } from "./observe";
import { conntrackLines, planChanges, staleFlows, type MovedHost, type Plan, type PlanLine, type SysctlChange } from "./plan";
import { parseConntrack, type Flow } from "./parse/conntrack";
import { confSysctl, conntrackListArgs, forwardingSysctl } from "./family";
import { parseIpAddrJson } from "./parse/ip-addr";
import { parseSysctl } from "./parse/sysctl";
import { allLanSubnets } from "./lans";
import type { GatewayConfig } from "@/lib/model";
import { MARK_MASK } from "./types";
import { renderIptablesRestore, routeArgs, ruleArgs } from "./render/text";
import { NFT_TABLE, type IptChain, type IptTable, type KernelState } from "./types";
import { renderNftScript, renderNftTable } from "./render/nft-text";
import { activeIsps, defaultIsp, effectiveIsp } from "./render/state";
import { withCanaryHosts } from "./canary/slots";
import { planTakeover, takeoverIpLines, takeoverIptablesInput, withTakeover } from "@/lib/adopt/takeover";
import { foreignRestore } from "@/lib/adopt/restore";
import { routeText, ruleText } from "@/lib/adopt/objects";
import type { Takeover } from "@/lib/adopt/types";
import { readSkeleton, restoreSkeleton } from "./netfilter-skeleton";

export type ApplyStepName = "precheck" | "sysctls" | "routing" | "firewall" | "cleanup" | "takeover" | "conntrack";

export interface StepEvent {
  step: ApplyStepName | "observe" | "plan" | "verify" | "rollback";
  state: "running" | "ok" | "failed" | "skipped";
  detail?: string;
  durationMs?: number;
}

export interface ApplyOptions {
  onStep?: (e: StepEvent) => void;
  /** testing aid: make this step fail with a command the kernel rejects */
  fault?: ApplyStepName;
  /** connections of moved hosts are cleared unless this is false */
  clearMovedConnections?: boolean;
  /** failback "keep": flows on an ISP that is up are left alone (see StaleOptions) */
  keepFlowsOnUpIsps?: boolean;
  /** called once the plan is known and the precheck passed, before the first kernel change (the intent record) */
  beforeChanges?: (before: ObservedState, plan: Plan) => Promise<void>;
  /** called after each step that changed the kernel (the intent's progress; a test's kill point) */
  afterStep?: (step: ApplyStepName) => Promise<void>;
}

export interface ApplyOutcome {
  ok: boolean;
  plan: Plan;
  before: ObservedState;
  failedStep?: ApplyStepName;
  error?: string;
  rolledBack: boolean;
  /** after a rollback: does the gateway equal the snapshot again (owned state, the foreign objects it touched, the netfilter skeleton)? */
  restoredExactly?: boolean;
  /** after a rollback that is not exact: what still differs, one line each */
  rollbackDifferences?: string[];
}

/** A route the kernel rejects: the device does not exist. Appended after real lines, so earlier ones have applied. */
const FAULT_ROUTE = "route replace 198.18.255.254/32 dev swyd-fault0 table 252";

const isNft = (c: IptChain) => c.table === "nft";

/** iptables-restore input for the chain and hook part of a plan. */
export function iptablesInput(plan: Plan, fault = false): string {
  const extra: Partial<Record<IptTable, string[]>> = {};
  const push = (t: IptTable, line: string) => (extra[t] ??= []).push(line);
  for (const h of plan.hooksToAdd) push(h.table, h.last ? `-A ${h.chain} ${h.spec}` : `-I ${h.chain} 1 ${h.spec}`);
  for (const h of plan.hooksToDelete) push(h.table, `-D ${h.chain} ${h.spec}`);
  // all flushed before any is deleted: a chain still jumped to by another (SWYD-PRE -> SWYD-MARK) cannot go
  const gone = plan.chainsToDelete.filter((c) => !isNft(c));
  for (const c of gone) push(c.table as IptTable, `-F ${c.name}`);
  for (const c of gone) push(c.table as IptTable, `-X ${c.name}`);
  if (fault) push("nat", "-A SWYD-FAULT-MISSING -j ACCEPT");
  return renderIptablesRestore(plan.chainsToReplace.filter((c) => !isNft(c)), extra);
}

/** `nft -f` input for the nftables part of a plan: one transaction. The fault names a chain that does not exist. */
export function nftInput(plan: Plan, observed: KernelState, fault = false): string {
  const text = renderNftScript({
    ...plan.nft,
    chainsToReplace: plan.chainsToReplace.filter(isNft),
    chainsToDelete: plan.chainsToDelete.filter(isNft),
    existingChains: new Map(observed.chains.filter(isNft).map((c) => [c.name, c])),
  });
  return fault ? `${text}add rule ${NFT_TABLE} SWYD-FAULT-MISSING accept
` : text;
}

/** The firewall part of a plan: nftables first, then iptables (on a switch, the new backend goes in before the old one goes). */
async function applyFirewall(target: Target, plan: Plan, observed: KernelState, fault = false): Promise<void> {
  // the fault (a testing aid) goes into the last input that runs, so the one before it has applied
  const iptWork = iptablesInput(plan) !== "";
  const nft = nftInput(plan, observed, fault && !iptWork);
  const ipt = iptablesInput(plan, fault && iptWork);
  if (nft) await run(target, "nft", ["-f", "-"], { input: nft });
  if (ipt) await run(target, "iptables-restore", ["--noflush"], { input: ipt });
}

/**
 * conntrack -R lines deleting every stale flow: one line per (source, stale mark).
 * Every connection that enters from the LAN carries its source's mark (the mark
 * chain runs for all of them, LAN-local ones too), so a flow with another mark
 * is one that would keep the old ISP and NAT address.
 */
export function staleFlowDeletes(moved: MovedHost[]): string[] {
  return moved.flatMap((h) => h.fromMarks.map((m) => `-D -s ${h.address} --mark ${m}/0x${MARK_MASK.toString(16)}`));
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
  if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o077) !== 0) throw new Error(`${CT_DIR} is not a private directory of this user: remove it`);
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

/** The gateway's IPv4 flows (original source and mark): one process. A plan preview shows what an apply would clear. */
export async function listFlows(target: Target) {
  return parseConntrack((await run(target, "conntrack", conntrackListArgs(4), { allowFailure: true })).stdout);
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
  return clearFlows(target, (flows) => staleFlows(withCanaryHosts(config), flows, { keepOnUpIsps }));
}

/** Clear the flows `pick` chooses from the listing (a recovery: those whose mark it undid), as clearStaleFlows does. */
export async function clearFlows(target: Target, pick: (flows: Flow[]) => MovedHost[]): Promise<MovedHost[]> {
  let cleared: MovedHost[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const stale = pick(await listFlows(target));
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

async function ipBatch(target: Target, lines: string[], force = false) {
  if (lines.length === 0) return;
  await run(target, "ip", [...(force ? ["-force"] : []), "-batch", "-"], { input: `${lines.join("\n")}\n` });
}

/**
 * Sysctls Switchyard owns: set at every apply where they differ, put back by a rollback.
 * src_valid_mark=1 lets the reverse-path check see a reply's (restored) connection mark, so
 * it looks the reply up in the ISP's table, where a route back out of the WAN exists. Without
 * it, the check looks the LAN host up without a mark, meets `from <LAN> iif <LAN> unreachable`
 * and drops the reply: strict (rp_filter=1) and loose (rp_filter=2, systemd's default on
 * Debian and Ubuntu) alike, for every host (kernel.md, turn 3). It changes nothing else.
 * No sysctl.d file is written: the boot apply sets it again, and a box without Switchyard
 * gets its distribution's value back at the next boot.
 */
export const OWNED_SYSCTLS: Record<string, { value: string; why: string }> = {
  [confSysctl(4, "all", "src_valid_mark")]: { value: "1", why: "replies pass the reverse-path check through their ISP's table (rp_filter 1 or 2)" },
};

/** What the kernel's sysctls mean for Switchyard; `sysctl` prints "key = value" lines (and fails on a missing key, printing the rest). */
export function sysctlProblems(values: Map<string, string>, _wans: string[]): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const get = (k: string) => Number(values.get(k) ?? "0");
  if (get(forwardingSysctl(4)) !== 1) problems.push("IP forwarding is off: set net.ipv4.ip_forward=1 (LAN traffic is not forwarded at all)");
  return { problems, warnings: [] };
}

/** The owned sysctls that differ on the gateway, each with the value it has and the one Switchyard sets. */
export function sysctlChanges(values: Map<string, string>): SysctlChange[] {
  return Object.entries(OWNED_SYSCTLS).filter(([key, o]) => values.get(key) !== o.value).map(([key, o]) => ({ key, from: values.get(key) ?? "(missing)", to: o.value, why: o.why }));
}

export const sysctlLine = (c: SysctlChange): PlanLine => ({ op: "~", kind: "sysctl", text: `sysctl ${c.key}: ${c.from} -> ${c.to} (${c.why})` });

export function sysctlKeys(wans: string[]): string[] {
  return [...new Set([forwardingSysctl(4), confSysctl(4, "all", "rp_filter"), ...Object.keys(OWNED_SYSCTLS), ...wans.flatMap((d) => [confSysctl(4, d, "rp_filter"), confSysctl(4, d, "src_valid_mark")])])];
}

/** iproute2's rt_protos: who installed a route (`ip -N` prints the number). */
const RT_PROTOS: Record<string, string> = { "2": "kernel", "3": "boot", "4": "static", "16": "dhcp", "186": "bgp", "188": "ospf", "42": "babel" };

/** Main's default route is its owner's (DHCP client, ifupdown): say who owns it, and when the gateway's own traffic leaves by another ISP than the default. */
export function mainDefaultNote(before: ObservedState, config?: GatewayConfig): string {
  const d = before.foreign.routes.find((r) => r.table === 254 && r.dst === "default");
  if (!d) return "main has no default route: the gateway's own traffic has no way out (LAN traffic does not use it)";
  const owner = RT_PROTOS[d.protocol ?? "3"] ?? d.protocol ?? "boot";
  const via = `main's default route via ${d.gateway ?? "-"} dev ${d.dev || d.nexthops?.map((n) => n.dev).join(",")} (proto ${owner}) stays with its owner`;
  const def = config ? defaultIsp(config) : null;
  if (def && d.dev && d.dev !== def.wanInterface) {
    const isp = config!.isps.find((i) => i.wanInterface === d.dev);
    return `${via}; note: the gateway's own traffic leaves via ${d.dev}${isp ? ` (${isp.name})` : ""}, not the default ISP ${def.name}`;
  }
  return via;
}

type PrecheckReads = Promise<[ExecResult, ExecResult]>;

/** The precheck's two read-only processes (addresses, sysctls): started beside the first observe, they cost no time of their own. */
function precheckReads(target: Target, config?: GatewayConfig): PrecheckReads {
  const wans = config ? activeIsps(config).map((i) => i.wanInterface) : [];
  return Promise.all([run(target, "ip", ["-json", "addr", "show"]), run(target, "sysctl", sysctlKeys(wans), { allowFailure: true })]);
}

async function precheck(reads: PrecheckReads, desired: KernelState, plan: Plan, before: ObservedState, requiredAddresses: Map<string, string>, config?: GatewayConfig): Promise<{ detail: string; sysctls: Map<string, string> }> {
  const problems: string[] = [];
  const notes: string[] = [];
  const wans = config ? activeIsps(config).map((i) => i.wanInterface) : [];
  const [addrs, sysctl] = await reads;
  const links = parseIpAddrJson(addrs.stdout);
  const byName = new Map(links.map((l) => [l.name, l]));
  const devices = new Set([...desired.routes.map((r) => r.dev)]);
  for (const dev of devices) if (!byName.has(dev)) problems.push(`interface ${dev} does not exist on the gateway`);
  for (const [address, dev] of requiredAddresses) {
    const link = byName.get(dev);
    if (!link || link.addresses.some((a) => a.local === address)) continue;
    // on another interface (a guest network's bridge, a VLAN): moving it would cut that network off
    const elsewhere = links.find((l) => l.addresses.some((a) => a.local === address));
    const lan = config ? allLanSubnets(config).some((x) => x.startsWith(`${address}/`)) : false;
    if (elsewhere && lan) problems.push(`address ${address} is on ${elsewhere.name}, not on ${dev}: that subnet is a LAN of its own; add ${elsewhere.name} as a LAN (Settings -> LANs, or switchyard lan add NAME --interface ${elsewhere.name} --subnets ${address}/…) instead of moving its address`);
    else if (elsewhere) problems.push(`address ${address} is on ${elsewhere.name}, not on ${dev}`);
    else problems.push(`address ${address} is not configured on ${dev} (ip addr add ${address}/… dev ${dev})`);
  }
  const values = parseSysctl(sysctl.stdout);
  const sys = sysctlProblems(values, wans);
  problems.push(...sys.problems);
  notes.push(...sys.warnings, mainDefaultNote(before, config));
  for (const dev of plan.downLinks) {
    const isp = config?.isps.find((i) => i.wanInterface === dev);
    const hosts = config && isp ? config.hosts.filter((h) => effectiveIsp(config, h.isp)?.name === isp.name).map((h) => h.name) : [];
    notes.push(`${isp?.name ?? dev} is down (link ${dev}): its routes wait for the link; ${hosts.length ? `no path for ${hosts.join(", ")}` : "no host uses it"}`);
  }
  // No `iptables-restore --test` / `nft -c` here: a restore the kernel refuses changes
  // nothing of its table (nft: of anything), the rollback undoes the routing step, and the
  // test did not catch what the kernel refuses anyway (tests/kernel/apply-crash.test.ts).
  if (problems.length) throw new Error(problems.join("; "));
  return { detail: ["interfaces, addresses, sysctls and rules check out", ...notes].join("; "), sysctls: values };
}

async function writeSysctls(target: Target, values: Record<string, string>): Promise<void> {
  const args = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  if (args.length) await run(target, "sysctl", ["-q", "-w", ...args]);
}

/**
 * The firewall part of a rollback. nftables: the snapshot's table loaded whole in one
 * transaction (or the table deleted, if there was none), so it lists exactly as before,
 * chain order included; iptables: the differing chains swapped back.
 */
async function restoreFirewall(target: Target, snapshot: ObservedState, back: Plan): Promise<void> {
  const nftDiffers = back.nft.ensureTable || back.nft.deleteTable || back.nft.setChanges.length > 0 || back.nft.setsToDelete.length > 0
    || [...back.chainsToReplace, ...back.chainsToDelete].some(isNft);
  if (nftDiffers) {
    // emptied in place (the table keeps its place in the ruleset), then defined as it was
    const now = await observeKernel(target);
    const empty = now.nftTable
      ? [`flush table ${NFT_TABLE}`, ...(now.sets ?? []).map((x) => `delete ${x.map ? "map" : "set"} ${NFT_TABLE} ${x.name}`), ...now.chains.filter(isNft).map((c) => `delete chain ${NFT_TABLE} ${c.name}`)].join("\n") + "\n"
      : "";
    const input = snapshot.nftTable ? `${empty}${renderNftTable(snapshot.chains.filter(isNft), snapshot.sets ?? [])}` : `delete table ${NFT_TABLE}\n`;
    await run(target, "nft", ["-f", "-"], { input, allowFailure: true });
  }
  const ipt = iptablesInput(back);
  if (ipt) await run(target, "iptables-restore", ["--noflush"], { input: ipt, allowFailure: true });
}

export interface RestoreResult {
  exact: boolean;
  /** what still differs from the snapshot, one line each ("+ ip rule ...", "- iptables -t mangle -A ...") */
  differences: string[];
}

/** Foreign rules and routes that are not the snapshot's (a take over deletes them, a rollback puts them back). */
function foreignDifferences(snapshot: ObservedState, now: ObservedState): string[] {
  const diff = (was: string[], is: string[]) => [...was.filter((x) => !is.includes(x)).map((x) => `- ${x}`), ...is.filter((x) => !was.includes(x)).map((x) => `+ ${x}`)];
  return [...diff(snapshot.foreign.rules.map(ruleText), now.foreign.rules.map(ruleText)), ...diff(snapshot.foreign.routes.map(routeText), now.foreign.routes.map(routeText))];
}

/** Built-in iptables chains whose rules are not the snapshot's, in order (a take over deletes and re-inserts foreign rules there). */
function builtinDifferences(snapshot: ObservedState, now: ObservedState): string[] {
  const out: string[] = [];
  for (const c of snapshot.builtins) {
    const was = c.rules.map((r) => r.spec);
    const is = now.builtins.find((x) => x.table === c.table && x.name === c.name)?.rules.map((r) => r.spec) ?? [];
    if (was.join("\n") === is.join("\n")) continue;
    const missing = was.filter((r) => !is.includes(r));
    const extra = is.filter((r) => !was.includes(r));
    out.push(...missing.map((r) => `- iptables -t ${c.table} -A ${c.name} ${r}`), ...extra.map((r) => `+ iptables -t ${c.table} -A ${c.name} ${r}`));
    if (!missing.length && !extra.length) out.push(`~ iptables -t ${c.table} ${c.name}: the same rules in another order`);
  }
  return out;
}

/** Converge the owned state back to a snapshot; -force so one bad line does not stop the rest. */
async function restoreSnapshot(target: Target, snapshot: ObservedState): Promise<RestoreResult> {
  if (snapshot.sysctls) await writeSysctls(target, snapshot.sysctls).catch(() => undefined);
  const now = await observeKernel(target);
  const back = planChanges(snapshot, now);
  await ipBatch(target, [...back.routesToReplace.map((r) => `route replace ${routeArgs(r).join(" ")}`), ...back.rulesToAdd.map((r) => `rule add ${ruleArgs(r).join(" ")}`)], true).catch(() => undefined);
  await restoreFirewall(target, snapshot, back).catch(() => undefined);
  await ipBatch(target, [...back.rulesToDelete.map((r) => `rule del ${ruleArgs(r).join(" ")}`), ...back.routesToDelete.map((r) => `route del ${routeArgs(r).join(" ")}`)], true).catch(() => undefined);
  // foreign objects the apply removed (a take over) or replaced in place: back where they were
  if (foreignRestore(snapshot, now).missing > 0) {
    const foreign = foreignRestore(snapshot, await observeKernel(target));
    await ipBatch(target, foreign.ipLines, true).catch(() => undefined);
    if (foreign.iptablesInput) await run(target, "iptables-restore", ["--noflush"], { input: foreign.iptablesInput, allowFailure: true });
  }
  // tables and built-in chains the apply's iptables-nft calls created: removed while empty, else named
  const skeleton = snapshot.skeleton ? await restoreSkeleton(target, snapshot.skeleton).catch((e) => [`nftables chains not compared: ${e instanceof Error ? e.message : e}`]) : [];
  const after = await observeKernel(target);
  const owned = planChanges(snapshot, after).lines.map((l) => `${l.op} ${l.text}`);
  const differences = [...owned, ...foreignDifferences(snapshot, after), ...builtinDifferences(snapshot, after), ...skeleton];
  return { exact: differences.length === 0, differences };
}

export interface ApplyInput {
  target: Target;
  desired: KernelState;
  /** for finding flows with a stale mark (they are cleared) */
  config?: GatewayConfig;
  /** address -> interface that must carry it before we apply (link and NAT addresses) */
  requiredAddresses?: Map<string, string>;
  /** an adopted configuration's staged take over: the old objects to replace */
  takeover?: Takeover;
}

export async function applyDesired(input: ApplyInput, opts: ApplyOptions = {}): Promise<ApplyOutcome> {
  const { target, desired } = input;
  const emit = (e: StepEvent) => opts.onStep?.(e);
  const timed = async (step: StepEvent["step"], fn: () => Promise<string | void>) => {
    const t = performance.now();
    emit({ step, state: "running" });
    const detail = (await fn()) || undefined;
    emit({ step, state: "ok", detail, durationMs: Math.round(performance.now() - t) });
  };

  let before!: ObservedState;
  let plan!: Plan;
  const reads = precheckReads(target, input.config);
  reads.catch(() => undefined); // awaited (and its failure reported) by the precheck
  await timed("observe", async () => {
    const [observed, skeleton] = await Promise.all([observeKernel(target), readSkeleton(target)]);
    before = skeleton ? { ...observed, skeleton } : observed;
    return `${before.rules.length} owned rules, ${before.routes.length} owned routes, ${before.chains.length} owned chains; ${before.foreign.rules.length + before.foreign.routes.length + before.foreign.chains.length} foreign objects left alone`;
  });
  await timed("plan", async () => {
    plan = planChanges(desired, before, input.config);
    if (input.takeover) plan = withTakeover(plan, planTakeover(input.takeover, before, desired));
    return plan.empty ? "nothing to change" : `${plan.lines.length} changes`;
  });

  let current: ApplyStepName = "precheck";
  const steps: [ApplyStepName, () => Promise<string | void>][] = [
    ["precheck", async () => {
      const r = await precheck(reads, desired, plan, before, input.requiredAddresses ?? new Map(), input.config);
      const changes = sysctlChanges(r.sysctls);
      if (changes.length) {
        // the snapshot keeps what they were, so any rollback puts them back
        before = { ...before, sysctls: Object.fromEntries(changes.filter((c) => r.sysctls.has(c.key)).map((c) => [c.key, c.from])) };
        plan = { ...plan, sysctls: changes, empty: false, lines: [...changes.map(sysctlLine), ...plan.lines] };
      }
      return r.detail;
    }],
    ["sysctls", async () => {
      const changes = plan.sysctls ?? [];
      await writeSysctls(target, Object.fromEntries(changes.map((c) => [c.key, c.to])));
      return changes.map((c) => `${c.key} = ${c.to} (was ${c.from})`).join("; ");
    }],
    ["routing", async () => {
      const lines = [...plan.routesToReplace.map((r) => `route replace ${routeArgs(r).join(" ")}`), ...plan.rulesToAdd.map((r) => `rule add ${ruleArgs(r).join(" ")}`)];
      await ipBatch(target, opts.fault === "routing" ? [...lines, FAULT_ROUTE] : lines);
      return `${plan.routesToReplace.length} routes, ${plan.rulesToAdd.length} rules added`;
    }],
    ["firewall", async () => {
      await applyFirewall(target, plan, before, opts.fault === "firewall");
      const nft = plan.chainsToReplace.filter(isNft).length;
      const sets = plan.nft.setChanges.reduce((n, s) => n + s.add.length + s.remove.length, 0);
      const parts = [
        nft || sets || plan.nft.ensureTable ? `nftables: ${nft} chains refilled, ${sets} set elements changed in one transaction` : "",
        plan.nft.deleteTable ? "nftables table removed" : "",
        plan.chainsToReplace.length - nft || plan.hooksToAdd.length ? `iptables: ${plan.chainsToReplace.length - nft} chains swapped, ${plan.hooksToAdd.length} hooks added` : "",
        plan.chainsToDelete.some((c) => !isNft(c)) ? `iptables: ${plan.chainsToDelete.filter((c) => !isNft(c)).length} chains removed` : "",
      ].filter(Boolean);
      return parts.join("; ") || "nothing to change";
    }],
    ["cleanup", async () => {
      const lines = [...plan.rulesToDelete.map((r) => `rule del ${ruleArgs(r).join(" ")}`), ...plan.routesToDelete.map((r) => `route del ${routeArgs(r).join(" ")}`)];
      await ipBatch(target, opts.fault === "cleanup" ? [...lines, FAULT_ROUTE] : lines);
      return `${plan.rulesToDelete.length} stale rules, ${plan.routesToDelete.length} stale routes removed`;
    }],
    ["takeover", async () => {
      const t = plan.takeover!;
      await ipBatch(target, takeoverIpLines(t));
      const text = takeoverIptablesInput(t, opts.fault === "takeover");
      if (text) await run(target, "iptables-restore", ["--noflush"], { input: text });
      return `${t.lines.length} old objects of ${t.source} replaced by Switchyard's${t.kept.length ? `; left alone: ${t.kept.join("; ")}` : ""}`;
    }],
    ["conntrack", async () => {
      if (opts.clearMovedConnections === false || !input.config) return "skipped";
      const cleared = await clearStaleFlows(target, input.config, opts.keepFlowsOnUpIsps);
      plan = { ...plan, movedHosts: cleared, lines: [...plan.lines.filter((l) => l.kind !== "conntrack"), ...conntrackLines(cleared)] };
      const flows = cleared.reduce((n, h) => n + h.flows, 0);
      return cleared.length === 0 ? "no connection carries a stale mark" : `${flows} connection${flows === 1 ? "" : "s"} of ${cleared.length} address${cleared.length === 1 ? "" : "es"} cleared (${cleared.map((h) => h.name ?? h.address).join(", ")})`;
    }],
  ];
  try {
    for (const [name, fn] of steps) {
      current = name;
      // the conntrack step always looks: after an interrupted apply the rules are new and the flows old
      if (name !== "precheck" && name !== "conntrack" && plan.empty) {
        emit({ step: name, state: "skipped", detail: "nothing to change" });
        continue;
      }
      if (name === "sysctls" && !plan.sysctls?.length) {
        emit({ step: name, state: "skipped", detail: "the owned sysctls are already set" });
        continue;
      }
      if (name === "takeover" && !plan.takeover?.lines.length) {
        emit({ step: name, state: "skipped", detail: plan.takeover ? `nothing to take over (${plan.takeover.kept.join("; ") || "no old objects"})` : "no take over staged" });
        continue;
      }
      await timed(name, fn);
      if (name === "precheck") await opts.beforeChanges?.(before, plan);
      else await opts.afterStep?.(name);
    }
    return { ok: true, plan, before, rolledBack: false };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    emit({ step: current, state: "failed", detail: error });
    if (current === "precheck") return { ok: false, plan, before, failedStep: current, error, rolledBack: false };
    let restored: RestoreResult = { exact: false, differences: [] };
    await timed("rollback", async () => {
      restored = await restoreSnapshot(target, before);
      return restored.exact ? "the gateway is back exactly as it was" : `rollback left differences: ${restored.differences.join("; ")}`;
    });
    return { ok: false, plan, before, failedStep: current, error, rolledBack: true, restoredExactly: restored.exact, ...(restored.exact ? {} : { rollbackDifferences: restored.differences }) };
  }
}

export { restoreSnapshot };
