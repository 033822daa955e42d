// Damping that never delays a failover, against the real kernel, in the lab "hd1" (namespaces
// hd1-*; all traffic stays between them). The monitor runs in-process at the fastest settings
// (200 ms, down after 3), probing the lab's test server, beyond the ISPs' routers; faults are
// injected in the ISPs' namespaces; real TCP connections from office-pc's namespace to the test
// server prove which ISP (which NAT address) its new connections leave through.
// Outcomes, not speed: deadlines are generous (the machine is shared).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../helpers/processes";
import { startLab } from "./helpers";
import { classicOffice } from "@/lib/examples";
import { run, type Target } from "@/lib/net/exec";
import { labDown, probeEgress } from "@/lib/lab/lab";
import { SERVER_ADDRESS } from "@/lib/lab/topology";
import type { ManagedTarget } from "@/lib/engine/target";
import type { IspHealthSettings } from "@/lib/validation/health";

const P = "hd1";
const OFFICE_PC = "192.168.1.100"; // on ISP1 (the default ISP)
const ISP1_NAT = "203.0.113.10";
const ISP1_ROUTER = "203.0.113.1";
const ISP2_NAT = "198.51.100.10";
/** The fastest documented settings; the windows and damping are the defaults unless a test says otherwise. */
const FASTEST: Partial<Omit<IspHealthSettings, "isp">> = {
  targets: [SERVER_ADDRESS],
  intervalMs: 200,
  timeoutMs: 200,
  downAfter: 3,
  upAfter: 3,
  minHoldMs: 1000,
};

let db: Awaited<ReturnType<typeof tempDatabase>>;
let managed: ManagedTarget;
let gw: Target;
let service: typeof import("@/lib/engine/service");
let monitorLib: typeof import("@/lib/health/monitor");
let faults: typeof import("@/lib/lab/faults");
let prisma: typeof import("@/lib/db").db;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Poll a new connection from office-pc until the test server sees `address`; the time it took, or null. */
async function waitForEgress(address: string, deadlineMs: number): Promise<number | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < deadlineMs) {
    const r = await probeEgress(P, OFFICE_PC, { timeoutMs: 1000 });
    if (r.ok && r.seenAs === address) return Date.now() - t0;
    await sleep(100);
  }
  return null;
}
const fault = (kind: "upstream-down" | "link-down" | "restore") => faults.injectFault(classicOffice, P, "ISP1", { kind });

/** A monitor with `override` over the fastest settings, its state changes and applies logged. */
async function monitorWith(override: Partial<Omit<IspHealthSettings, "isp">> = {}) {
  const log: string[] = [];
  const changes: string[] = [];
  const applies: { reason: string; result?: string; revisionId?: number | null }[] = [];
  const m = await monitorLib.startMonitor({
    managed,
    lab: true,
    override: { ...FASTEST, ...override },
    log: (l) => log.push(l),
    onChange: (isp, c) => isp === "ISP1" && changes.push(c.to),
    onApply: (r) => applies.push({ reason: r.reason, result: r.recorded?.report.result, revisionId: r.recorded?.revisionId }),
  });
  return { m, log, changes, applies, text: () => log.join("\n") };
}
const monitorRevisions = () => prisma.revision.findMany({ where: { source: "monitor" }, orderBy: { id: "asc" } });

beforeAll(async () => {
  db = await tempDatabase("health-damping");
  process.env.DATABASE_URL = db.url;
  service = await import("@/lib/engine/service");
  monitorLib = await import("@/lib/health/monitor");
  faults = await import("@/lib/lab/faults");
  prisma = (await import("@/lib/db")).db;
  const { replaceConfig } = await import("@/lib/data/config");
  expect((await replaceConfig(classicOffice)).ok).toBe(true);
  ({ managed, gw } = await startLab(classicOffice, P));
});

afterAll(async () => {
  await labDown(P);
  await prisma?.$disconnect();
  await db?.cleanup();
});

describe("health damping (real kernel)", () => {
  it("before the first apply the monitor writes no health, no events and no samples; the first apply starts the judging", async () => {
    const mon = await monitorWith();
    try {
      await sleep(2500); // a dozen probes, all unanswered: nothing routes them yet
      expect(await prisma.ispHealth.count(), mon.text()).toBe(0);
      expect(await prisma.healthEvent.count()).toBe(0);
      expect(await prisma.ispSample.count()).toBe(0);
      const first = await service.applyStaged({ actor: { username: "tester" }, source: "cli", managed });
      expect(first.report.ok).toBe(true);
      let rows = await prisma.ispHealth.findMany();
      for (let i = 0; i < 50 && rows.length < 2; i++, await sleep(100)) rows = await prisma.ispHealth.findMany();
      expect(rows.map((r) => [r.isp, r.state]).sort(), mon.text()).toEqual([
        ["ISP1", "up"],
        ["ISP2", "up"],
      ]);
      await sleep(1500);
      expect(await prisma.healthEvent.count({ where: { to: "down" } }), mon.text()).toBe(0);
      expect(await waitForEgress(ISP1_NAT, 3000)).not.toBeNull();
    } finally {
      await mon.m.stop();
    }
  });

  it("upstream deaths behind a router that keeps answering: every one fails over, the fourth too after three within the damping window; only the recovery waits", async () => {
    // three recoveries allowed per 2 minutes; short windows so that each outage is over in seconds
    const mon = await monitorWith({ maxChanges: 3, changeWindowMs: 120_000, lossWindow: 10, recoverWindow: 10, minHoldMs: 500 });
    try {
      await sleep(1500);
      expect(await waitForEgress(ISP1_NAT, 5000), mon.text()).not.toBeNull();
      for (let outage = 1; outage <= 4; outage++) {
        await fault("upstream-down");
        if (outage === 1) {
          // ISP1's router still answers: only a target beyond it tells
          const router = await run(gw, "ping", ["-n", "-c", "2", "-W", "1", "-I", ISP1_NAT, ISP1_ROUTER], { allowFailure: true });
          expect(router.exitCode).toBe(0);
        }
        expect(await waitForEgress(ISP2_NAT, 15_000), `outage ${outage}: no failover\n${mon.text()}`).not.toBeNull();
        expect(mon.m.health().ISP1.state).toBe("down");
        await fault("restore");
        if (outage < 4) expect(await waitForEgress(ISP1_NAT, 20_000), `outage ${outage}: no failback\n${mon.text()}`).not.toBeNull();
      }
      // three recoveries in the window: the fourth is held, its hosts stay on the backup
      await sleep(3000);
      expect(mon.m.health().ISP1.state, mon.text()).toBe("down");
      expect(await waitForEgress(ISP2_NAT, 3000)).not.toBeNull();
      expect(
        mon.changes.filter((c) => c !== "degraded"),
        mon.text(),
      ).toEqual(["down", "up", "down", "up", "down", "up", "down"]);
    } finally {
      await mon.m.stop();
    }
  });

  it("30 % loss on ISP1 (each way) for 30 s: it settles in one state, at most 2 changes", async () => {
    const mon = await monitorWith();
    try {
      await sleep(1500); // the start apply puts office-pc back on ISP1
      expect(await waitForEgress(ISP1_NAT, 10_000), mon.text()).not.toBeNull();
      const before = mon.changes.length;
      await faults.injectFault(classicOffice, P, "ISP1", { kind: "loss", pct: 30 });
      await sleep(30_000);
      const changes = mon.changes.slice(before);
      expect(changes.length, mon.text()).toBeGreaterThanOrEqual(1);
      expect(changes.length, mon.text()).toBeLessThanOrEqual(2);
      expect(changes).not.toContain("up");
      const state = mon.m.health().ISP1.state;
      expect(state).not.toBe("up");
      // down: office-pc's new connections leave through ISP2 (a degraded ISP keeps its hosts)
      if (state === "down") expect(await waitForEgress(ISP2_NAT, 5000), mon.text()).not.toBeNull();
      console.log(`30 % loss for 30 s: ${changes.join(", ")}`);
    } finally {
      await faults.injectFault(classicOffice, P, "ISP1", { kind: "restore" });
      await mon.m.stop();
    }
  });

  it("a link flapping every 3 s for 30 s: one apply per settled state, no revision that changed nothing", async () => {
    const mon = await monitorWith();
    try {
      await expect(monitorLib.startMonitor({ managed, lab: true })).rejects.toThrow(/a monitor already runs for lab \(hd1-gw\)/);
      await sleep(1500);
      expect(await waitForEgress(ISP1_NAT, 10_000), mon.text()).not.toBeNull();
      const revsBefore = (await monitorRevisions()).length;
      const appliesBefore = mon.applies.length;
      const changesBefore = mon.changes.length;
      for (let i = 0; i < 10; i++) {
        await fault("link-down");
        await sleep(1500);
        await fault("restore");
        await sleep(1500);
      }
      // settled: back on ISP1 once the link has stayed up and the probes proved it
      expect(await waitForEgress(ISP1_NAT, 30_000), mon.text()).not.toBeNull();
      await sleep(500);
      const changes = mon.changes.slice(changesBefore);
      const revs = (await monitorRevisions()).slice(revsBefore);
      const applies = mon.applies.slice(appliesBefore);
      console.log(
        `link flapping 30 s: ${changes.join(", ")}; ${applies.length} applies (${applies.map((a) => `${a.reason}: ${a.result}`).join("; ")}); ${revs.length} revisions`,
      );
      expect(changes[0], mon.text()).toBe("down");
      expect(changes.at(-1)).toBe("up");
      // every apply that changed something is one settled state; the link-up route restores change nothing on carrier loss
      expect(revs.length, mon.text()).toBeLessThanOrEqual(changes.length + 2);
      expect(applies.length, mon.text()).toBeLessThanOrEqual(changes.length + 3);
      expect((await monitorRevisions()).filter((r) => r.result === "unchanged")).toEqual([]);
      expect(applies.filter((a) => a.result === "unchanged").every((a) => a.revisionId === null)).toBe(true);
    } finally {
      await fault("restore");
      await mon.m.stop();
    }
  });
});
