// ISP health and failover against the real kernel, in the lab "hh1" (namespaces hh1-*; all
// traffic stays between them): the monitor runs in-process with fast settings, faults are
// injected in the ISPs' namespaces, and real TCP connections to the test server prove
// which ISP (which NAT address) a host's new connections leave through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../helpers/processes";
import { startLab } from "./helpers";
import { classicOffice } from "@/lib/examples";
import fs from "node:fs";
import path from "node:path";
import { netns, run, startStream } from "@/lib/net/exec";
import { ispNamespace, labDown, probeEgress } from "@/lib/lab/lab";
import { SERVER_ADDRESS } from "@/lib/lab/topology";
import type { ManagedTarget } from "@/lib/engine/target";

const P = "hh1";
const OFFICE_PC = "192.168.1.100"; // on ISP1 (the default ISP)
const ISP1_NAT = "203.0.113.10";
const ISP2_NAT = "198.51.100.10";
const FAST = { targets: [SERVER_ADDRESS], intervalMs: 200, timeoutMs: 200, downAfter: 3, upAfter: 3, minHoldMs: 1000, maxChanges: 4, changeWindowMs: 60_000 };

let db: Awaited<ReturnType<typeof tempDatabase>>;
let managed: ManagedTarget;
let gw: ReturnType<typeof netns>;
let service: typeof import("@/lib/engine/service");
let monitorLib: typeof import("@/lib/health/monitor");
let faults: typeof import("@/lib/lab/faults");
let staged: typeof import("@/lib/engine/staged");
let prisma: typeof import("@/lib/db").db;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Poll a new connection from the host until the test server sees `address`; the time it took, or null. */
async function waitForEgress(host: string, address: string, deadlineMs: number): Promise<number | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < deadlineMs) {
    const r = await probeEgress(P, host, { timeoutMs: 1000 });
    if (r.ok && r.seenAs === address) return Date.now() - t0;
    await sleep(100);
  }
  return null;
}
const fault = (isp: string, kind: "upstream-down" | "link-down" | "restore") => faults.injectFault(classicOffice, P, isp, { kind });

beforeAll(async () => {
  db = await tempDatabase("health");
  process.env.DATABASE_URL = db.url;
  service = await import("@/lib/engine/service");
  monitorLib = await import("@/lib/health/monitor");
  faults = await import("@/lib/lab/faults");
  staged = await import("@/lib/engine/staged");
  prisma = (await import("@/lib/db")).db;
  const { replaceConfig } = await import("@/lib/data/config");
  expect((await replaceConfig(classicOffice)).ok).toBe(true);
  ({ managed, gw } = await startLab(classicOffice, P));
  const first = await service.applyStaged({ actor: { username: "tester" }, source: "cli", managed });
  expect(first.report.ok).toBe(true);
});

afterAll(async () => {
  await labDown(P);
  await prisma?.$disconnect();
  await db?.cleanup();
});

describe("probes", () => {
  it("a probe from an ISP's own address leaves through that ISP", async () => {
    const ping = (from: string) => run(gw, "ping", ["-n", "-c", "1", "-W", "1", "-I", from, SERVER_ADDRESS], { allowFailure: true });
    const dropped = async () => {
      const save = await run(netns(ispNamespace(P, 0)), "iptables-save", ["-c", "-t", "filter"]);
      const line = save.stdout.split("\n").find((l) => l.includes("-A SYLAB-FAULT") && l.includes("-j DROP"));
      return Number(/^\[(\d+):/.exec(line ?? "")?.[1] ?? "0");
    };
    expect((await ping(ISP1_NAT)).exitCode).toBe(0);
    expect((await ping(ISP2_NAT)).exitCode).toBe(0);
    await fault("ISP1", "upstream-down");
    try {
      expect((await ping(ISP2_NAT)).exitCode).toBe(0); // ISP2's probe is not ISP1's business
      expect(await dropped()).toBe(0);
      expect((await ping(ISP1_NAT)).exitCode).not.toBe(0);
      expect(await dropped()).toBe(1); // it reached ISP1's namespace, and died one hop further
    } finally {
      await fault("ISP1", "restore");
    }
    expect((await ping(ISP1_NAT)).exitCode).toBe(0);
  });
});

describe("lab faults", () => {
  it("loss 50: about half of what ISP2 forwards is dropped; restore: none", async () => {
    const received = async () => {
      const r = await run(gw, "ping", ["-n", "-q", "-c", "40", "-i", "0.02", "-W", "1", "-I", ISP2_NAT, SERVER_ADDRESS], { allowFailure: true });
      return Number(/(\d+) received/.exec(r.stdout)?.[1] ?? "-1");
    };
    await faults.injectFault(classicOffice, P, "ISP2", { kind: "loss", pct: 50 });
    try {
      const n = await received();
      // each probe crosses ISP2 twice (request and reply): ~25% come back; 2..30 of 40 is beyond chance
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(30);
      const status = await faults.faultStatus(classicOffice, P);
      expect(status.find((s) => s.isp === "ISP2")?.rules.join(" ")).toContain("--probability 0.5");
    } finally {
      await faults.injectFault(classicOffice, P, "ISP2", { kind: "restore" });
    }
    expect(await received()).toBe(40);
    expect((await faults.faultStatus(classicOffice, P)).every((s) => s.rules.length === 0 && s.linkUp)).toBe(true);
  });
});

describe("failover and failback", () => {
  let monitor: Awaited<ReturnType<typeof monitorLib.startMonitor>>;
  const log: string[] = [];
  beforeAll(async () => {
    // room for the changes of both tests in one damping window (flapping tests the limit)
    monitor = await monitorLib.startMonitor({ managed, lab: true, override: { ...FAST, maxChanges: 20 }, log: (l) => log.push(l) });
    await sleep(1500); // a few probes, the hold time of the start
    expect(monitor.health().ISP1.state).toBe("up");
    expect(await waitForEgress(OFFICE_PC, ISP1_NAT, 3000)).not.toBeNull();
  });
  afterAll(async () => {
    await monitor?.stop();
    await fault("ISP1", "restore");
  });

  it("ISP1's upstream dies: new connections of its hosts leave through ISP2; restored, they come back", async () => {
    await fault("ISP1", "upstream-down");
    const failover = await waitForEgress(OFFICE_PC, ISP2_NAT, 15_000);
    expect(failover, log.join("\n")).not.toBeNull();
    expect(monitor.health().ISP1.state).toBe("down");
    await fault("ISP1", "restore");
    const failback = await waitForEgress(OFFICE_PC, ISP1_NAT, 15_000);
    expect(failback, log.join("\n")).not.toBeNull();
    expect(monitor.health().ISP1.state).toBe("up");
    const events = await prisma.healthEvent.findMany({ where: { isp: "ISP1" }, orderBy: { id: "asc" } });
    // losses may be seen as "degraded" on the way down (2 of the last probes lost)
    expect(events.map((e) => e.to).filter((s) => s !== "degraded")).toEqual(["down", "up"]);
    // the kernel changes before the apply is recorded: wait for the record
    let revs = await prisma.revision.findMany({ where: { source: "monitor" } });
    for (let i = 0; i < 50 && revs.length < 2; i++, await sleep(100)) revs = await prisma.revision.findMany({ where: { source: "monitor" } });
    expect(revs.length).toBe(2);
    expect(revs.every((r) => r.actor === "monitor")).toBe(true);
    const stored = await prisma.ispHealth.findUnique({ where: { isp: "ISP1" } });
    expect(stored?.state).toBe("up");
    console.log(`failover ${failover} ms, failback ${failback} ms (interval 200 ms, down after 3, up after 3, hold 1 s)`);
  });

  it("ISP1's link goes down: failover at once; back up, its routes are restored and its hosts return", async () => {
    await sleep(1200); // past the hold time of the last change
    await fault("ISP1", "link-down");
    expect(await waitForEgress(OFFICE_PC, ISP2_NAT, 10_000), log.join("\n")).not.toBeNull();
    expect(monitor.health().ISP1).toMatchObject({ state: "down", linkUp: false });
    await fault("ISP1", "restore");
    expect(await waitForEgress(OFFICE_PC, ISP1_NAT, 15_000), log.join("\n")).not.toBeNull();
    const table = await run(gw, "ip", ["-4", "route", "show", "table", "100"]);
    expect(table.stdout).toContain("default via 203.0.113.1 dev eth0");
  });

  it("a user apply while ISP1 is down keeps the failover: the kernel runs the backup, the revision keeps the user's config, nothing shows as staged", async () => {
    await sleep(1200);
    await fault("ISP1", "upstream-down");
    expect(await waitForEgress(OFFICE_PC, ISP2_NAT, 15_000), log.join("\n")).not.toBeNull();
    const user = await service.applyStaged({ actor: { username: "tester" }, source: "cli", managed: { target: managed.target, label: managed.label } });
    expect(["applied", "unchanged"]).toContain(user.report.result);
    const rev = await prisma.revision.findUniqueOrThrow({ where: { id: user.revisionId } });
    const hostIsp = (json: string | null) => (JSON.parse(json ?? "null")?.hosts ?? []).find((h: { address: string }) => h.address === OFFICE_PC)?.isp;
    // what the kernel runs: the user's config with the monitor's health in it
    expect(JSON.parse(rev.config).health).toEqual({ down: ["ISP1"] });
    expect(hostIsp(rev.config)).toBe("ISP1");
    expect(hostIsp(rev.base)).toBe("ISP1"); // what the user configured
    expect(JSON.parse(rev.base!).health).toBeUndefined();
    // at once, not after the monitor's next look
    expect(await waitForEgress(OFFICE_PC, ISP2_NAT, 1_000)).not.toBeNull();
    expect(await staged.stagedChanges()).toEqual([]);
    await fault("ISP1", "restore");
    expect(await waitForEgress(OFFICE_PC, ISP1_NAT, 15_000), log.join("\n")).not.toBeNull();
  });
});

describe("flapping", () => {
  it("an upstream toggled every second for 20 s: down at the first outage, back once it stays clean; no revision that changed nothing", async () => {
    const log: string[] = [];
    const changes: string[] = [];
    const revsBefore = await prisma.revision.count({ where: { source: "monitor" } });
    const monitor = await monitorLib.startMonitor({
      managed,
      lab: true,
      override: FAST,
      log: (l) => log.push(l),
      onChange: (isp, c) => isp === "ISP1" && changes.push(c.to),
    });
    try {
      await expect(monitorLib.startMonitor({ managed, lab: true })).rejects.toThrow(/a monitor already runs for lab \(hh1-gw\)/);
      await sleep(1500);
      for (let i = 0; i < 20; i++) {
        await fault("ISP1", i % 2 === 0 ? "upstream-down" : "restore");
        await sleep(1000);
      }
      await fault("ISP1", "restore");
      // a second of replies never makes a clean recovery window (30 probes): down all along, once
      expect(
        changes.filter((c) => c !== "degraded"),
        log.join("\n"),
      ).toEqual(["down"]);
      expect(await waitForEgress(OFFICE_PC, ISP1_NAT, 20_000), log.join("\n")).not.toBeNull();
      expect(
        changes.filter((c) => c !== "degraded"),
        log.join("\n"),
      ).toEqual(["down", "up"]);
      await sleep(1000); // the failback apply is recorded after the kernel changed
      const revs = await prisma.revision.findMany({ where: { source: "monitor" }, skip: revsBefore });
      expect(revs.length, log.join("\n")).toBeLessThanOrEqual(changes.length + 1);
      expect(revs.filter((r) => r.result === "unchanged")).toEqual([]);
      console.log(`flapping: ${changes.join(", ")}; ${monitor.applies} applies, ${revs.length} revisions in 20 s`);
    } finally {
      await monitor.stop();
    }
  });
});

describe("switchyard monitor (the CLI process)", () => {
  /** ping processes running in the lab's gateway namespace */
  const pingsInGateway = () => {
    const gwNs = fs.statSync(`/run/netns/${P}-gw`);
    return fs
      .readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .filter((pid) => {
        try {
          const ns = fs.statSync(`/proc/${pid}/ns/net`);
          return ns.ino === gwNs.ino && ns.dev === gwNs.dev && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("/usr/bin/ping\0");
        } catch {
          return false;
        }
      });
  };

  it("probes with one ping per ISP and stops them all on SIGTERM", async () => {
    const lines: string[] = [];
    const bin = path.resolve(import.meta.dirname, "../../bin/switchyard.mjs");
    const child = startStream({ kind: "host" }, "node", [bin, "--lab", P, "monitor"], { onLine: (l) => lines.push(l), onStderrLine: (l) => lines.push(l) });
    try {
      for (let i = 0; i < 100 && !lines.some((l) => l.includes("monitoring lab")); i++) await sleep(100);
      expect(lines.join("\n")).toContain(`monitoring lab (${P}-gw): ISP1, ISP2`);
      await sleep(500);
      expect(pingsInGateway()).toHaveLength(2);
    } finally {
      expect(await child.stop(5000)).toBe(0);
    }
    expect(lines.join("\n")).toMatch(/stopped after \d+ appl/);
    expect(pingsInGateway()).toEqual([]);
  });
});
