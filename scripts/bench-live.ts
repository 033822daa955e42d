// flock /tmp/sy-e2e.lock npx tsx scripts/bench-live.ts [--runs 30] [--sizes 10,1000]
//
// Server time of the Live kernel views at N hosts, against a real kernel: the e2e lab
// (namespaces e2e-*, hence the e2e lock) holding the rules of N hosts, and a temporary database
// with that configuration and a last good revision (so drift and overrides are computed too).
//   liveSnapshot  what GET /api/kernel answers (5 processes + 5 queries + assembly): its readMs
//   literal       what GET /api/kernel/literal answers (6 processes), on demand only
//   response      the JSON size of each
// This prints figures; it is not a test.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyAndVerify } from "@/lib/engine/run";
import { labTarget } from "@/lib/engine/target";
import { labDown, labUp } from "@/lib/lab/lab";
import { HOST, run } from "@/lib/net/exec";
import { benchConfig } from "./bench-config";

const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(option("runs") ?? 30);
const SIZES = (option("sizes") ?? "10,1000").split(",").map(Number);
const PREFIX = process.env.SWITCHYARD_LAB_PREFIX ?? "e2e";
const root = path.resolve(import.meta.dirname, "..");

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-live-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  process.env.DATABASE_URL = url;
  await run(HOST, "node", [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { DATABASE_URL: url },
    cwd: root,
    timeoutMs: 60_000,
  });
  const { db } = await import("@/lib/db");
  const { replaceConfig } = await import("@/lib/data/config");
  const { liveSnapshot } = await import("@/lib/engine/live");
  const { literalSnapshot } = await import("@/lib/engine/literal");
  const managed = labTarget(PREFIX);
  const rows: string[] = [];
  try {
    for (const n of SIZES) {
      const c = benchConfig(n);
      await labDown(PREFIX);
      await labUp({ ...c, hosts: c.hosts.slice(0, 2) }, { prefix: PREFIX, server: false });
      const report = await applyAndVerify(c, { target: managed.target, label: managed.label }, {});
      if (!report.ok) throw new Error(`apply of ${n} hosts failed: ${report.error}`);
      await replaceConfig(c);
      await db.revision.deleteMany();
      await db.revision.create({
        data: {
          actor: "bench",
          source: "cli",
          target: report.target,
          config: JSON.stringify(c),
          ruleset: report.script,
          plan: "[]",
          result: "applied",
          durationMs: report.durationMs,
        },
      });
      const live: number[] = [];
      const lit: number[] = [];
      let liveBytes = 0;
      let litBytes = 0;
      for (let i = 0; i < RUNS + 3; i++) {
        const s = await liveSnapshot(managed);
        if (!s.ok) throw new Error(`live snapshot failed: ${s.error}`);
        const t = performance.now();
        const l = await literalSnapshot(managed);
        const litMs = performance.now() - t;
        if (l.error) throw new Error(`literal snapshot failed: ${l.error}`);
        if (i < 3) continue; // warm-up
        live.push(s.readMs);
        lit.push(litMs);
        liveBytes = JSON.stringify(s).length;
        litBytes = JSON.stringify(l).length;
      }
      rows.push(
        `| ${n} | ${q(live, 0.5).toFixed(1)} | ${q(live, 0.95).toFixed(1)} | ${(liveBytes / 1024).toFixed(1)} | ${q(lit, 0.5).toFixed(1)} | ${q(lit, 0.95).toFixed(1)} | ${(litBytes / 1024).toFixed(1)} |`,
      );
    }
  } finally {
    await labDown(PREFIX);
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`Live kernel server time, ${RUNS} runs each (ms; KiB of JSON), ${os.cpus().length} cores, lab ${PREFIX}`);
  console.log("| hosts | /api/kernel median | p95 | KiB | /api/kernel/literal median | p95 | KiB |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) console.log(r);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
