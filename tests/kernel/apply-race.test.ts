// One apply at a time across processes (lab "ha2"; all traffic stays in its namespaces):
// two CLI applies of different revisions and a web-style apply (the service, in this
// process) started together, 10 times. Each time the kernel runs one of the configs,
// every revision that says applied verified what it applied, the last revision is what
// the kernel runs, and the staged config is the one the last apply restaged.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { labDown } from "@/lib/lab/lab";
import { HOST, run, type ExecResult } from "@/lib/net/exec";
import type { GatewayConfig } from "@/lib/model";
import { prisma, repoRoot } from "../helpers/processes";

const LAB = "ha2";
const ROUNDS = 10;
const cliJs = path.join(repoRoot, "bin", "switchyard.mjs");
let dir: string;
let env: Record<string, string>;
let service: typeof import("@/lib/engine/service");
let db: typeof import("@/lib/db").db;
let managed: import("@/lib/engine/target").ManagedTarget;

function cli(args: string[], input = ""): Promise<ExecResult> {
  return run(HOST, "node", [cliJs, "--lab", LAB, ...args], { env, cwd: repoRoot, allowFailure: true, timeoutMs: 120_000, input });
}

const X = classicOffice;
const Y = structuredClone(classicOffice);
Y.hosts[0].isp = "ISP2";
const Z = structuredClone(classicOffice);
Z.hosts[1].isp = "ISP1";
Z.settings.defaultIsp = "ISP2";
const revs: Record<string, number> = {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-ha2-"));
  env = { DATABASE_URL: `file:${path.join(dir, "test.db")}`, CHECKPOINT_DISABLE: "1", SWITCHYARD_LOCK_WAIT_MS: "90000" };
  const m = await prisma(["migrate", "deploy"], env);
  expect(m.exitCode, m.stderr).toBe(0);
  process.env.DATABASE_URL = env.DATABASE_URL;
  service = await import("@/lib/engine/service");
  db = (await import("@/lib/db")).db;
  managed = (await import("@/lib/engine/target")).labTarget(LAB);
  await labDown(LAB);
  for (const [name, config] of Object.entries({ X, Y, Z })) {
    expect((await cli(["config", "import", "-"], JSON.stringify(config))).exitCode).toBe(0);
    const r = await cli(["apply", "--json"]);
    expect(r.exitCode, r.stderr).toBe(0);
    revs[name] = JSON.parse(r.stdout).revisionId;
  }
}, 180_000);

afterAll(async () => {
  await db?.$disconnect();
  await labDown(LAB);
  await rm(dir, { recursive: true, force: true });
});

describe("three applies started together", () => {
  it(`${ROUNDS} rounds: serialised, the kernel runs one config, every revision tells the truth`, async () => {
    const { observeKernel } = await import("@/lib/net/observe");
    const { planChanges } = await import("@/lib/net/plan");
    const { render } = await import("@/lib/net/render");
    const { loadConfig } = await import("@/lib/data/config");
    const configs = [X, Y, Z].map((c) => JSON.stringify(c));
    for (let round = 0; round < ROUNDS; round++) {
      const first = (await db.revision.findFirst({ orderBy: { id: "desc" } }))!.id + 1;
      const results = await Promise.all([
        cli(["apply", "--revision", String(revs.X), "--json"]),
        cli(["apply", "--revision", String(revs.Y), "--json"]),
        service.reapplyRevision(revs.Z, { actor: { username: "web" }, source: "reapply", managed, lockWaitMs: 90_000 }),
      ]);
      for (const r of results.slice(0, 2) as ExecResult[]) expect(r.exitCode, r.stderr + r.stdout.slice(0, 1000)).toBe(0);
      const web = results[2] as Awaited<ReturnType<typeof service.reapplyRevision>>;
      expect(web.report.ok).toBe(true);

      const round3 = await db.revision.findMany({ where: { id: { gte: first } }, orderBy: { id: "asc" } });
      expect(round3).toHaveLength(3);
      for (const rev of round3) {
        expect(rev.result).toMatch(/^(applied|unchanged)$/);
        const v = JSON.parse(rev.verification!);
        expect(v.ok && v.stateMatches).toBe(true);
        expect(configs).toContain(JSON.stringify(JSON.parse(rev.config)));
      }
      // the last revision is what the kernel runs, and what is staged
      const last = round3[2];
      const lastConfig = JSON.parse(last.config) as GatewayConfig;
      expect(planChanges(render(lastConfig).state, await observeKernel(managed.target)).empty).toBe(true);
      expect(JSON.stringify(await loadConfig())).toBe(JSON.stringify(lastConfig));
      // the three ran one after the other: none started before the previous one was recorded
      const spans = round3.map((r) => ({ end: r.createdAt.getTime(), start: r.createdAt.getTime() - r.durationMs }));
      for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end - 5);
    }
    expect(await db.applyIntent.count()).toBe(0);
    expect(await db.applyLock.count()).toBe(0);
  }, 900_000);
});
