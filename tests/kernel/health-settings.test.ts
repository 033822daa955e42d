// Health settings changed while a monitor runs, against the real kernel in the lab "hsx"
// (namespaces hsx-*; every probe target is inside them). The monitor reloads its settings every
// second: `switchyard health set` of an ISP's targets to an address nothing answers takes that
// ISP down (its host's new connections leave through the other ISP, proven by TCP to the lab's
// test server), and `health reset` brings it back, without a restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { switchyard, tempDatabase } from "../helpers/processes";
import { startLab } from "./helpers";
import { classicOffice } from "@/lib/examples";
import { labDown, probeEgress } from "@/lib/lab/lab";
import { SERVER_ADDRESS } from "@/lib/lab/topology";
import type { ManagedTarget } from "@/lib/engine/target";

const P = "hsx";
const OFFICE_PC = "192.168.1.100"; // on ISP1 (the default ISP)
const ISP1_NAT = "203.0.113.10";
const ISP2_NAT = "198.51.100.10";
/** In the lab's reserved range, beyond ISP1's router, and nothing there answers. */
const SILENT = "198.18.0.250";
// fast probes; the targets are not overridden: they come from the database
const FAST = {
  intervalMs: 200,
  timeoutMs: 200,
  downAfter: 3,
  upAfter: 3,
  minHoldMs: 1000,
  maxChanges: 20,
  changeWindowMs: 60_000,
  recoverWindow: 10,
  lossWindow: 10,
};

let db: Awaited<ReturnType<typeof tempDatabase>>;
let managed: ManagedTarget;
let prisma: typeof import("@/lib/db").db;
let monitor: Awaited<ReturnType<typeof import("@/lib/health/monitor").startMonitor>> | undefined;
const log: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cli = (args: string[]) => switchyard([...args, "--lab", P], { DATABASE_URL: db.url });

async function until<T>(what: () => T | Promise<T>, ok: (v: T) => boolean, deadlineMs: number): Promise<{ value: T; ms: number | null }> {
  const t0 = Date.now();
  let value = await what();
  while (!ok(value)) {
    if (Date.now() - t0 > deadlineMs) return { value, ms: null };
    await sleep(100);
    value = await what();
  }
  return { value, ms: Date.now() - t0 };
}
const egress = async () => {
  const r = await probeEgress(P, OFFICE_PC, { timeoutMs: 1000 });
  return r.ok ? r.seenAs : null;
};

beforeAll(async () => {
  db = await tempDatabase("health-settings-kernel");
  process.env.DATABASE_URL = db.url;
  const service = await import("@/lib/engine/service");
  prisma = (await import("@/lib/db")).db;
  const { replaceConfig } = await import("@/lib/data/config");
  expect((await replaceConfig(classicOffice)).ok).toBe(true);
  ({ managed } = await startLab(classicOffice, P));
  const first = await service.applyStaged({ actor: { username: "tester" }, source: "cli", managed });
  expect(first.report.ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await monitor?.stop();
  await labDown(P);
  await prisma?.$disconnect();
  await db?.cleanup();
});

describe("health settings and a running monitor", () => {
  it("a row written by saveHealthSettings does not stop the monitor (it exited with Unrecognized keys: id, updatedAt)", async () => {
    const { saveHealthSettings, defaultHealthSettings } = await import("@/lib/health/store");
    expect((await saveHealthSettings({ ...defaultHealthSettings({ name: "ISP2" }, { lab: true }), downAfter: 4 })).ok).toBe(true);
    const { startMonitor } = await import("@/lib/health/monitor");
    monitor = await startMonitor({ managed, lab: true, override: FAST, log: (l) => log.push(l) });
    const up = await until(
      () => monitor!.health(),
      (h) => h.ISP1?.state === "up" && h.ISP2?.state === "up",
      5000,
    );
    expect(up.ms, log.join("\n")).not.toBeNull();
    expect((await until(egress, (s) => s === ISP1_NAT, 5000)).ms).not.toBeNull();
  }, 30_000);

  it("health set to a target nothing answers: ISP1 goes down and its host leaves by ISP2; health reset: back, without a restart", async () => {
    expect(monitor).toBeDefined();
    // timed from the command's start (the CLI itself takes a few seconds to load on this machine)
    const t0 = Date.now();
    const set = await cli(["health", "set", "ISP1", "--targets", SILENT]);
    expect(set.exitCode, set.stderr).toBe(0);
    const down = await until(
      () => monitor!.health().ISP1.state,
      (s) => s === "down",
      15_000,
    );
    expect(down.ms, log.join("\n")).not.toBeNull();
    const downMs = Date.now() - t0;
    expect(log.join("\n")).toMatch(/health settings changed: restarting the probes/);
    expect((await until(egress, (s) => s === ISP2_NAT, 10_000)).ms, log.join("\n")).not.toBeNull();
    expect(monitor!.health().ISP2.state).toBe("up"); // ISP2's own row is untouched

    const t1 = Date.now();
    const reset = await cli(["health", "reset", "ISP1"]);
    expect(reset.exitCode, reset.stderr).toBe(0);
    expect(await prisma.ispHealthSettings.count({ where: { isp: "ISP1" } })).toBe(0);
    const up = await until(
      () => monitor!.health().ISP1.state,
      (s) => s === "up",
      30_000,
    );
    expect(up.ms, log.join("\n")).not.toBeNull();
    const upMs = Date.now() - t1;
    expect((await until(egress, (s) => s === ISP1_NAT, 10_000)).ms, log.join("\n")).not.toBeNull();
    console.log(
      `health set -> ISP1 down ${downMs} ms after the command started (${down.ms} ms after it exited); reset -> up ${upMs} ms after (${up.ms} ms after it exited) (probes every ${FAST.intervalMs} ms, target ${SERVER_ADDRESS})`,
    );
  }, 90_000);
});
