// Crash recovery against the real kernel (lab "ha1"; all traffic stays in its namespaces):
// a CLI apply is SIGKILLed at each step boundary (SWITCHYARD_TEST_PAUSE_AFTER stops it
// there), then the CLI starts again: the gateway equals the old or the new state exactly,
// and `status` says what happened. Also: the conntrack step clears stale flows even when
// the kernel is already new, and a restore that --test passed but the kernel refused is
// rolled back.
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { labDown, gatewayNamespace } from "@/lib/lab/lab";
import { HOST, netns, run, type ExecResult } from "@/lib/net/exec";
import { parseConntrack } from "@/lib/net/parse/conntrack";
import type { GatewayConfig } from "@/lib/model";
import { prisma, repoRoot } from "../helpers/processes";
import { kernelSnapshot } from "./helpers";

const LAB = "ha1";
const gw = netns(gatewayNamespace(LAB));
const cliJs = path.join(repoRoot, "bin", "switchyard.mjs");
let dir: string;
let env: Record<string, string>;

function cli(args: string[], extra: Record<string, string> = {}, input = ""): Promise<ExecResult> {
  return run(HOST, "node", [cliJs, "--lab", LAB, ...args], { env: { ...env, ...extra }, cwd: repoRoot, allowFailure: true, timeoutMs: 120_000, input });
}
async function stage(config: GatewayConfig) {
  const r = await cli(["config", "import", "-"], {}, JSON.stringify(config));
  expect(r.exitCode, r.stderr).toBe(0);
}
async function applyOk(config: GatewayConfig) {
  await stage(config);
  const r = await cli(["apply", "--json"]);
  expect(r.exitCode, r.stderr + r.stdout.slice(0, 2000)).toBe(0);
  return JSON.parse(r.stdout);
}
/** The snapshot without packet counters (probes move them). */
const snapshot = async () => (await kernelSnapshot(LAB)).replace(/\[\d+:\d+\]/g, "[]");
const flows = async () =>
  parseConntrack((await run(gw, "conntrack", ["-L", "-f", "ipv4"], { allowFailure: true })).stdout).map(({ src, mark }) => ({ src, mark }));

// B changes every kind of object, so each step has work to do
const A = classicOffice;
const B = structuredClone(classicOffice);
B.hosts[0].isp = "ISP2";
B.isps[1].routingTable = 201;
B.isps[1].gatewayAddress = "198.51.100.2";
let snapA = "";
let snapB = "";

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-ha1-"));
  env = { DATABASE_URL: `file:${path.join(dir, "test.db")}`, CHECKPOINT_DISABLE: "1", SWITCHYARD_DEBUG: "1" };
  const m = await prisma(["migrate", "deploy"], env);
  expect(m.exitCode, m.stderr).toBe(0);
  await labDown(LAB);
  await applyOk(B);
  snapB = await snapshot();
  await applyOk(A);
  snapA = await snapshot();
  expect(snapA).not.toBe(snapB);
}, 180_000);

afterAll(async () => {
  await labDown(LAB);
  await rm(dir, { recursive: true, force: true });
});

let kills = 0;
/** Start `apply` of B, let it stop after `step`, SIGKILL it; returns once it is dead. */
async function killAfter(step: string) {
  await stage(B);
  const pauseFile = path.join(dir, `pause-${step}-${kills++}`);
  const apply = cli(["apply"], { SWITCHYARD_TEST_PAUSE_AFTER: step, SWITCHYARD_TEST_PAUSE_FILE: pauseFile });
  let paused: { pid: number; step: string } | null = null;
  for (let i = 0; i < 1200 && !paused; i++) {
    // the file may be read while it is being written: a partial one is "not yet"
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
  expect(paused?.step).toBe(step);
  process.kill(paused!.pid, "SIGKILL");
  const r = await apply;
  expect(r.exitCode).not.toBe(0);
}

describe("a CLI apply killed at each step boundary, then the CLI starts again", () => {
  const boundaries = ["precheck", "routing", "firewall", "cleanup", "conntrack", "verify"] as const;
  for (const step of boundaries) {
    it(`killed after ${step}: old or new state exactly, and status says what happened`, async () => {
      await killAfter(step);
      const status = await cli(["status", "--json"]);
      expect(status.exitCode, status.stderr).toBe(0);
      const s = JSON.parse(status.stdout);
      const now = await snapshot();
      // verified but not recorded: kept (forward); anything earlier: back to the snapshot
      expect(now).toBe(step === "verify" ? snapB : snapA);
      expect(s.recovered).toHaveLength(1);
      expect(s.recovered[0]).toMatchObject({ direction: step === "verify" ? "forward" : "back", exact: true });
      expect(s.recovered[0].message).toMatch(
        step === "precheck"
          ? /interrupted before its first kernel change finished/
          : step === "verify"
            ? /after it verified/
            : new RegExp(`after the ${step} step`),
      );
      expect(s.lastRevision).toMatchObject({ source: "recovery", result: step === "verify" ? "applied" : "rolled-back" });
      expect(s.drift).toEqual([]); // the last good revision is what the kernel runs
      // the human text says it too, and a second start finds nothing left to recover
      const text = await cli(["status"]);
      expect(text.stdout).not.toMatch(/Recovered an interrupted apply/);
      expect(text.stdout).toMatch(/\(recovery\)/);
      if (step === "verify") await applyOk(A);
      expect(await snapshot()).toBe(snapA);
    }, 120_000);
  }

  it("a boot apply (--last-good) after a kill before the record keeps the verified change", async () => {
    await killAfter("verify");
    const boot = await cli(["apply", "--last-good", "--json"]);
    expect(boot.exitCode, boot.stderr).toBe(0);
    expect(JSON.parse(boot.stdout).recovered[0]).toMatchObject({ direction: "forward" });
    expect(await snapshot()).toBe(snapB);
    await applyOk(A);
  }, 120_000);
});

describe("the conntrack step", () => {
  it("clears stale flows when the kernel is already new (an interrupted apply's state), and unlisted hosts' flows after a default-ISP change", async () => {
    // the kernel runs A; flows that carry marks A does not give: office-pc (ISP1 = 1) with 2, an unlisted address with 2
    // each NATed as its mark's ISP would (the reply comes back to that NAT address): verification reads that as evidence
    const natOf: Record<string, string> = { "1": "203.0.113.10", "2": "198.51.100.10" };
    const add = (src: string, sport: string, mark: string) =>
      run(gw, "conntrack", [
        "-I",
        "-s",
        src,
        "-d",
        "198.18.0.1",
        "-r",
        "198.18.0.1",
        "-q",
        natOf[mark],
        "-p",
        "tcp",
        "--sport",
        sport,
        "--dport",
        "7777",
        "--reply-port-src",
        "7777",
        "--reply-port-dst",
        sport,
        "--state",
        "ESTABLISHED",
        "-t",
        "300",
        "--mark",
        mark,
      ]);
    await add("192.168.1.100", "40001", "2");
    await add("192.168.1.77", "40002", "2");
    await add("192.168.1.77", "40003", "1");
    const r = await applyOk(A); // the plan of rules and routes is empty
    expect(r.planLines.filter((l: { kind: string }) => l.kind !== "conntrack")).toEqual([]);
    expect(r.result).toBe("applied");
    expect(r.movedHosts).toEqual(["192.168.1.77", "192.168.1.100"]);
    const left = await flows();
    expect(left.filter((f) => f.src === "192.168.1.100" && f.mark === 2)).toEqual([]);
    expect(left.filter((f) => f.src === "192.168.1.77")).toEqual([{ src: "192.168.1.77", mark: 1 }]);

    // the default ISP becomes ISP2: the unlisted address's ISP1 flow is stale now
    const C = structuredClone(A);
    C.settings.defaultIsp = "ISP2";
    const c = await applyOk(C);
    expect(c.movedHosts).toContain("192.168.1.77");
    expect((await flows()).filter((f) => f.src === "192.168.1.77")).toEqual([]);
    await applyOk(A);
  }, 120_000);

  it("a killed apply's conntrack file is removed by the next one", async () => {
    const ctDir = path.join(os.tmpdir(), "switchyard-ct");
    const stale = path.join(ctDir, "4194000-0.flows"); // a pid that is not running
    await writeFile(stale, "-D -s 192.168.1.250\n").catch(() => undefined);
    // and a folder of the earlier mkdtemp scheme, an hour old
    const legacy = path.join(os.tmpdir(), "switchyard-ct-ha1old");
    await mkdir(legacy, { recursive: true });
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(legacy, hourAgo, hourAgo);
    await run(gw, "conntrack", [
      "-I",
      "-s",
      "192.168.1.100",
      "-d",
      "198.18.0.1",
      "-r",
      "198.18.0.1",
      "-q",
      "198.51.100.10",
      "-p",
      "tcp",
      "--sport",
      "40009",
      "--dport",
      "7777",
      "--reply-port-src",
      "7777",
      "--reply-port-dst",
      "40009",
      "--state",
      "ESTABLISHED",
      "-t",
      "300",
      "--mark",
      "2",
    ]);
    await applyOk(A);
    await expect(readFile(stale)).rejects.toThrow(/ENOENT/);
    await expect(stat(legacy)).rejects.toThrow(/ENOENT/);
  }, 120_000);
});

describe("iptables-restore --test is no guarantee", () => {
  it("a restore the precheck passed but the kernel refused is rolled back exactly", async () => {
    // an owned chain still referenced by a foreign one: deleting it passes --test, the kernel refuses it
    await run(gw, "iptables-restore", ["--noflush"], { input: "*mangle\n:SWYD-OLD - [0:0]\n:FOREIGN-REF - [0:0]\n-A FOREIGN-REF -j SWYD-OLD\nCOMMIT\n" });
    const before = await snapshot();
    const test = await run(gw, "iptables-restore", ["--test", "--noflush"], { input: "*mangle\n-F SWYD-OLD\n-X SWYD-OLD\nCOMMIT\n" });
    expect(test.exitCode).toBe(0);
    await stage(B);
    const r = await cli(["apply", "--json"]);
    const rep = JSON.parse(r.stdout);
    expect(r.exitCode).toBe(1);
    expect(rep).toMatchObject({ failedStep: "firewall", rolledBack: true, restoredExactly: true });
    expect(await snapshot()).toBe(before);
    await run(gw, "iptables-restore", ["--noflush"], { input: "*mangle\n-F FOREIGN-REF\n-X FOREIGN-REF\n-X SWYD-OLD\nCOMMIT\n" });
    // with nftables nothing else used iptables' mangle table: the test's own commands made it
    if (process.env.SWITCHYARD_FIREWALL === "nftables") await run(gw, "nft", ["delete", "table", "ip", "mangle"]);
    expect(await snapshot()).toBe(snapA);
  }, 120_000);

  it("a refusing precheck says so plainly, without talk of rollback", async () => {
    const bad = structuredClone(A);
    bad.isps[1].wanInterface = "eth9";
    await stage(bad);
    // on the gateway namespace itself: the lab would create the missing interface
    const r = await run(HOST, "node", [cliJs, "--netns", gatewayNamespace(LAB), "apply"], { env, cwd: repoRoot, allowFailure: true, timeoutMs: 60_000 });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/Apply REFUSED by the precheck .*interface eth9 does not exist.*Nothing on the gateway was changed\./);
    expect(r.stdout).not.toMatch(/rolled back/i);
    await stage(A);
  }, 60_000);
});
