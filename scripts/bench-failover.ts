// npx tsx scripts/bench-failover.ts [--runs K] [--sizes 10,1000] [--backends iptables,nftables]
//                                     [--settings fastest|default] [--json]
// (run it under `flock /tmp/sy-kernel.lock`: it uses the kernel like the kernel tests)
//
// Failover time against a real kernel, in lab namespaces "hhb-*" (all traffic stays there),
// with a temporary database. For each backend and size N (the classic office's two LAN hosts,
// plus N-2 more on ISP1/ISP2 alternately, which exist only in the gateway's rules):
//   the monitor runs in-process and probes the lab's test server, beyond ISP1's router (which
//   keeps answering), at the fastest documented settings (interval 200 ms, timeout 200 ms,
//   down after 3) or at the defaults (interval 1 s, timeout 1 s, down after 5). Detection
//   depends on those alone: failover is never damped. Recovery is not measured, so it is made
//   quick (recovery window 5 probes, no hold, no cap), or ten failbacks in a few minutes would
//   each wait longer (damping doubles the proof time per recovery);
//   ISP1's upstream is dropped (link stays up); we time, from the drop:
//   - detection: the monitor's state change to down,
//   - applied: the failover apply's end,
//   - rerouted: the first new TCP connection from office-pc (on ISP1) that the test server
//     sees from ISP2's address (connections attempted every 50 ms);
//   and count the processes the failover apply ran (its journal). Then restore and wait
//   for the failback before the next run. Median and max of K runs.
// This prints figures; it is not a test.
import path from "node:path";
import { rm, mkdtemp } from "node:fs/promises";
import os from "node:os";
import { classicOffice } from "@/lib/examples";
import type { FirewallBackend, GatewayConfig } from "@/lib/model";
import { HOST, run } from "@/lib/net/exec";

const PREFIX = "hhb";
const QUICK_RECOVERY = { recoverWindow: 5, minHoldMs: 0, maxChanges: 1000, changeWindowMs: 1000 };
const FASTEST = { intervalMs: 200, timeoutMs: 200, downAfter: 3, upAfter: 3, ...QUICK_RECOVERY };
const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(option("runs") ?? 10);
const SIZES = (option("sizes") ?? "10,1000").split(",").map(Number);
const SETTINGS = option("settings") ?? "fastest";
const BACKENDS = (option("backends") ?? "iptables,nftables").split(",") as FirewallBackend[];
const OVERRIDE = SETTINGS === "default" ? QUICK_RECOVERY : FASTEST;
const JSON_OUT = process.argv.includes("--json");
const log = (m: string) => process.stderr.write(`${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function config(n: number, backend: FirewallBackend): GatewayConfig {
  const c = structuredClone(classicOffice);
  c.settings.firewall = backend;
  c.settings.lanSubnets = ["192.168.0.1/16"];
  for (let i = 0; c.hosts.length < n; i++) {
    c.hosts.push({ name: `host-${i}`, address: `192.168.${10 + Math.floor(i / 250)}.${1 + (i % 250)}`, mac: null, isp: i % 2 ? "ISP2" : "ISP1", notes: "" });
  }
  return c;
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: Math.round(s[Math.floor((s.length - 1) / 2)]), max: Math.round(s[s.length - 1]) };
};

const dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-bench-failover-"));
process.env.DATABASE_URL = `file:${path.join(dir, "bench.db")}`;
const repoRoot = path.resolve(import.meta.dirname, "..");
await run(HOST, "node", [path.join(repoRoot, "node_modules", "prisma", "build", "index.js"), "migrate", "deploy"], {
  env: { CHECKPOINT_DISABLE: "1" },
  cwd: repoRoot,
  timeoutMs: 90_000,
});
const { db } = await import("@/lib/db");
const { labDown, labUp, probeEgress } = await import("@/lib/lab/lab");
const { labTarget } = await import("@/lib/engine/target");
const { applyDerivedConfig } = await import("@/lib/engine/service");
await import("@/lib/lab/apply-hooks"); // the monitor applies on the lab (lib/engine/target-hooks.ts)
const { startMonitor } = await import("@/lib/health/monitor");
const { injectFault } = await import("@/lib/lab/faults");

const OFFICE_PC = "192.168.1.100";
const ISP1_NAT = "203.0.113.10";
const ISP2_NAT = "198.51.100.10";
async function firstSeenAs(address: string, deadlineMs: number): Promise<number | null> {
  const t0 = performance.now();
  while (performance.now() - t0 < deadlineMs) {
    const r = await probeEgress(PREFIX, OFFICE_PC, { timeoutMs: 1000 });
    if (r.ok && r.seenAs === address) return performance.now();
    await sleep(50);
  }
  return null;
}

const results: Record<string, unknown>[] = [];
try {
  for (const backend of BACKENDS)
    for (const n of SIZES) {
      const full = config(n, backend);
      const labConfig = { ...full, hosts: full.hosts.slice(0, 2) };
      await labDown(PREFIX);
      await labUp(labConfig, { prefix: PREFIX });
      const managed = labTarget(PREFIX);
      // the user's apply: the monitor's base (no lab convergence: the lab has two of the hosts)
      const first = await applyDerivedConfig(full, { actor: { username: "bench" }, source: "cli", managed: { target: managed.target, label: managed.label } });
      if (!first.report.ok) throw new Error(`first apply failed: ${first.report.error}`);
      let changeAt = 0;
      let apply: { at: number; processes: number; durationMs: number; commandsMs: number; steps: string } | null = null;
      const monitor = await startMonitor({
        managed,
        lab: true,
        override: OVERRIDE,
        onChange: (_isp, c) => {
          if (c.to === "down") changeAt = performance.now();
        },
        onApply: (r) => {
          if (r.recorded && !apply && r.reason.startsWith("ISP1 down"))
            apply = {
              at: performance.now(),
              processes: r.recorded.report.journal.length,
              durationMs: r.recorded.report.durationMs,
              commandsMs: Math.round(r.recorded.report.journal.reduce((n, j) => n + j.durationMs, 0)),
              steps: r.recorded.report.steps.map((st) => `${st.step} ${st.durationMs ?? "-"}`).join(", "),
            };
        },
      });
      const runs: { detectMs: number; appliedMs: number; reroutedMs: number; processes: number; applyMs: number }[] = [];
      try {
        await sleep(SETTINGS === "default" ? 8000 : 2000); // past the monitor's start apply
        for (let k = 0; k < RUNS; k++) {
          changeAt = 0;
          apply = null;
          if ((await firstSeenAs(ISP1_NAT, 10_000)) === null) throw new Error("office-pc is not on ISP1 before the drop");
          const t0 = performance.now();
          await injectFault(labConfig, PREFIX, "ISP1", { kind: "upstream-down" });
          const rerouted = await firstSeenAs(ISP2_NAT, 20_000);
          if (rerouted === null) throw new Error("no failover within 20 s");
          for (let i = 0; i < 100 && !apply; i++) await sleep(50);
          const a = apply as { at: number; processes: number; durationMs: number; commandsMs: number; steps: string } | null;
          runs.push({
            detectMs: changeAt - t0,
            appliedMs: (a?.at ?? NaN) - t0,
            reroutedMs: rerouted - t0,
            processes: a?.processes ?? NaN,
            applyMs: a?.durationMs ?? NaN,
          });
          log(
            `${backend} N=${n} run ${k + 1}: detected ${Math.round(changeAt - t0)} ms, applied ${Math.round((a?.at ?? NaN) - t0)} ms, rerouted ${Math.round(rerouted - t0)} ms, apply ${a?.durationMs} ms / ${a?.processes} processes (${a?.commandsMs} ms in them; ${a?.steps})`,
          );
          await injectFault(labConfig, PREFIX, "ISP1", { kind: "restore" });
          if ((await firstSeenAs(ISP1_NAT, 40_000)) === null) throw new Error("no failback within 40 s");
          await sleep(1000);
        }
      } finally {
        await monitor.stop();
      }
      results.push({
        backend,
        hosts: n,
        runs: RUNS,
        settings: SETTINGS,
        detectMs: stats(runs.map((r) => r.detectMs)),
        appliedMs: stats(runs.map((r) => r.appliedMs)),
        reroutedMs: stats(runs.map((r) => r.reroutedMs)),
        applyMs: stats(runs.map((r) => r.applyMs)),
        processes: stats(runs.map((r) => r.processes)),
      });
    }
} finally {
  await labDown(PREFIX);
  await db.$disconnect();
  await rm(dir, { recursive: true, force: true });
}
if (JSON_OUT) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else {
  for (const r of results as {
    backend: string;
    hosts: number;
    detectMs: { median: number; max: number };
    appliedMs: { median: number; max: number };
    reroutedMs: { median: number; max: number };
    applyMs: { median: number; max: number };
    processes: { median: number; max: number };
  }[]) {
    const f = (s: { median: number; max: number }) => `${s.median}/${s.max}`;
    process.stdout.write(
      `${r.backend} N=${r.hosts}: detection ${f(r.detectMs)} ms, apply done ${f(r.appliedMs)} ms, first rerouted connection ${f(r.reroutedMs)} ms (median/max of ${RUNS}, ${SETTINGS} settings); failover apply ${f(r.applyMs)} ms, ${f(r.processes)} processes\n`,
    );
  }
}
process.exit(0);
