// npm run bench [-- --runs K] [-- --json] [-- --sizes 10,100,1000] [-- --backends iptables,nftables] [-- --ipv6]
//
// Apply/verify cost of Switchyard against a real kernel, in lab namespaces "tbench-*".
// For each size N (hosts spread over 192.168.0.0/16, alternating ISP1/ISP2):
//   a) first apply into a fresh gateway, then verification (state comparison + one batched
//      route prediction; no traffic probes), timed and process-counted separately;
//   b) incremental re-apply after moving 10% of the hosts to the other ISP;
//   c) baseline: the same rendered ruleset applied naively, one process per route, rule,
//      chain and iptables rule, into a fresh gateway (iptables only);
//   d) the floor: only the steps that change the kernel, run directly into a fresh gateway
//      (the routing `ip -batch` and the netfilter input: iptables-restore, or nft -f), and the
//      ratio of Switchyard's apply + verify to it.
// Each backend (iptables, nftables) is measured in the same run.
// --ipv6: each size is measured twice, IPv4-only and dual-stack (both ISPs with a /48, the LAN
// a /64 of each, every host with a MAC: bench-config.ts), and a table sets the two side by side.
// Every process goes through lib/net/exec (counted with onExec). The lab has the config's
// ISPs but only two LAN hosts: the gateway's rules do not need the host namespaces, and
// route predictions (`ip route get ... iif lan0`) work without them.
// This prints figures; it is not a test (but it fails loudly if an apply or verify fails).
import os from "node:os";
import { applyAndVerify, type ApplyReport } from "@/lib/engine/run";
import { labTarget } from "@/lib/engine/target";
import { labDown, labUp } from "@/lib/lab/lab";
import { BINARIES, onExec, run, type ExecResult, type Target } from "@/lib/net/exec";
import { observeKernel } from "@/lib/net/observe";
import { planChanges } from "@/lib/net/plan";
import { render } from "@/lib/net/render";
import { routeArgs, ruleArgs } from "@/lib/net/routing/text";
import type { KernelState } from "@/lib/net/types";
import type { Family } from "@/lib/net/family";
import type { FirewallBackend, GatewayConfig } from "@/lib/model";
import { renderIptablesRestore } from "@/lib/net/firewall/iptables/text";
import { renderNftReplace } from "@/lib/net/firewall/nftables/text";
import { validateConfig } from "@/lib/validation";
import { benchConfig } from "./bench-config";

const PREFIX = "tbench";
const LAB_HOSTS = 2;
const TARGET_MS = 1000;

// ---------- arguments ----------
function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const JSON_OUT = process.argv.includes("--json");
const RUNS = Number(option("runs") ?? 3);
const SIZES = (option("sizes") ?? "10,100,1000,10000").split(",").map(Number);
const BACKENDS = (option("backends") ?? "iptables,nftables").split(",") as FirewallBackend[];
const IPV6 = process.argv.includes("--ipv6");
/** IPv4-only always; dual-stack beside it with --ipv6 */
const STACKS = IPV6 ? [false, true] : [false];
if (BACKENDS.some((b) => b !== "iptables" && b !== "nftables")) throw new Error("--backends takes iptables and/or nftables");
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error("--runs needs a positive integer");
if (SIZES.some((n) => !Number.isInteger(n) || n < 1 || n > 10000)) throw new Error("--sizes needs integers between 1 and 10000");

const log = (msg: string) => process.stderr.write(`${msg}\n`);

// ---------- process counting ----------
let execCount = 0;
let conntrackCount = 0;
onExec((r: ExecResult) => {
  execCount++;
  if (r.argv.includes(BINARIES.conntrack)) conntrackCount++;
});
const counters = () => ({ exec: execCount, conntrack: conntrackCount });

// ---------- configs ----------
/** Every 10th host moves to the other ISP. */
function movedConfig(config: GatewayConfig): { config: GatewayConfig; moved: number } {
  const c = structuredClone(config);
  let moved = 0;
  c.hosts.forEach((h, i) => {
    if (i % 10 === 0) {
      h.isp = h.isp === "ISP1" ? "ISP2" : "ISP1";
      moved++;
    }
  });
  const v = validateConfig(c);
  if (!v.ok) throw new Error("moved config is invalid");
  return { config: v.config, moved };
}

/** A fresh gateway: the lab torn down and rebuilt with the config's ISPs and two hosts (dual-stack when the config is). */
async function freshGateway(config: GatewayConfig) {
  await labDown(PREFIX);
  await labUp({ ...config, hosts: config.hosts.slice(0, LAB_HOSTS) }, { prefix: PREFIX, server: false }); // dual stack when the config has IPv6 (the lab follows it)
}

// ---------- measurements ----------
interface SwitchyardRun {
  applyMs: number;
  verifyMs: number;
  totalMs: number;
  applyProcesses: number;
  verifyProcesses: number;
  conntrackProcesses: number;
  movedHosts: number;
  steps: { step: string; durationMs?: number; detail?: string }[];
}

async function measureApply(config: GatewayConfig): Promise<SwitchyardRun> {
  const managed = labTarget(PREFIX);
  const c0 = counters();
  let atVerify: { t: number; c: ReturnType<typeof counters> } | undefined;
  const t0 = performance.now();
  const report: ApplyReport = await applyAndVerify(config, managed, {
    probe: undefined,
    rollbackOnVerifyFailure: false,
    onStep: (e) => {
      if (e.step === "verify" && e.state === "running") atVerify = { t: performance.now(), c: counters() };
    },
  });
  const t1 = performance.now();
  const c1 = counters();
  if (!report.ok || !atVerify) {
    const v = report.verification;
    throw new Error(
      `apply of ${config.hosts.length} hosts failed: ${report.failedStep ?? ""} ${report.error ?? ""} ${v ? `stateMatches=${v.stateMatches} drift=${v.drift.length} badHosts=${v.hosts.filter((h) => !h.ok).length} first: ${v.hosts.find((h) => !h.ok)?.reason ?? v.drift[0]?.text ?? ""}` : ""}`,
    );
  }
  // every host, plus the one address that stands for the unlisted ones
  const covered = new Set(report.verification!.hosts.map((h) => h.address));
  if (!config.hosts.every((h) => covered.has(h.address)))
    throw new Error(`verification did not cover every host: ${report.verification!.hosts.length} of ${config.hosts.length} (${report.verification!.summary})`);
  return {
    applyMs: atVerify.t - t0,
    verifyMs: t1 - atVerify.t,
    totalMs: t1 - t0,
    applyProcesses: atVerify.c.exec - c0.exec,
    verifyProcesses: c1.exec - atVerify.c.exec,
    conntrackProcesses: c1.conntrack - c0.conntrack,
    movedHosts: report.movedHosts.length,
    steps: report.steps.filter((s) => s.state !== "running").map((s) => ({ step: s.step, durationMs: s.durationMs, detail: s.detail })),
  };
}

const ofFamily = <T extends { family?: number }>(xs: T[], f: Family) => xs.filter((x) => (x.family ?? 4) === f);
const ipArgs = (f: Family) => (f === 6 ? ["-6"] : []);
const FAMILIES = [4, 6] as const;

/**
 * The floor: the kernel-changing steps alone, as the apply runs them (routing batch, then the
 * netfilter input; one of each per family when the state has IPv6, nft takes both at once), into a fresh gateway.
 */
async function floorApply(target: Target, config: GatewayConfig, state: KernelState): Promise<number> {
  const lines = (f: Family) => [
    ...ofFamily(state.routes, f).map((r) => `route replace ${routeArgs(r).join(" ")}`),
    ...ofFamily(state.rules, f).map((r) => `rule add ${ruleArgs(r).join(" ")}`),
  ];
  const hooks = (f: Family) =>
    Object.fromEntries(
      ["mangle", "nat", "filter"].map((t) => [
        t,
        ofFamily(state.hooks, f)
          .filter((h) => h.table === t)
          .map((h) => (h.last ? `-A ${h.chain} ${h.spec}` : `-I ${h.chain} 1 ${h.spec}`)),
      ]),
    );
  const t0 = performance.now();
  for (const f of FAMILIES) if (lines(f).length) await run(target, "ip", [...ipArgs(f), "-batch", "-"], { input: `${lines(f).join("\n")}\n` });
  if (config.settings.firewall === "nftables") await run(target, "nft", ["-f", "-"], { input: renderNftReplace(state) });
  else {
    await run(target, "iptables-restore", ["--noflush"], { input: renderIptablesRestore(state.chains, hooks(4)) });
    if (ofFamily(state.chains, 6).length) await run(target, "ip6tables-restore", ["--noflush"], { input: renderIptablesRestore(state.chains, hooks(6), 6) });
  }
  return performance.now() - t0;
}

/** The naive way: one process per route, rule, chain, iptables rule and hook. */
async function naiveApply(target: Target, state: KernelState): Promise<{ ms: number; processes: number }> {
  const c0 = counters();
  const t0 = performance.now();
  const ipt = (x: { family?: 6 }) => (x.family === 6 ? "ip6tables" : "iptables");
  for (const r of state.routes) await run(target, "ip", [...ipArgs(r.family), "route", "add", ...routeArgs(r)]);
  for (const r of state.rules) await run(target, "ip", [...ipArgs(r.family), "rule", "add", ...ruleArgs(r)]);
  for (const c of state.chains) await run(target, ipt(c), ["-t", c.table, "-N", c.name]);
  for (const c of state.chains) {
    for (const r of c.rules) await run(target, ipt(c), ["-t", c.table, "-A", c.name, ...r.spec.split(" ")]);
  }
  for (const h of state.hooks) await run(target, ipt(h), ["-t", h.table, ...(h.last ? ["-A", h.chain] : ["-I", h.chain, "1"]), ...h.spec.split(" ")]);
  const ms = performance.now() - t0;
  return { ms, processes: counters().exec - c0.exec };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const medianRun = (runs: SwitchyardRun[]) => {
  const m = median(runs.map((r) => r.totalMs));
  return runs.reduce((best, r) => (Math.abs(r.totalMs - m) < Math.abs(best.totalMs - m) ? r : best));
};

interface SizeResult {
  backend: FirewallBackend;
  /** both ISPs dual-stack, every host with a MAC (--ipv6) */
  ipv6: boolean;
  hosts: number;
  floor: { runs: number[]; ms: number };
  /** apply + verify / floor */
  ratio: number;
  rules: { iptablesRules: number; ipRules: number; routes: number };
  first: { runs: SwitchyardRun[]; applyMs: number; verifyMs: number; totalMs: number; applyProcesses: number; verifyProcesses: number };
  incremental: {
    runs: SwitchyardRun[];
    movedHosts: number;
    applyMs: number;
    verifyMs: number;
    applyProcesses: number;
    conntrackProcesses: number;
    verifyProcesses: number;
  };
  baseline: { runs: { ms: number; processes: number }[]; ms: number; processes: number } | null;
  speedup: number | null;
}

/** One size on one backend, IPv4-only or dual-stack: `run(r)` measures run r, `result()` takes the medians. */
function sizeBench(n: number, backend: FirewallBackend, ipv6: boolean) {
  const config = benchConfig(n, backend, ipv6);
  const label = `${backend}${ipv6 ? " dual-stack" : ""}`;
  const { config: moved, moved: movedCount } = movedConfig(config);
  const state = render(config).state;
  const gw = labTarget(PREFIX).target;
  const first: SwitchyardRun[] = [];
  const incremental: SwitchyardRun[] = [];
  const baseline: { ms: number; processes: number }[] = [];
  const floor: number[] = [];
  const run = async (r: number) => {
    await freshGateway(config);
    floor.push(await floorApply(gw, config, state));
    await freshGateway(config);
    first.push(await measureApply(config));
    const inc = await measureApply(moved);
    // no traffic is sent: the moved hosts have no flows, so the conntrack step lists and clears nothing
    if (inc.movedHosts !== 0) throw new Error(`expected no flows to clear, the apply cleared ${inc.movedHosts} addresses' flows`);
    incremental.push(inc);

    // one process per rule: 10000 hosts would take minutes, and only iptables has a per-rule command worth comparing
    if (backend === "iptables" && n <= 1000) {
      await freshGateway(config);
      baseline.push(await naiveApply(gw, state));
      // not timed: the naive way must have produced the same state the engine would
      const left = planChanges(state, await observeKernel(gw));
      if (!left.empty)
        throw new Error(
          `baseline state differs from the desired one: ${left.lines
            .slice(0, 3)
            .map((l) => l.text)
            .join("; ")}`,
        );
    }
    log(
      `  ${label} N=${n} run ${r + 1}/${RUNS}: apply ${first[r].applyMs.toFixed(0)} ms + verify ${first[r].verifyMs.toFixed(0)} ms (floor ${floor[r].toFixed(0)} ms), incremental ${inc.applyMs.toFixed(0)} ms${baseline[r] ? `, baseline ${baseline[r].ms.toFixed(0)} ms` : ""}`,
    );
  };
  const result = (): SizeResult => {
    // iptables: the mangle and nat rules; nftables: the table's rules and map elements
    const mangle =
      state.chains.filter((c) => c.table === "mangle" || c.table === "nat" || c.table === "nft").reduce((s, c) => s + c.rules.length, 0) +
      (state.sets ?? []).reduce((s, x) => s + x.elements.length, 0);
    const firstMs = median(first.map((x) => x.applyMs));
    const baseMs = baseline.length ? median(baseline.map((x) => x.ms)) : null;
    const totalMs = median(first.map((x) => x.totalMs));
    return {
      backend,
      ipv6,
      hosts: n,
      floor: { runs: floor, ms: median(floor) },
      ratio: totalMs / median(floor),
      rules: { iptablesRules: mangle + state.hooks.length, ipRules: state.rules.length, routes: state.routes.length },
      first: {
        runs: first,
        applyMs: firstMs,
        verifyMs: median(first.map((x) => x.verifyMs)),
        totalMs,
        applyProcesses: median(first.map((x) => x.applyProcesses)),
        verifyProcesses: median(first.map((x) => x.verifyProcesses)),
      },
      incremental: {
        runs: incremental,
        movedHosts: movedCount,
        applyMs: median(incremental.map((x) => x.applyMs)),
        verifyMs: median(incremental.map((x) => x.verifyMs)),
        applyProcesses: median(incremental.map((x) => x.applyProcesses)),
        conntrackProcesses: median(incremental.map((x) => x.conntrackProcesses)),
        verifyProcesses: median(incremental.map((x) => x.verifyProcesses)),
      },
      baseline: baseMs === null ? null : { runs: baseline, ms: baseMs, processes: median(baseline.map((x) => x.processes)) },
      speedup: baseMs === null ? null : baseMs / firstMs,
    };
  };
  return { run, result };
}

/** One size on one backend; with --ipv6 its IPv4-only and dual-stack runs alternate, so load from elsewhere on the machine falls on both alike. */
async function benchSize(n: number, backend: FirewallBackend): Promise<SizeResult[]> {
  const benches = STACKS.map((v6) => sizeBench(n, backend, v6));
  for (let r = 0; r < RUNS; r++) for (const b of benches) await b.run(r);
  return benches.map((b) => b.result());
}

// ---------- output ----------
const ms = (x: number) => x.toFixed(0);
/** The backend, and "dual-stack" for the --ipv6 measurements (IPv4-only rows read as before). */
const labelOf = (r: SizeResult) => `${r.backend}${r.ipv6 ? " dual-stack" : ""}`;

function table(results: SizeResult[]): string {
  const head =
    "| backend | hosts | Switchyard apply ms | verify ms | apply+verify ms | floor ms | ratio to floor | processes (apply/verify) | incremental apply ms (10% moved) | incremental processes (fixed + conntrack) | baseline ms | baseline processes | speed-up (baseline / apply) |";
  const sep = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  const rows = results.map((r) => {
    const inc = r.incremental;
    const b = r.baseline;
    return `| ${labelOf(r)} | ${r.hosts} | ${ms(r.first.applyMs)} | ${ms(r.first.verifyMs)} | ${ms(r.first.totalMs)} | ${ms(r.floor.ms)} | ${r.ratio.toFixed(1)}x | ${r.first.applyProcesses} / ${r.first.verifyProcesses} | ${ms(inc.applyMs)} | ${inc.applyProcesses - inc.conntrackProcesses} + ${inc.conntrackProcesses} | ${b ? ms(b.ms) : "-"} | ${b ? b.processes : "-"} | ${r.speedup ? `${r.speedup.toFixed(1)}x` : "-"} |`;
  });
  return [head, sep, ...rows].join("\n");
}

function verdicts(all: SizeResult[]): string[] {
  return BACKENDS.flatMap((b) =>
    STACKS.flatMap((v6) => {
      const mine = all.filter((r) => r.backend === b && r.ipv6 === v6);
      return backendVerdicts(mine).map((v) => `[${labelOf(mine[0])}] ${v}`);
    }),
  );
}

/** --ipv6: each dual-stack row beside its IPv4-only one (same run, same sizes), so the cost of IPv6 reads off directly. */
function ipv6Table(results: SizeResult[]): string {
  const pct = (a: number, b: number) => `${b >= a ? "+" : ""}${(((b - a) / a) * 100).toFixed(0)}%`;
  const head =
    "| backend | hosts | apply ms (v4 / dual) | verify ms (v4 / dual) | apply+verify ms (v4 / dual) | IPv6 cost | processes apply (v4 / dual) | processes verify (v4 / dual) | incremental apply ms (v4 / dual) | rules + set elements (v4 / dual) |";
  const sep = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  const rows = results
    .filter((r) => r.ipv6)
    .map((d) => {
      const v = results.find((r) => !r.ipv6 && r.backend === d.backend && r.hosts === d.hosts)!;
      return `| ${d.backend} | ${d.hosts} | ${ms(v.first.applyMs)} / ${ms(d.first.applyMs)} | ${ms(v.first.verifyMs)} / ${ms(d.first.verifyMs)} | ${ms(v.first.totalMs)} / ${ms(d.first.totalMs)} | ${pct(v.first.totalMs, d.first.totalMs)} | ${v.first.applyProcesses} / ${d.first.applyProcesses} | ${v.first.verifyProcesses} / ${d.first.verifyProcesses} | ${ms(v.incremental.applyMs)} / ${ms(d.incremental.applyMs)} | ${v.rules.iptablesRules} / ${d.rules.iptablesRules} |`;
    });
  return [head, sep, ...rows].join("\n");
}

function backendVerdicts(results: SizeResult[]): string[] {
  const lo = results[0];
  const hi = results[results.length - 1];
  const out: string[] = [];
  const flat = lo.first.applyProcesses === hi.first.applyProcesses && lo.first.verifyProcesses === hi.first.verifyProcesses;
  const incFixedLo = lo.incremental.applyProcesses - lo.incremental.conntrackProcesses;
  const incFixedHi = hi.incremental.applyProcesses - hi.incremental.conntrackProcesses;
  out.push(
    `Verdict "processes spawned do not grow with hosts": ${flat && incFixedLo === incFixedHi ? "MET" : "NOT MET"} for apply and verify — ` +
      `first apply ${lo.first.applyProcesses} -> ${hi.first.applyProcesses}, verify ${lo.first.verifyProcesses} -> ${hi.first.verifyProcesses}, ` +
      `incremental fixed part ${incFixedLo} -> ${incFixedHi} (N=${lo.hosts} -> N=${hi.hosts}); ` +
      `the conntrack step (one listing, plus one batched delete when moved hosts have flows; none here, no traffic is sent): ${results.map((r) => `${r.incremental.conntrackProcesses} for ${r.incremental.movedHosts} moved`).join(", ")}.`,
  );
  const k = results.find((r) => r.hosts === 1000) ?? hi;
  out.push(
    `Verdict "apply + verify of ${k.hosts} hosts < ${TARGET_MS} ms": ${k.first.totalMs < TARGET_MS ? "MET" : "NOT MET"} — ${ms(k.first.totalMs)} ms (apply ${ms(k.first.applyMs)} + verify ${ms(k.first.verifyMs)}, median of ${RUNS}).`,
    `Verdict "apply + verify of ${k.hosts} hosts at most 3x the floor": ${k.ratio <= 3 ? "MET" : "NOT MET"} — ${ms(k.first.totalMs)} ms against ${ms(k.floor.ms)} ms (${k.ratio.toFixed(2)}x; the floor is the routing batch and the netfilter input alone, into a fresh gateway).`,
  );
  return out;
}

// ---------- main ----------
let cleaning: Promise<unknown> | undefined;
let interrupted = false;
const cleanup = () => (cleaning ??= labDown(PREFIX).catch((e) => log(`cleanup failed: ${e instanceof Error ? e.message : e}`)));
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    interrupted = true;
    log(`\n${sig}: removing the ${PREFIX}-* namespaces`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  const started = performance.now();
  log(`bench: sizes ${SIZES.join(", ")}, ${RUNS} run(s) each, lab prefix ${PREFIX}${IPV6 ? ", IPv4-only and dual-stack" : ""}`);
  // warm-up (not recorded): module code, JIT, first netns/iptables-nft use
  for (const b of BACKENDS) {
    for (const v6 of STACKS) {
      await freshGateway(benchConfig(10, b, v6));
      await measureApply(benchConfig(10, b, v6));
    }
  }
  const results: SizeResult[] = [];
  for (const b of BACKENDS) for (const n of SIZES) results.push(...(await benchSize(n, b)));
  const meta = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    kernel: os.release(),
    node: process.version,
    runs: RUNS,
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  if (JSON_OUT) {
    console.log(JSON.stringify({ meta, results }, null, 2));
  } else {
    console.log(
      `\nSwitchyard apply benchmark — ${meta.date.slice(0, 10)}, ${meta.cpus} cores, kernel ${meta.kernel}, node ${meta.node}, median of ${RUNS} run(s), no traffic probes\n`,
    );
    console.log(table(results));
    console.log("");
    if (IPV6) {
      console.log("The cost of IPv6: dual-stack (both ISPs with a /48, the LAN a /64 of each, every host with a MAC) beside IPv4-only\n");
      console.log(ipv6Table(results));
      console.log("");
    }
    for (const r of results) {
      const m = medianRun(r.first.runs);
      const inc = medianRun(r.incremental.runs);
      const ct = inc.steps.find((s) => s.step === "conntrack")?.durationMs ?? 0;
      const steps = (run: SwitchyardRun) => run.steps.map((s) => `${s.step} ${s.durationMs ?? "-"}`).join(", ");
      console.log(`${labelOf(r)} N=${r.hosts}: ${r.rules.iptablesRules} ${r.backend} rules, ${r.rules.ipRules} ip rules, ${r.rules.routes} routes`);
      console.log(`  first apply steps, ms (median run): ${steps(m)}`);
      console.log(
        `  incremental steps, ms (median run): ${steps(inc)} — conntrack ${ct} ms for ${inc.movedHosts} moved hosts (${(ct / Math.max(1, inc.movedHosts)).toFixed(1)} ms each), the rest ${ms(inc.applyMs - ct)} ms`,
      );
    }
    console.log("");
    for (const v of verdicts(results)) console.log(v);
    console.log(`\n(${meta.wallSeconds} s wall time)`);
  }
}

main()
  .then(() => cleanup())
  .then(
    () => process.exit(0),
    (e) => {
      if (!interrupted) log(e instanceof Error ? (e.stack ?? e.message) : String(e));
      return cleanup().finally(() => process.exit(1));
    },
  )
  .catch(() => process.exit(1));
