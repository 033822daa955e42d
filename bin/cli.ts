// `switchyard`: the command line. Argument parsing is lib/cli/args.ts (pure); this file runs
// the command through the same code the web UI uses (lib/engine/service.ts, lib/data/config.ts),
// prints the result (human text, or JSON on stdout with --json) and exits:
//   0 ok, 1 the apply or verification failed (or another error), 2 bad usage or invalid input.
// Modules that open the database are imported lazily: `help`, a usage error or `lab down`
// never touch it. Processes are only ever started by lib/net/exec.ts.
import fs from "node:fs";
import { parseCli, type Command, type TargetOptions } from "@/lib/cli/args";
import { describeIssue, formatPath } from "@/lib/cli/issues";
import { parseJsonText } from "@/lib/cli/json-error";
import { USAGE } from "@/lib/cli/usage";
import { databaseFile, databaseUrl } from "@/lib/db-url";
import type { ConfigIssue } from "@/lib/validation/config";
import type { GatewayConfig } from "@/lib/model";
import type { ManagedTarget } from "@/lib/engine/target";
import type { VerifyReport } from "@/lib/net/verify";
import type { PlanLine } from "@/lib/net/plan";
import type { CanaryChange } from "@/lib/engine/canary";
import type { StepEvent } from "@/lib/net/apply";
import { labPrefix as labPrefixSchema, netnsName } from "@/lib/validation/cli";
import { exitWhenFlushed } from "@/lib/cli/exit";

/** An error with an exit code, and for --json a payload; its message is one line. */
class CliError extends Error {
  constructor(message: string, public exitCode = 1, public details?: Record<string, unknown>) {
    super(message);
  }
}

let json = false;
let dbOpened = false;

const out = (text = "") => process.stdout.write(`${text}\n`);
const note = (text = "") => process.stderr.write(`${text}\n`);
const emit = (value: unknown) => out(JSON.stringify(value, null, 2));

/** Aligned columns, two spaces apart. */
function table(rows: string[][], indent = "  "): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => indent + r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join("  ").trimEnd()).join("\n");
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;
const when = (d: Date) => d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
const counts = (c: GatewayConfig) => `${plural(c.isps.length, "ISP")}, ${plural(c.natAddresses.length, "NAT address")}, ${plural(c.hosts.length, "host")}`;
const actor = () => ({ username: `cli:${process.env.SUDO_USER || process.env.USER || "root"}` });

// ---------------------------------------------------------------- database and config

async function database() {
  const file = databaseFile(databaseUrl());
  if (!fs.existsSync(file)) {
    throw new CliError(`there is no database at ${file}: create it with \`npx prisma migrate deploy\` (DATABASE_URL chooses the file)`);
  }
  const { db } = await import("@/lib/db");
  dbOpened = true;
  return db;
}

function invalidConfig(what: string, issues: ConfigIssue[], input: unknown, hint = ""): CliError {
  const lines = issues.map((i) => describeIssue(i, input));
  return new CliError(`${what} is not valid (${plural(issues.length, "problem")})${hint}:\n${lines.map((l) => `  ${l}`).join("\n")}`, 2, {
    issues: issues.map((i, n) => ({ path: formatPath(i.path), message: i.message, text: lines[n] })),
  });
}

/** The staged configuration, validated: nothing is rendered from an invalid one. */
async function stagedConfig(): Promise<GatewayConfig> {
  await database();
  const { loadConfig } = await import("@/lib/data/config");
  const { validateConfig } = await import("@/lib/validation/config");
  const config = await loadConfig();
  const v = validateConfig(config);
  if (!v.ok) throw invalidConfig("the staged configuration", v.issues, config, " (fix it in the UI or with `switchyard config import`)");
  return v.config;
}

function parseJson(text: string, source: string): unknown {
  const r = parseJsonText(text);
  if (!r.ok) throw new CliError(`${source} is not valid JSON: ${r.error}`, 2);
  return r.value;
}

function fsReason(e: unknown): string {
  const reasons: Record<string, string> = { ENOENT: "no such file or directory", EISDIR: "it is a directory", EACCES: "permission denied", ENOTDIR: "a part of the path is not a directory", EROFS: "read-only file system" };
  const err = e as NodeJS.ErrnoException;
  return (err.code && reasons[err.code]) || oneLine(err.message ?? String(e));
}

/** A secret (notify --secret-stdin): never an argument, where the shell history and `ps` would keep it. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) note("reading the secret from stdin (end with Ctrl-D)...");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

async function readInput(file: string): Promise<{ text: string; source: string }> {
  if (file === "-") {
    if (process.stdin.isTTY) note("reading the configuration from stdin (end with Ctrl-D)...");
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return { text: Buffer.concat(chunks).toString("utf8"), source: "stdin" };
  }
  try {
    return { text: fs.readFileSync(file, "utf8"), source: file };
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${fsReason(e)}`, 2);
  }
}

// ---------------------------------------------------------------- target

async function managedTarget(opts: TargetOptions): Promise<ManagedTarget> {
  // the environment is input too: the same rules as the options
  const env = process.env;
  if (!opts.netns && !opts.host && !opts.lab) {
    if (env.SWITCHYARD_NETNS && !netnsName.safeParse(env.SWITCHYARD_NETNS).success)
      throw new CliError(`SWITCHYARD_NETNS: ${JSON.stringify(env.SWITCHYARD_NETNS)} is not a valid network namespace name`, 2);
    const t = env.SWITCHYARD_TARGET;
    if (t?.startsWith("netns:") && !netnsName.safeParse(t.slice(6)).success)
      throw new CliError(`SWITCHYARD_TARGET: ${JSON.stringify(t.slice(6))} is not a valid network namespace name`, 2);
    if (env.SWITCHYARD_LAB_PREFIX && !labPrefixSchema.safeParse(env.SWITCHYARD_LAB_PREFIX).success)
      throw new CliError(`SWITCHYARD_LAB_PREFIX: ${JSON.stringify(env.SWITCHYARD_LAB_PREFIX)} is not a valid lab prefix`, 2);
  }
  const { resolveTarget } = await import("@/lib/engine/target");
  let managed: ManagedTarget;
  try {
    managed = resolveTarget(opts);
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e), 2);
  }
  // a lab target: the lab plugs into the apply (lib/engine/target-hooks.ts)
  if (managed.labPrefix) await import("@/lib/lab/apply-hooks");
  return managed;
}

/** `ip netns exec` needs /run/netns/NAME: say so plainly instead of quoting ip's error. */
function requireTarget(m: ManagedTarget) {
  if (m.target.kind !== "netns") return;
  const name = m.target.name;
  if (fs.existsSync(`/run/netns/${name}`) || fs.existsSync(`/var/run/netns/${name}`)) return;
  if (m.labPrefix) throw new CliError(`the lab ${m.labPrefix} is not up (no namespace ${name}): run \`switchyard lab up --lab ${m.labPrefix}\` or \`switchyard apply --lab ${m.labPrefix}\``);
  throw new CliError(`there is no network namespace ${name} (see \`ip netns list\`)`);
}

function labPrefixFor(cmdPrefix: string | undefined, opts: TargetOptions): string {
  const p = cmdPrefix ?? opts.lab ?? process.env.SWITCHYARD_LAB_PREFIX ?? "sy";
  if (!labPrefixSchema.safeParse(p).success) throw new CliError(`SWITCHYARD_LAB_PREFIX: ${JSON.stringify(p)} is not a valid lab prefix`, 2);
  return p;
}

// ---------------------------------------------------------------- printing

function printLines(lines: PlanLine[], indent = "  ") {
  for (const l of lines) out(`${indent}${l.op} ${l.text}`);
}

function pathText(p: VerifyReport["hosts"][number]["predicted"]): string {
  if (!p) return "-";
  if (p.error) return `error: ${p.error}`;
  return [`table ${p.table ?? "?"}`, p.gateway ? `via ${p.gateway}` : "", p.dev ? `dev ${p.dev}` : ""].filter(Boolean).join(" ");
}

function printVerification(v: VerifyReport) {
  const how = [v.probed ? "real traffic" : "", v.canary?.available ? "the canary" : "", "route lookup"].filter(Boolean).join(", ");
  out(`Verification (${how}): ${v.ok ? "ok" : "FAILED"}`);
  if (v.hosts.length) {
    const rows = [["HOST", "ADDRESS", "ISP", "PREDICTED PATH", "SEEN AS", "PROOF", "RESULT"]];
    for (const h of v.hosts) {
      const proof = h.proof === "traffic" ? "its traffic" : h.proof === "canary" ? `canary ${h.provenBy}` : "predicted only";
      rows.push([h.name, h.address, h.isp ?? "-", pathText(h.predicted), h.seenAs ?? (v.probed ? "-" : "(no probe)"), proof, h.ok ? "ok" : `FAILED: ${h.reason ?? ""}`]);
    }
    out(table(rows));
  } else {
    out("  (no hosts to check: this is not a pass)");
  }
  for (const i of v.isps.filter((i) => !i.ok)) out(`  ISP ${i.name}: ${i.down ? "DOWN" : "FAILED"}: ${i.reason ?? ""}`);
  printCanary(v.canary);
  if (v.summary) out(`  ${v.summary}`);
  printOverrides(v.overrides ?? []);
  if (!v.stateMatches) {
    out(`  The gateway differs from the desired state in ${plural(v.drift.length, "object")}:`);
    printLines(v.drift, "    ");
  }
}

function printCanary(c: VerifyReport["canary"]) {
  if (!c) return;
  if (!c.available) return out(`  Canary: none (${c.reason})`);
  const rows = [["CANARY", "ADDRESS", "VIA", "TARGET", "SEEN AS", "RTT", "RESULT"]];
  for (const p of c.proofs) {
    rows.push([p.target, p.address, p.isps.join("|") || "-", p.probeTarget ?? "-", p.seenAs ?? "-", p.rttMs !== undefined ? `${p.rttMs} ms` : "-", p.ok ? "proven" : `FAILED: ${p.reason ?? ""}`]);
  }
  out(`  Canary (real packets through the gateway, ${c.durationMs ?? "?"} ms):`);
  out(table(rows).split("\n").map((l) => `  ${l}`).join("\n"));
}

function stepPrinter(): ((e: StepEvent) => void) | undefined {
  if (json) return undefined;
  return (e) => {
    if (e.state === "running" && !e.detail) return;
    const state = e.state === "failed" ? "FAILED" : e.state === "running" ? "..." : e.state;
    const ms = e.durationMs !== undefined ? ` (${e.durationMs} ms)` : "";
    note(`  ${e.step.padEnd(10)}${state}${ms}${e.detail ? `  ${e.detail}` : ""}`);
  };
}

// ---------------------------------------------------------------- commands

async function configExport(file: string | undefined): Promise<number> {
  await database();
  const { configFileText, exportConfigFile } = await import("@/lib/data/config-file");
  const config = await exportConfigFile(); // with the stored health settings, caps, channels, schedule
  const text = configFileText(config);
  if (file === undefined || file === "-") {
    process.stdout.write(text);
    return 0;
  }
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new CliError(`cannot write ${file}: ${fsReason(e)}`);
  }
  const health = Object.keys(config.healthChecks ?? {}).length;
  if (json) emit({ ok: true, file, isps: config.isps.length, natAddresses: config.natAddresses.length, hosts: config.hosts.length, healthChecks: health });
  else out(`Wrote the staged configuration (${counts(config)}${health ? `, health settings of ${plural(health, "ISP")}` : ""}) to ${file}`);
  return 0;
}

async function configImport(file: string): Promise<number> {
  const { text, source } = await readInput(file);
  const input = parseJson(text, source);
  await database();
  const { importConfigFile } = await import("@/lib/data/config-file");
  const { recordAudit } = await import("@/lib/data/audit");
  const config = input as GatewayConfig;
  // the audit event is written in the import's own transaction (with the health settings)
  const r = await importConfigFile(input, (tx) => recordAudit(tx, actor(), "config.import", source === "stdin" ? "stdin" : file, null, { isps: config.isps.length, natAddresses: config.natAddresses.length, hosts: config.hosts.length }));
  if (!r.ok) throw invalidConfig(source, r.issues, input, "; nothing was changed");
  const health = r.healthChecks;
  const channels = r.notifications;
  if (json) emit({ ok: true, source, isps: config.isps.length, natAddresses: config.natAddresses.length, hosts: config.hosts.length, ...(health === undefined ? {} : { healthChecks: health }), ...(channels === undefined ? {} : { notifications: channels }) });
  else out(`Imported ${source}: ${counts(config)}${health === undefined ? "" : `, health settings of ${plural(health, "ISP")} (in effect now: they are not staged)`}${channels === undefined ? "" : `, ${plural(channels, "notification channel")} (in effect now)`}. It is staged: \`switchyard plan\` shows what applying it changes, \`switchyard apply\` applies it.`);
  return 0;
}

/** What a killed apply left is recovered before anything reads the gateway (lib/engine/recovery.ts). */
async function recoverFirst() {
  await database();
  const { recoverInterrupted } = await import("@/lib/engine/recovery");
  const recovered = await recoverInterrupted();
  for (const r of recovered) note(`Recovered (revision ${r.revisionId}): ${r.message}`);
  return recovered;
}

async function plan(opts: TargetOptions): Promise<number> {
  await recoverFirst();
  const config = await stagedConfig();
  const managed = await managedTarget(opts);
  requireTarget(managed);
  const { observeKernel } = await import("@/lib/net/observe");
  const { planChanges } = await import("@/lib/net/plan");
  const { render } = await import("@/lib/net/render");
  const { lastGoodRevision, userConfigOf } = await import("@/lib/engine/service");
  const { gatewayStatus } = await import("@/lib/engine/status");
  const { listFlows } = await import("@/lib/net/apply");
  const [observed, flows] = await Promise.all([observeKernel(managed.target), listFlows(managed.target)]);
  const { withResolvedFirewall } = await import("@/lib/net/firewall");
  const running = withResolvedFirewall((await (await import("@/lib/net/dynamic")).learnNow(config, managed.target)).config, observed); // dynamic ISPs as learned now
  let p = planChanges(render(running).state, observed, running, flows); // with the flows an apply would clear
  // an adopted configuration's staged take over: the old objects the apply replaces
  const { loadStagedTakeover } = await import("@/lib/adopt/store");
  const takeover = await loadStagedTakeover();
  if (takeover) {
    const { planTakeover, withTakeover } = await import("@/lib/adopt/takeover");
    p = withTakeover(p, planTakeover(takeover, observed, render(running).state));
  }
  const last = await lastGoodRevision();
  const lastConfig = last ? (JSON.parse(last.config) as GatewayConfig) : null;
  const st = gatewayStatus(observed, lastConfig, config, last ? (JSON.parse(userConfigOf(last)) as GatewayConfig) : null);
  const { drift, stagedDiffersFromLastGood: stagedChanged } = st;
  // overrides as the staged config would meet them
  const overrides = gatewayStatus(observed, null, config).overrides;
  // a foreign object that decides before Switchyard is a problem the plan must not call empty
  const overriding = overrides.filter((o) => !o.neutralised);
  if (json) {
    emit({
      target: managed.label, changes: p.lines, empty: p.empty && overriding.length === 0, movedHosts: p.movedHosts, downLinks: p.downLinks,
      lastGoodRevision: last ? { id: last.id, createdAt: last.createdAt, result: last.result } : null,
      drift, stagedDiffersFromLastGood: stagedChanged, overrides,
    });
    return 0;
  }
  out(`Target: ${managed.label}`);
  if (p.lines.length === 0 && overriding.length) out(`No changes to Switchyard's objects, but ${plural(overriding.length, "foreign object")} override${overriding.length === 1 ? "s" : ""} them (below): the hosts named do not leave as configured, and an apply fails verification until ${overriding.length === 1 ? "it is" : "they are"} removed.`);
  else if (p.lines.length === 0) out("No changes: the gateway already matches the staged configuration.");
  else {
    const n = (op: string) => p.lines.filter((l) => l.op === op).length;
    out(`Applying the staged configuration would make ${plural(p.lines.length - n("="), "change")} (+${n("+")} ~${n("~")} -${n("-")}${n("=") ? `; ${n("=")} old kept` : ""}):`);
    printLines(p.lines);
  }
  if (p.downLinks.length) out(`Links down (their routes wait for the link): ${p.downLinks.join(", ")}`);
  printOverrides(overrides);
  out(driftSummary(last, drift, stagedChanged));
  return 0;
}

function driftSummary(last: { id: number; createdAt: Date } | null, drift: PlanLine[] | null, stagedChanged: boolean | null): string {
  if (!last || !drift) return "Drift: no revision has been applied cleanly yet, nothing to compare with.";
  const lines = [
    drift.length === 0
      ? `Drift: none, the gateway is as revision ${last.id} (${when(last.createdAt)}) left it.`
      : `Drift: the gateway differs from revision ${last.id} (${when(last.createdAt)}) in ${plural(drift.length, "object")} (changed outside Switchyard, or a failed apply):`,
  ];
  for (const l of drift) lines.push(`  ${l.op} ${l.text}`);
  lines.push(stagedChanged ? `The staged configuration has changes since revision ${last.id}.` : `The staged configuration is the one revision ${last.id} applied.`);
  return lines.join("\n");
}

async function apply(cmd: Extract<Command, { name: "apply" }>, opts: TargetOptions): Promise<number> {
  const managed = await managedTarget(opts);
  if (!managed.labPrefix) requireTarget(managed); // a lab is brought up by the apply itself
  const service = await import("@/lib/engine/service");
  const req = { actor: actor(), source: "cli" as const, managed, onStep: stepPrinter(), rollbackOnVerifyFailure: cmd.rollback };
  // before the boot unit waits for links and picks the last good revision: a recovery may record it
  const early = cmd.waitLinksS || cmd.lastGood ? await recoverFirst() : [];
  if (cmd.waitLinksS) await waitLinks(cmd, managed);
  let recorded;
  if (cmd.lastGood) {
    // the boot path: recovery first, then the last good revision (chosen under the lock), staged edits left alone
    await database();
    recorded = await service.reapplyLastGood(req);
    if (!json) note(recorded.lastGood ? `Re-applied revision ${recorded.lastGood.id} (${when(recorded.lastGood.createdAt)}), the last one that applied cleanly` : "No revision has applied cleanly yet: applied the staged configuration");
  } else if (cmd.revision !== undefined) {
    await database();
    if (!(await service.getRevision(cmd.revision))) throw new CliError(`there is no revision ${cmd.revision} (\`switchyard revisions\` lists them)`, 2);
    if (!json) note(`Re-applying revision ${cmd.revision}: it becomes the staged configuration again`);
    recorded = await service.reapplyRevision(cmd.revision, req);
  } else {
    await stagedConfig(); // exit 2 with every problem listed, before anything runs
    if (!json) note(`Applying the staged configuration to ${managed.label}`);
    recorded = await service.applyStaged(req);
  }
  for (const r of recorded.recovered) note(`Recovered first (revision ${r.revisionId}): ${r.message}`);
  const { revisionId, report } = recorded;
  const labFaults = managed.labPrefix ? await injectedFaults(managed.labPrefix, revisionId) : [];
  if (json) {
    emit({ revisionId, ...report, recovered: [...early, ...recorded.recovered], ...(managed.labPrefix ? { labFaults } : {}) });
    return report.ok ? 0 : 1;
  }
  if (report.verification) printVerification(report.verification);
  for (const f of labFaults) out(`Kept: ${f}`);
  const changes = plural(report.planLines.length, "change");
  if (report.result === "applied") out(`Applied: revision ${revisionId}, ${changes} on ${report.target} in ${report.durationMs} ms.`);
  else if (report.result === "unchanged") out(`Unchanged: revision ${revisionId}, ${report.target} already matched the configuration (${report.durationMs} ms).`);
  else {
    if (report.failedStep === "precheck") {
      out(`Apply REFUSED by the precheck (revision ${revisionId}): ${oneLine(report.error ?? "unknown error")}. Nothing on the gateway was changed.`);
      return 1;
    }
    const undo = report.rolledBack
      ? report.restoredExactly ? "Rolled back: the gateway is exactly as it was before." : `Rolled back, but the rollback left differences:\n${(report.rollbackDifferences ?? []).map((d) => `  ${d}`).join("\n")}`
      : "Not rolled back (--no-rollback): the gateway is left as the apply left it.";
    out(`Apply FAILED (revision ${revisionId}) at step ${report.failedStep ?? "?"}: ${oneLine(report.error ?? "unknown error")}. ${undo}`);
  }
  return report.ok ? 0 : 1;
}

/** The lab faults an apply left in place (it never undoes one), read for the configuration it applied. */
async function injectedFaults(prefix: string, revisionId: number): Promise<string[]> {
  const { getRevision } = await import("@/lib/engine/service");
  const rev = await getRevision(revisionId);
  if (!rev) return [];
  const { faultNotes, faultStatus } = await import("@/lib/lab/faults");
  return faultNotes(await faultStatus(JSON.parse(rev.config) as GatewayConfig, prefix), prefix);
}

/** apply --wait-links S (the boot unit): wait, bounded, for the WAN links of the config about to be applied. */
async function waitLinks(cmd: Extract<Command, { name: "apply" }>, managed: ManagedTarget) {
  if (managed.labPrefix) return note("--wait-links: the apply brings a lab's links up itself; not waiting");
  await database();
  const service = await import("@/lib/engine/service");
  const rev = cmd.lastGood ? await service.lastGoodRevision() : cmd.revision !== undefined ? await service.getRevision(cmd.revision) : null;
  const config = rev ? (JSON.parse(rev.config) as GatewayConfig) : await stagedConfig();
  const { waitForLinks } = await import("@/lib/engine/wait-links");
  const said = (ls: { isp: string; dev: string; missing?: string }[]) => ls.map((l) => `${l.isp} (${l.dev}: ${l.missing})`).join(", ");
  const r = await waitForLinks(managed.target, config, cmd.waitLinksS! * 1000, { onWait: (p) => note(`Waiting up to ${cmd.waitLinksS} s for the WAN links: ${said(p)}`) });
  const down = r.links.filter((l) => !l.ready);
  if (down.length) note(`After ${Math.round(r.waitedMs / 1000)} s still not ready: ${said(down)}; applying what can be applied (their routes follow when the links are up)`);
  else if (r.waited) note(`WAN links ready after ${(r.waitedMs / 1000).toFixed(1)} s`);
}

async function install(cmd: Extract<Command, { name: "install" | "uninstall" }>): Promise<number> {
  const lib = await import("@/lib/install/install");
  const log = (l: string) => note(l);
  const start = cmd.start;
  if (cmd.name === "uninstall") {
    const r = await lib.uninstall({ root: cmd.root, start, purge: cmd.purge, log });
    if (json) emit({ ok: true, ...r });
    else out(`Uninstalled: ${r.removed.length} removed${r.kept.length ? `; kept ${r.kept.join(" ")}` : ""}`);
    return 0;
  }
  const source = fs.realpathSync(new URL("..", import.meta.url));
  const r = await lib.install({ root: cmd.root, source, start, log });
  if (json) emit({ ok: true, ...r });
  else {
    out(`${r.upgrade ? "Upgraded" : "Installed"} Switchyard in ${r.appDir} (database ${r.database}${r.upgrade ? ", kept and migrated" : ""}).`);
    if (!r.upgrade) out(`First login: open the UI from the router itself (e.g. \`ssh -L 3000:127.0.0.1:3000 router\`, then http://127.0.0.1:3000); /setup asks for the one-time token in ${r.database}.setup-token.`);
  }
  return 0;
}

async function verify(opts: TargetOptions): Promise<number> {
  await recoverFirst();
  const config = await stagedConfig();
  const managed = await managedTarget(opts);
  requireTarget(managed);
  const { verifyKernel } = await import("@/lib/net/verify");
  const { render } = await import("@/lib/net/render");
  const { probeEgress } = await import("@/lib/lab/lab");
  const prefix = managed.labPrefix;
  const probe = prefix ? (a: string) => probeEgress(prefix, a) : undefined;
  const { resolveFirewallOn } = await import("@/lib/net/firewall");
  const running = await resolveFirewallOn(managed.target, (await (await import("@/lib/net/dynamic")).learnNow(config, managed.target)).config); // dynamic ISPs as learned now
  const { canaryTargetsOf } = await import("@/lib/engine/canary");
  const report = await verifyKernel(managed.target, running, render(running).state, probe, await canaryTargetsOf(running, Boolean(prefix)));
  if (json) emit({ target: managed.label, ...report });
  else {
    out(`Target: ${managed.label}`);
    printVerification(report);
  }
  return report.ok ? 0 : 1;
}

async function canary(change: CanaryChange | undefined): Promise<number> {
  await database();
  const { canarySlots } = await import("@/lib/net/canary/slots");
  let config = await stagedConfig();
  if (change) {
    const { canaryTargets } = await import("@/lib/net/canary/slots");
    const keys = canaryTargets(config).map((t) => t.key);
    if ("target" in change && !keys.includes(change.target)) throw new CliError(`canary: there is no target ${JSON.stringify(change.target)} (targets: ${keys.join(", ")})`, 2);
    const { changedCanary } = await import("@/lib/engine/canary");
    const { updateSettings } = await import("@/lib/data/settings");
    const { settingsSchema } = await import("@/lib/validation");
    const input = settingsSchema.safeParse({ ...config.settings, canary: changedCanary(config, change) });
    if (!input.success) throw invalidConfig("the canary setting", input.error.issues.map((i) => ({ path: ["settings", ...i.path] as (string | number)[], message: i.message })), {});
    const r = await updateSettings(input.data, actor());
    if (!r.ok) throw new CliError(`the canary setting is not valid: ${Object.values(r.errors).flat().join("; ")}`, 2);
    config = await stagedConfig();
  }
  const slots = canarySlots({ ...config, settings: { ...config.settings, canary: { enabled: true, ...config.settings.canary } } });
  const proofs = (await (await import("@/lib/health/canary-watch")).lastCanaryProof()) ?? undefined;
  const enabled = config.settings.canary?.enabled === true;
  if (json) {
    emit({ enabled, slots: slots.map((s) => ({ target: s.key, address: s.address, reserved: Boolean(config.settings.canary?.addresses?.[s.key]) })), lastProof: proofs ?? null, ...(change ? { staged: true } : {}) });
    return 0;
  }
  out(`Canary: ${enabled ? "on" : "off"}${change ? " (staged: the next apply uses it)" : ""}`);
  out(table([["TARGET", "ADDRESS", "HOW"], ...slots.map((s) => [s.key, s.address, config.settings.canary?.addresses?.[s.key] ? "reserved" : "chosen"])]));
  if (proofs) printCanary(proofs);
  else out("  no canary proof yet: the next apply makes one");
  return 0;
}

/** `lan list|add|set|remove`: the same validated changes as the Settings page's LAN forms. */
async function lan(command: Extract<Command, { name: "lan" }>): Promise<number> {
  await database();
  const { lansOf, lanOfAddress } = await import("@/lib/net/lans");
  if (command.action !== "list") {
    const data = await import("@/lib/data/lans");
    const { lanSchema } = await import("@/lib/validation");
    let r: Awaited<ReturnType<typeof data.addLan>>;
    if (command.action === "remove") r = await data.deleteLan(command.lan, actor());
    else {
      const config = await stagedConfig();
      const before = (config.settings.lans ?? []).find((l) => l.name === command.lan);
      if (command.action === "set" && !before) throw new CliError(`lan set: there is no LAN named ${JSON.stringify(command.lan)}${command.lan === "lan" ? " beside the main one (change the main LAN in Settings)" : ""}`, 2);
      if (command.action === "add" && before) throw new CliError(`lan add: there is already a LAN named ${command.lan}`, 2);
      const f = command.fields;
      const keepDefault = f.isp === undefined && f.policy === undefined;
      const input = {
        name: f.name ?? command.lan, interface: f.interface ?? before?.interface, subnets: f.subnets ?? before?.subnets,
        defaultIsp: keepDefault ? before?.defaultIsp ?? null : f.isp || null, defaultPolicy: keepDefault ? before?.defaultPolicy ?? null : f.policy || null,
      };
      const parsed = lanSchema.safeParse(input);
      if (!parsed.success) throw invalidConfig(`the LAN ${command.lan}`, parsed.error.issues.map((i) => ({ path: ["settings", "lans", i.path.join(".")], message: i.message })), input);
      r = command.action === "add" ? await data.addLan(parsed.data, actor()) : await data.updateLan(command.lan, parsed.data, actor());
    }
    const flag: Record<string, string> = { defaultIsp: "--isp", defaultPolicy: "--policy", interface: "--interface", subnets: "--subnets", name: "--rename" };
    if (!r.ok) throw new CliError(`lan ${command.action}: ${Object.entries(r.errors).map(([k, v]) => (k === "_form" ? v.join("; ") : `${flag[k] ?? k}: ${v.join("; ")}`)).join("; ")}`, 2, { errors: r.errors });
  }
  const config = await stagedConfig();
  const lans = lansOf(config).map((l, n) => ({
    name: l.name, interface: l.interface, subnets: l.subnets,
    uses: l.defaultPolicy ? `policy ${l.defaultPolicy}` : n > 0 && l.defaultIsp ? l.defaultIsp : n === 0 ? config.settings.defaultPolicy ? `policy ${config.settings.defaultPolicy}` : config.settings.defaultIsp ?? "the first ISP" : "the gateway's default",
    hosts: config.hosts.filter((h) => lanOfAddress(config, h.address)?.name === l.name).length,
  }));
  if (json) {
    emit({ lans, ...(command.action !== "list" ? { staged: true } : {}) });
    return 0;
  }
  if (command.action !== "list") out(`LAN ${command.lan} ${command.action === "add" ? "added" : command.action === "set" ? "changed" : "removed"} (staged: the next apply uses it)`);
  out(table([["LAN", "INTERFACE", "SUBNETS", "UNLISTED HOSTS USE", "HOSTS"], ...lans.map((l) => [l.name, l.interface, l.subnets.join(","), l.uses, String(l.hosts)])]));
  return 0;
}

async function status(opts: TargetOptions): Promise<number> {
  const managed = await managedTarget(opts);
  requireTarget(managed);
  const recovered = await recoverFirst();
  const { applyLockHolder } = await import("@/lib/engine/lock");
  const applying = await applyLockHolder();
  const { observeKernel } = await import("@/lib/net/observe");
  const { loadConfig } = await import("@/lib/data/config");
  const { lastGoodRevision, listRevisions, userConfigOf } = await import("@/lib/engine/service");
  const { gatewayStatus } = await import("@/lib/engine/status");
  const [observed, last, [latest], staged] = await Promise.all([observeKernel(managed.target), lastGoodRevision(), listRevisions(1), loadConfig()]);
  const lastConfig = last ? (JSON.parse(last.config) as GatewayConfig) : null;
  const lastUser = last ? (JSON.parse(userConfigOf(last)) as GatewayConfig) : null;
  const { validateConfig } = await import("@/lib/validation/config");
  const v = validateConfig(staged);
  const st = gatewayStatus(observed, lastConfig, v.ok ? v.config : staged, lastUser);
  const { owned, foreign, drift, stagedDiffersFromLastGood: stagedChanged } = st;
  const health = await ispHealthForStatus(lastUser ?? (v.ok ? v.config : staged), Boolean(last));
  const learned = await learnedForStatus(lastUser ?? (v.ok ? v.config : staged), managed.target);
  const { usageOf } = await import("@/lib/usage/view");
  const usage = await usageOf((lastUser ?? (v.ok ? v.config : staged)).isps.map((i) => i.name));
  const summary = (r: typeof latest | null) =>
    r ? { id: r.id, createdAt: r.createdAt, actor: r.actor, source: r.source, target: r.target, result: r.result, error: r.error, durationMs: r.durationMs } : null;
  // the LANs the gateway runs (the last good revision's; the staged ones before any apply)
  const { lansOf } = await import("@/lib/net/lans");
  const lanSource = lastUser ?? (v.ok ? v.config : staged);
  const lansRan = lansOf(lanSource).map((l, n) => ({ name: l.name, interface: l.interface, subnets: l.subnets, uses: n === 0 ? null : l.defaultPolicy ? `policy ${l.defaultPolicy}` : l.defaultIsp ?? null }));
  if (json) {
    emit({ target: managed.label, firewall: st.firewall, owned, foreign, lastGoodRevision: summary(last), lastRevision: summary(latest ?? null), drift, stagedDiffersFromLastGood: stagedChanged, overrides: st.overrides, downIsps: st.downIsps, vanished: st.vanished, recovered, applying, health, learned, lans: lansRan, usage });
    return 0;
  }
  out(`Target: ${managed.label}`);
  out(`Firewall backend: ${st.firewall === "nftables" ? "nftables (table inet switchyard)" : "iptables"}`);
  if (lansRan.length > 1) out(`LANs: ${lansRan.map((l) => `${l.name} (${l.interface}: ${l.subnets.join(", ")}${l.uses ? ` -> ${l.uses}` : ""})`).join(", ")}`);
  out(st.firewall === "nftables"
    ? `Owned by Switchyard: ${plural(owned.rules, "rule")}, ${plural(owned.routes, "route")}, ${plural(owned.chains, "nftables chain")}, ${plural(owned.sets, "map")}`
    : `Owned by Switchyard: ${plural(owned.rules, "rule")}, ${plural(owned.routes, "route")}, ${plural(owned.chains, "chain")} (${plural(owned.hooks, "hook")})`);
  out(`Foreign (left alone): ${plural(foreign.rules, "rule")}, ${plural(foreign.routes, "route")}, ${plural(foreign.chains, "iptables chain")}, ${plural(foreign.nftTables, "nftables table")}`);
  out(
    latest
      ? `Last revision: ${latest.id}, ${when(latest.createdAt)} by ${latest.actor} (${latest.source}) on ${latest.target}: ${latest.result}${latest.error ? ` (${oneLine(latest.error)})` : ""}`
      : "Last revision: none yet",
  );
  for (const r of recovered) out(`Recovered an interrupted apply (revision ${r.revisionId}): ${r.message}`);
  if (applying) out(`Applying now: ${applying.holder}, since ${when(applying.since)}`);
  out(driftSummary(last, drift, stagedChanged));
  if (st.vanished) out(st.vanished);
  if (st.downIsps.length) out(`Down: ${st.downIsps.join(", ")} (link down; their hosts have no path)`);
  out(last ? "Health (the monitor's view):" : "Health: not applied yet, so no health data yet (the monitor probes after the first apply)");
  if (last) for (const h of health) out(`  ${h.line}; ${h.proofLine}`);
  if (usage.length) {
    out("Uptime and usage (docs/usage.md):");
    for (const line of (await import("@/lib/cli/usage-print")).usageLines(usage)) out(line);
  }
  if (learned.length) out("Learned addresses (DHCP, PPP):");
  for (const l of learned) out(`  ${l.line}`);
  printOverrides(st.overrides);
  return 0;
}

/** Each ISP's health and last canary proof, as the pages show it (lib/engine/status.ts healthStatus). */
async function ispHealthForStatus(config: GatewayConfig, applied: boolean) {
  const { loadHealth } = await import("@/lib/health/store");
  const { healthStatus } = await import("@/lib/engine/status");
  // the newest proof: the monitor's canary between applies, or the last apply's
  const canary = await (await import("@/lib/health/canary-watch")).lastCanaryProof();
  return healthStatus(config.isps.map((i) => i.name), await loadHealth(), canary, Date.now(), applied);
}

/** Each dynamic ISP's address: what runs and since when (the database), and what its WAN shows now. */
async function learnedForStatus(config: GatewayConfig, target: import("@/lib/net/exec").Target) {
  const dynamic = await import("@/lib/net/dynamic");
  if (!dynamic.hasDynamicIsps(config)) return [];
  const { loadLearned } = await import("@/lib/data/learned");
  const { learnedStatus } = await import("@/lib/engine/status");
  const kernel = await dynamic.learnNow(config, target).catch(() => null);
  return learnedStatus(config, await loadLearned(), kernel, Date.now());
}

/** Foreign objects that override Switchyard, with the hosts each affects ("*" = every LAN source). */
function printOverrides(overrides: import("@/lib/net/lint").Override[]) {
  for (const o of overrides) out(`${o.neutralised ? "Neutralised" : "Overrides Switchyard"}: ${o.object}: ${o.effect} (hosts: ${o.hosts.includes("*") ? "all LAN" : o.hosts.join(", ")})`);
}

async function lab(cmd: Extract<Command, { name: "lab" }>, opts: TargetOptions): Promise<number> {
  const prefix = labPrefixFor(cmd.prefix, opts);
  const labs = await import("@/lib/lab/lab");
  if (cmd.action === "up") {
    const config = await stagedConfig();
    const r = await labs.labUp(config, { prefix });
    if (json) emit({ prefix, gateway: labs.gatewayNamespace(prefix), ...r });
    else {
      out(`Lab ${prefix} is up in ${r.durationMs} ms (gateway: namespace ${labs.gatewayNamespace(prefix)}; ${counts(config)})`);
      if (r.created.length) out(`  created ${r.created.join(" ")}`);
      if (r.removed.length) out(`  removed ${r.removed.join(" ")}`);
      if (r.serverPid) out(`  test server pid ${r.serverPid}`);
    }
    return 0;
  }
  if (cmd.action === "down") {
    const r = await labs.labDown(prefix);
    if (json) emit({ prefix, ...r });
    else out(r.removed.length ? `Lab ${prefix} is down in ${r.durationMs} ms: removed ${r.removed.join(" ")}` : `Lab ${prefix}: nothing to remove`);
    return 0;
  }
  // status: compared with the staged config when there is a (valid) one
  let config: GatewayConfig | undefined;
  if (fs.existsSync(databaseFile(databaseUrl()))) config = await stagedConfig().catch(() => undefined);
  const s = await labs.labStatus(prefix, config);
  if (json) emit(s);
  else {
    out(`Lab ${prefix}: ${plural(s.namespaces.length, "namespace")}${s.namespaces.length ? ` (${s.namespaces.join(" ")})` : ""}`);
    out(`  test server: ${s.server.running ? `running, pid ${s.server.pid}` : "not running"}`);
    if (s.missing?.length) out(`  missing (lab up creates them): ${s.missing.join(" ")}`);
    if (s.extra?.length) out(`  not in the staged config (lab up removes them): ${s.extra.join(" ")}`);
  }
  if (!json && config && s.namespaces.length && !s.missing?.length) {
    const { faultNotes, faultStatus } = await import("@/lib/lab/faults");
    for (const f of faultNotes(await faultStatus(config, prefix), prefix)) out(`  fault: ${f}`);
  }
  return 0;
}

async function revisions(limit: number): Promise<number> {
  await database();
  const { listRevisions } = await import("@/lib/engine/service");
  const revs = await listRevisions(limit);
  const rows = revs.map((r) => {
    let changes: number | null = null;
    try {
      changes = (JSON.parse(r.plan) as unknown[]).length;
    } catch {
      /* an unreadable plan is shown as unknown */
    }
    // the dynamic ISPs' addresses it ran with (null: none of them)
    const learned = r.learned ? (JSON.parse(r.learned) as import("@/lib/data/learned").RevisionLearned) : null;
    return { id: r.id, createdAt: r.createdAt, actor: r.actor, source: r.source, target: r.target, result: r.result, error: r.error, changes, durationMs: r.durationMs, learned };
  });
  if (json) {
    emit(rows);
    return 0;
  }
  if (rows.length === 0) {
    out("No revisions yet: `switchyard apply` makes the first.");
    return 0;
  }
  out(table([["ID", "WHEN", "ACTOR", "SOURCE", "RESULT", "CHANGES", "TARGET"], ...rows.map((r) => [String(r.id), when(r.createdAt), r.actor, r.source, r.result, r.changes === null ? "?" : String(r.changes), r.target])], ""));
  return 0;
}

async function monitor(opts: TargetOptions): Promise<number> {
  const managed = await managedTarget(opts);
  requireTarget(managed);
  await stagedConfig();
  const { startMonitor } = await import("@/lib/health/monitor");
  const log = (l: string) => note(`${new Date().toISOString()} ${l}`);
  // SWITCHYARD_MONITOR_INTERVAL_MS (tests, demos): probe interval and timeout of every ISP
  const fast = process.env.SWITCHYARD_MONITOR_INTERVAL_MS;
  const ms = fast === undefined ? null : (await import("zod")).z.coerce.number().int().min(100).max(60_000).safeParse(fast);
  if (ms && !ms.success) throw new CliError(`SWITCHYARD_MONITOR_INTERVAL_MS must be a whole number of ms from 100 to 60000, not ${JSON.stringify(fast)}`, 2);
  const override = ms?.success ? { intervalMs: ms.data, timeoutMs: ms.data } : undefined;
  const m = await startMonitor({ managed, lab: Boolean(managed.labPrefix), log, override });
  log(`monitoring ${managed.label}: ${Object.keys(m.health()).join(", ")} (stop with SIGTERM)`);
  await new Promise((done) => ["SIGTERM", "SIGINT"].forEach((s) => process.once(s, done)));
  await m.stop();
  log(`stopped after ${m.applies} ${m.applies === 1 ? "apply" : "applies"}`);
  return 0;
}

/** `health show|set|reset`: the settings the monitor probes an ISP with; not staged (a running monitor reloads them every second). */
async function health(cmd: Extract<Command, { name: "health-show" | "health-set" | "health-reset" }>, opts: TargetOptions): Promise<number> {
  const lab = Boolean((await managedTarget(opts)).labPrefix); // which defaults: the lab's test server, or public targets
  await database();
  const hs = await import("@/lib/data/health-settings");
  const { healthText, healthIssueLines } = await import("@/lib/cli/health-print");
  if (cmd.name === "health-show") {
    const { loadConfig } = await import("@/lib/data/config");
    const config = await loadConfig();
    if (cmd.isp && !config.isps.some((i) => i.name === cmd.isp)) throw new CliError(`there is no ISP named ${cmd.isp} (ISPs: ${config.isps.map((i) => i.name).join(", ") || "none"})`, 2);
    const all = await hs.effectiveHealthSettings(config, lab);
    const shown = all.filter((e) => !cmd.isp || e.isp === cmd.isp);
    if (json) emit({ defaults: lab ? "lab" : "real-router", isps: shown.map((e) => ({ ...e, defaults: hs.defaultFields(e.isp, lab) })) });
    else out(shown.length ? shown.map((e) => healthText(e, hs.defaultFields(e.isp, lab), lab)).join("\n\n") : "No ISPs.");
    return 0;
  }
  const r = cmd.name === "health-set" ? await hs.setHealthSettings(cmd.isp, cmd.changes, actor(), lab) : await hs.resetHealthSettings(cmd.isp, actor(), lab);
  if (!r.ok) {
    const lines = healthIssueLines(r.issues);
    if (r.issues.length === 1 && r.issues[0].path.length === 0) throw new CliError(lines[0], 2);
    throw new CliError(`the health settings of ${cmd.isp} are not valid (${plural(lines.length, "problem")}); nothing was changed:\n${lines.map((l) => `  ${l}`).join("\n")}`, 2, { issues: r.issues.map((i, n) => ({ path: i.path.join("."), message: i.message, text: lines[n] })) });
  }
  const { targetScope } = await import("@/lib/health/scope");
  const scope = targetScope(r.isp, r.settings);
  if (json) emit({ ok: true, isp: cmd.isp, settings: r.settings, stored: r.stored, scope, warning: r.warning });
  else {
    const what = cmd.name === "health-reset" ? "back to the defaults" : r.stored ? "saved" : "saved (they are the defaults: nothing is stored)";
    out(`Health settings of ${cmd.isp} ${what}. A running monitor uses them within a second (they are not staged: no apply needed).`);
    out(healthText({ isp: cmd.isp, settings: r.settings, stored: r.stored, scope, warning: r.warning }, hs.defaultFields(cmd.isp, lab), lab));
  }
  return 0;
}

/** `cap show|set|remove`: monthly caps of metered ISPs; not staged (the monitor checks them at every sample). */
async function cap(cmd: Extract<Command, { name: "cap-show" | "cap-set" | "cap-remove" }>): Promise<number> {
  await database();
  const { loadConfig } = await import("@/lib/data/config");
  const { usageOf } = await import("@/lib/usage/view");
  const { capText, usageLines } = await import("@/lib/cli/usage-print");
  const config = await loadConfig();
  if (cmd.isp && !config.isps.some((i) => i.name === cmd.isp)) throw new CliError(`there is no ISP named ${cmd.isp} (ISPs: ${config.isps.map((i) => i.name).join(", ") || "none"})`, 2);
  if (cmd.name !== "cap-show") {
    const caps = await import("@/lib/data/caps");
    const r = cmd.name === "cap-set" ? await caps.setCap(cmd.isp, cmd.changes, actor()) : await caps.removeCap(cmd.isp, actor());
    if (!r.ok) {
      const { CAP_FLAG_OF } = await import("@/lib/cli/cap-args");
      const lines = r.issues.map((i) => `${CAP_FLAG_OF[i.path[0] as keyof typeof CAP_FLAG_OF] ?? i.path.join(".")}: ${i.message}`);
      throw new CliError(`the cap of ${cmd.isp} is not valid; nothing was changed:\n${lines.map((l) => `  ${l}`).join("\n")}`, 2, { issues: r.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
    }
    if (json) emit({ ok: true, isp: cmd.isp, cap: r.cap });
    else out(`${capText(cmd.isp, r.cap)}. Not staged: the monitor uses it at its next sample (10 s).`);
    return 0;
  }
  const names = cmd.isp ? [cmd.isp] : config.isps.map((i) => i.name);
  const usages = await usageOf(names, { among: config.isps.map((i) => i.name) });
  const { loadCaps } = await import("@/lib/usage/caps");
  const { caps } = await loadCaps();
  if (json) emit({ isps: usages.map((u) => ({ isp: u.isp, cap: caps.get(u.isp) ?? null, month: u.month, percent: u.cap?.percent ?? null, capped: u.cap?.capped ?? false })) });
  else out(usages.length ? usages.map((u) => `${capText(u.isp, caps.get(u.isp) ?? null)}\n${usageLines([u])[1]}`).join("\n") : "No ISPs.");
  return 0;
}

async function labFault(cmd: Extract<Command, { name: "lab-fault" }>, opts: TargetOptions): Promise<number> {
  const prefix = labPrefixFor(cmd.prefix, opts);
  const config = await stagedConfig();
  const { injectFault } = await import("@/lib/lab/faults");
  const r = await injectFault(config, prefix, cmd.isp, cmd.fault);
  if (json) emit({ ok: true, prefix, isp: cmd.isp, fault: cmd.fault, namespace: r.namespace });
  else out(`Lab ${prefix}: ${cmd.fault.kind === "restore" ? `${cmd.isp} restored` : `${cmd.isp} ${cmd.fault.kind}${cmd.fault.kind === "loss" ? ` ${cmd.fault.pct}%` : ""}`} (namespace ${r.namespace})`);
  return 0;
}

async function adopt(cmd: Extract<Command, { name: "adopt" }>, opts: TargetOptions): Promise<number> {
  const managed = await managedTarget(opts);
  requireTarget(managed);
  const { readGateway } = await import("@/lib/adopt/read");
  const { inferAdoption } = await import("@/lib/adopt/infer");
  const { overridesWithoutTakeover } = await import("@/lib/adopt/lint-after");
  const input = await readGateway(managed.target);
  const a = inferAdoption(input);
  const overrides = a.config ? overridesWithoutTakeover(a.config, input.observed) : [];
  let staged = false;
  if (cmd.stage) {
    if (!a.config) throw new CliError(`${a.nothing ?? "nothing to adopt"} Nothing was staged.`);
    await database();
    const { stageAdoption } = await import("@/lib/adopt/store");
    const r = await stageAdoption(a.config, { actor: actor(), source: managed.label, takeover: cmd.takeOver ? [...a.takeover, ...a.kept] : null });
    if (!r.ok) throw invalidConfig("the adopted configuration", r.issues, a.config, "; nothing was staged");
    staged = true;
  }
  if (json) {
    emit({ target: managed.label, ...a, overridesWithoutTakeover: overrides, staged, takeOverStaged: staged && cmd.takeOver && a.takeover.length > 0 });
    return 0;
  }
  out(`Target: ${managed.label}`);
  if (!a.config) out(a.nothing ?? "Nothing to adopt.");
  else {
    out("Proposed configuration, and where each item comes from:");
    for (const i of a.items) {
      out(`  ${i.label}: ${i.value}`);
      for (const f of i.from) out(`      from ${f}`);
    }
  }
  if (a.notUnderstood.length) {
    out(`Not understood, stays foreign (${plural(a.notUnderstood.length, "object")}):`);
    for (const n of a.notUnderstood) out(`  ${n.object}\n      ${n.why}`);
  }
  if (a.problems.length) {
    out("What the old setup gets wrong:");
    for (const p of a.problems) out(`  ${p.title}: ${p.detail}`);
  }
  if (a.takeover.length) out(`Take over would replace ${plural(a.takeover.length, "old object")} by Switchyard's own (the plan lists each as "replaced: old -> Switchyard's").`);
  for (const k of a.kept) out(`  Take over keeps ${k.iptables ? `iptables -t ${k.iptables.table} -A ${k.iptables.chain} ${k.iptables.spec}` : "an old object"}: it ${k.keep}.`);
  if (overrides.length) {
    out("Without take over the old objects stay; the override lint names the hosts they would still steer:");
    printOverrides(overrides);
  }
  if (staged) out(`Staged${cmd.takeOver && a.takeover.length ? `, with take over of ${plural(a.takeover.length, "old object")}` : " (without take over)"}: \`switchyard plan\` shows what applying it changes, \`switchyard apply\` applies it.`);
  else if (a.config) out("Nothing was changed. `switchyard adopt --stage` stages this configuration (--take-over: the next apply replaces the old objects).");
  return 0;
}

// ---------------------------------------------------------------- main

const oneLine = (s: string) => s.trim().split(/\s*\n\s*/).filter(Boolean).join("; ");

/** One clear line for an unexpected error; Prisma's multi-line messages end with the reason. */
function errorMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && /^P\d{4}$/.test(code)) {
    if (code === "P2021") return `the database ${databaseFile(databaseUrl())} has no Switchyard tables: run \`npx prisma migrate deploy\``;
    const lines = e.message.trim().split("\n").filter((l) => l.trim());
    return `database error ${code}: ${lines[lines.length - 1]?.trim() ?? e.message}`;
  }
  return oneLine(e.message);
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCli(argv);
  json = parsed.json;
  if (!parsed.ok) {
    note(`switchyard: ${parsed.error}`);
    note("Run `switchyard help` for the commands and options.");
    if (json) emit({ ok: false, error: parsed.error });
    return 2;
  }
  const { command, target } = parsed;
  try {
    switch (command.name) {
      case "help":
        process.stdout.write(USAGE);
        return 0;
      case "config-export":
        return await configExport(command.file);
      case "config-import":
        return await configImport(command.file);
      case "plan":
        return await plan(target);
      case "apply":
        return await apply(command, target);
      case "verify":
        return await verify(target);
      case "status":
        return await status(target);
      case "canary":
        return await canary(command.change);
      case "lan":
        return await lan(command);
      case "lab":
        return await lab(command, target);
      case "revisions":
        return await revisions(command.limit);
      case "monitor":
        return await monitor(target);
      case "lab-fault":
        return await labFault(command, target);
      case "health-show":
      case "health-set":
      case "health-reset":
        return await health(command, target);
      case "cap-show":
      case "cap-set":
      case "cap-remove":
        return await cap(command);
      case "install":
      case "uninstall":
        return await install(command);
      case "adopt":
        return await adopt(command, target);
      case "notify": {
        await database();
        const { runNotify, NotifyCliError } = await import("@/lib/cli/notify-run");
        return await runNotify(command, { json, out, emit, table, actor: actor(), readStdin }).catch((e) => {
          throw e instanceof NotifyCliError ? new CliError(e.message, e.exitCode, e.details) : e;
        });
      }
      case "backup":
        await database();
        return await (await import("@/lib/cli/backup")).backupCommand(command, { json, actor: actor(), out });
      case "metrics-token":
        await database();
        return await (await import("@/lib/cli/metrics-token")).metricsTokenCommand(command, { json, actor: actor(), out });
      default:
        return command satisfies never;
    }
  } catch (e) {
    const cli = e instanceof CliError ? e : null;
    const message = cli ? cli.message : errorMessage(e);
    note(`switchyard: ${message}`);
    if (process.env.SWITCHYARD_DEBUG === "1" && e instanceof Error && e.stack) note(e.stack);
    if (json) emit({ ok: false, error: message.split("\n")[0].replace(/:$/, ""), ...cli?.details });
    return cli?.exitCode ?? 1;
  } finally {
    if (dbOpened) {
      const { db } = await import("@/lib/db");
      await db.$disconnect().catch(() => undefined);
    }
  }
}

// `switchyard revisions | head`: a closed pipe ends the output, not with a stack trace
process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? 0 : 1));
const code = await main(process.argv.slice(2));
// a full pipe queues the rest of the output: exit once it is written (lib/cli/exit.ts)
await exitWhenFlushed(code);
