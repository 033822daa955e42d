// A take over undone: a forced failure, a failed verification, and a process killed right after
// the take over step (recovered by the next CLI start) each put the former admin's gateway
// (tests/kernel/handmade-gateway.ts, namespaces "ha-*") back exactly: every rule, every route,
// `iptables-save` without counters, and `nft list ruleset` (iptables-nft keeps a table and a
// built-in chain it made for Switchyard's hooks: on the iptables backend an empty `*filter`
// table stayed, on nftables a mangle FORWARD chain, while the report said "restored exactly").
// The report says "restored exactly" only when the comparison agrees, and names what differs
// otherwise. Run on both backends (SWITCHYARD_FIREWALL=nftables).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma, repoRoot } from "../helpers/processes";
import { inferAdoption } from "@/lib/adopt/infer";
import { readGateway } from "@/lib/adopt/read";
import { takeoverStep } from "@/lib/adopt/takeover";
import type { Adoption, Takeover } from "@/lib/adopt/types";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { HOST, run } from "@/lib/net/exec";
import { probeEgress } from "@/lib/lab/server";
import { buildOldGateway, GW, gw, P, teardown, wholeState as exactState } from "./handmade-gateway";

const managed = resolveTarget({ netns: GW });
const probe = (a: string) => probeEgress(P, a, { timeoutMs: 2000 });
const takeoverOf = (a: Adoption): Takeover => ({ source: `netns ${GW}`, items: [...a.takeover, ...(a.kept ?? [])] });

afterAll(teardown, 30_000);

describe("a take over undone puts the old gateway back exactly", () => {
  let before = "";
  let adoption: Adoption;
  beforeAll(async () => {
    await buildOldGateway("marks");
    before = await exactState();
    adoption = inferAdoption(await readGateway(gw));
  }, 60_000);

  for (const fault of ["routing", "firewall", "cleanup", "takeover", "verify"] as const) {
    it(`a forced failure at ${fault}: the same rules, routes, iptables and nftables as before, and the report says so`, async () => {
      const report = await applyAndVerify(adoption.config!, managed, { probe, extension: takeoverStep(takeoverOf(adoption)), fault });
      expect(report.result).toBe("rolled-back");
      expect(report.failedStep).toBe(fault);
      expect(await exactState()).toBe(before);
      expect(report.rollbackDifferences).toBeUndefined();
      expect(report.restoredExactly).toBe(true);
    }, 60_000);
  }

  it("what a rollback cannot put back is named, not called exact", async () => {
    // a foreign chain that appears while the apply runs (someone else's tool) is not the apply's to remove
    const report = await applyAndVerify(adoption.config!, managed, {
      probe,
      extension: takeoverStep(takeoverOf(adoption)),
      fault: "takeover",
      afterStep: async (step) => {
        if (step === "cleanup")
          await run(gw, "nft", ["-f", "-"], {
            input: "table ip other {\n chain passing { type filter hook forward priority 10; policy accept; counter; }\n}\n",
          });
      },
    });
    expect(report.restoredExactly).toBe(false);
    expect(report.rollbackDifferences).toEqual(["+ nftables chain ip other passing hook forward priority 10 policy accept"]);
    await run(gw, "nft", ["delete", "table", "ip", "other"]);
    expect(await exactState()).toBe(before);
  }, 60_000);
});

describe("a CLI apply with take over killed right after the take over step", () => {
  let dir = "";
  let env: Record<string, string> = {};
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    run(HOST, "node", [path.join(repoRoot, "bin", "switchyard.mjs"), ...args, "--netns", GW], {
      env: { ...env, ...extra },
      cwd: repoRoot,
      allowFailure: true,
      timeoutMs: 60_000,
    });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-tkr-"));
    env = { DATABASE_URL: `file:${path.join(dir, "test.db")}`, CHECKPOINT_DISABLE: "1", SWITCHYARD_DEBUG: "" };
    await Promise.all([prisma(["migrate", "deploy"], env), buildOldGateway("marks")]);
  }, 90_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("the next start recovers it: back exactly, and status says exactly", async () => {
    const before = await exactState();
    expect((await cli(["adopt", "--stage", "--take-over"])).exitCode).toBe(0);
    const pauseFile = path.join(dir, "pause");
    const apply = cli(["apply"], { SWITCHYARD_TEST_PAUSE_AFTER: "takeover", SWITCHYARD_TEST_PAUSE_FILE: pauseFile });
    let paused: { pid: number; step: string } | null = null;
    for (let i = 0; i < 1200 && !paused; i++) {
      paused = await readFile(pauseFile, "utf8").then(
        (t) => {
          try {
            return JSON.parse(t);
          } catch {
            return null;
          }
        },
        () => null,
      );
      if (!paused) await new Promise((r) => setTimeout(r, 50));
    }
    expect(paused?.step).toBe("takeover");
    expect(await exactState()).not.toBe(before);
    process.kill(paused!.pid, "SIGKILL");
    expect((await apply).exitCode).not.toBe(0);
    const status = await cli(["status", "--json"]);
    expect(status.exitCode, status.stderr).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.recovered).toHaveLength(1);
    expect(s.recovered[0]).toMatchObject({ direction: "back", exact: true });
    expect(s.recovered[0].message).toMatch(/after the takeover step\. Kernel rolled back: the gateway was put back exactly as it was/);
    expect(await exactState()).toBe(before);
  }, 120_000);
});
