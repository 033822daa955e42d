// npx tsx scripts/bench-lease.ts [--runs K] [--gap MS] [--load N] [--json]
//
// A DHCP lease change on a hand-made gateway in namespaces "bls-*" (all traffic stays there;
// lib/lab/handmade.ts): LTE on wwan0 is `dhcp` with SNAT to its lease, and the monitor runs
// in-process on a temporary database. Each run plays the DHCP client moving to the other
// address: `ip addr del` the old one, wait --gap ms (default 250: the client's DISCOVER and
// REQUEST), add the new one and its `proto dhcp` default route. The figure: from the new
// address added to the new address in use (Switchyard's SNAT rule and LTE's table default
// route, polled every 20 ms). --load N runs N busy processes meanwhile (a loaded machine).
// Median and max per backend. This prints figures; it is not a test.
import { HOST, netns, run, spawnDetached } from "@/lib/net/exec";
import { buildHandmade, handmadeConfig, TARGETS } from "@/lib/lab/handmade";
import { resolveTarget } from "@/lib/engine/target";
import { tempDatabase } from "../tests/helpers/processes";
import type { FirewallBackend, GatewayConfig } from "@/lib/model";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const runs = opt("--runs", 6);
const gap = opt("--gap", 250);
const load = opt("--load", 0);
const json = args.includes("--json");
const verbose = args.includes("--verbose"); // the monitor's log of each run, timed from the new address
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};
const ADDRESSES = ["198.51.100.2", "198.51.100.3"];
const GW = "198.51.100.1";

const burners = Array.from({ length: load }, () => spawnDetached(HOST, "node", ["-e", "for(;;){}"]));
const rows: { backend: FirewallBackend; median: number; max: number; abandoned: number; runs: number }[] = [];
// one database for both backends (the Prisma client is made once per process)
const db = await tempDatabase("bench-lease");
process.env.DATABASE_URL = db.url;
const { db: prisma } = await import("@/lib/db");
try {
  for (const backend of ["nftables", "iptables"] as FirewallBackend[]) {
    const g = await buildHandmade("bls", { rpFilter: "stock", srcValidMark: 0 });
    const gw = netns(g.gw);
    try {
      const config: GatewayConfig = {
        ...handmadeConfig,
        settings: { ...handmadeConfig.settings, firewall: backend },
        isps: [handmadeConfig.isps[0], { ...handmadeConfig.isps[1], addressMode: "dhcp", linkAddress: "", gatewayAddress: "", linkPrefix: 0, natMode: "SNAT" }],
      };
      await run(gw, "ip", ["route", "add", "default", "via", GW, "dev", "wwan0", "proto", "dhcp", "metric", "100"]);
      await (await import("@/lib/data/config")).replaceConfig(config);
      const { saveHealthSettings } = await import("@/lib/health/store");
      for (const isp of ["Fiber", "LTE"])
        await saveHealthSettings({
          isp,
          targets: TARGETS,
          reliability: 1,
          intervalMs: 500,
          timeoutMs: 500,
          downAfter: 3,
          upAfter: 3,
          lossDegradedPct: 20,
          lossDownPct: 60,
          lossRecoverPct: 5,
          lossWindow: 20,
          recoverWindow: 20,
          rttDegradedMs: 250,
          rttDownMs: 1500,
          minHoldMs: 1000,
          maxChanges: 100,
          changeWindowMs: 60_000,
        });
      const managed = resolveTarget({ netns: g.gw });
      const first = await (await import("@/lib/engine/service")).applyStaged({ actor: { username: "bench" }, source: "cli", managed });
      if (!first.report.ok) throw new Error(`first apply: ${first.report.error}`);
      const log: string[] = [];
      let added = Date.now(); // the monitor's log is timed from the last new address
      const monitor = await (
        await import("@/lib/health/monitor")
      ).startMonitor({
        managed,
        lab: false,
        log: (l) => log.push(`${Date.now() - added} ms: ${l}`),
        // with --verbose, where each apply's time went
        onApply: (a) =>
          verbose &&
          log.push(
            `${Date.now() - added} ms:   steps ${(a.recorded?.report.steps ?? [])
              .filter((s) => s.durationMs !== undefined)
              .map((s) => `${s.step} ${s.durationMs}`)
              .join(", ")}`,
          ),
      });
      const inUse = async (address: string) => {
        const [nat, nft, t9] = await Promise.all([
          run(gw, "iptables-save", ["-t", "nat"]),
          run(gw, "nft", ["list", "table", "inet", "switchyard"], { allowFailure: true }),
          run(gw, "ip", ["-4", "route", "show", "table", "9"]),
        ]);
        const rule = new RegExp(`(SNAT --to-source|snat ip to) ${address.replace(/\./g, "\\.")}\\b`).test(`${nat.stdout}\n${nft.stdout}`);
        return rule && t9.stdout.includes(`default via ${GW} dev wwan0`);
      };
      const times: number[] = [];
      try {
        await sleep(3000); // the monitor's first look
        for (let i = 0; i < runs; i++) {
          const [from, to] = i % 2 === 0 ? ADDRESSES : [...ADDRESSES].reverse();
          const seen = log.length;
          added = Date.now() + gap; // about when the new address comes
          await run(gw, "ip", ["addr", "del", `${from}/24`, "dev", "wwan0"]);
          await sleep(gap);
          await run(gw, "ip", ["-batch", "-"], { input: `addr add ${to}/24 dev wwan0\nroute add default via ${GW} dev wwan0 proto dhcp metric 100\n` });
          const t0 = performance.now();
          added = Date.now();
          while (!(await inUse(to))) {
            if (performance.now() - t0 > 30_000) throw new Error(`${to} not in use after 30 s:\n${log.join("\n")}`);
            await sleep(20);
          }
          times.push(Math.round(performance.now() - t0));
          if (verbose)
            console.error(
              `run ${i + 1}: ${times.at(-1)} ms\n${log
                .slice(seen)
                .map((l) => `  ${l}`)
                .join("\n")}`,
            );
          await sleep(1500); // past the hold time of the change
        }
      } finally {
        await monitor.stop();
      }
      rows.push({ backend, ...stats(times), abandoned: log.filter((l) => l.includes("superseded by a newer address event")).length, runs });
    } finally {
      await g.destroy();
    }
  }
} finally {
  for (const pid of burners) process.kill(pid, "SIGKILL");
  await prisma.$disconnect();
  await db.cleanup();
}
if (json) console.log(JSON.stringify({ gapMs: gap, load, rows }, null, 2));
else {
  console.log(
    `lease change: new address added -> in Switchyard's SNAT rule and the ISP's table (${runs} runs, ${gap} ms between del and add, ${load} busy processes)`,
  );
  console.log("backend    median ms  max ms  stale applies abandoned");
  for (const r of rows) console.log(`${r.backend.padEnd(10)} ${String(r.median).padStart(9)}  ${String(r.max).padStart(6)}  ${r.abandoned}`);
}
