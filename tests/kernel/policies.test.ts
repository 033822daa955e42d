// Policies against the real kernel, in the lab "hpk" (namespaces hpk-*; all traffic stays
// between them). Real TCP connections to the lab's test server prove where each new
// connection leaves: the echo port answers the address it sees (ISP1 203.0.113.10, ISP2
// 198.51.100.10).
// - a balanced 2:1 group over 300 connections splits within +-10% of 2:1;
// - sticky: each destination stays on one ISP, and different destinations use both;
// - the monitor finds ISP2's upstream dead: a failover policy goes to its next tier, a policy
//   with only ISP2 and no last resort gets an error (never ISP1), a balanced one uses ISP1 only;
//   ISP2's upstream restored: all of it comes back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../helpers/processes";
import { startLab } from "./helpers";
import { classicOffice } from "@/lib/examples";
import path from "node:path";
import { netns, run, spawnDetached } from "@/lib/net/exec";
import { hostNamespace, inetNamespace, labDown, probeEgress } from "@/lib/lab/lab";
import { SERVER_ADDRESS } from "@/lib/lab/topology";
import type { ManagedTarget } from "@/lib/engine/target";
import type { GatewayConfig } from "@/lib/model";
import { observeKernel } from "@/lib/net/observe";
import { planChanges } from "@/lib/net/plan";
import { render } from "@/lib/net/render";

const P = "hpk";
const ISP1_NAT = "203.0.113.10";
const ISP2_NAT = "198.51.100.10";
const SPLIT = "192.168.1.110";
const STICKY = "192.168.1.111";
const ONLY2 = "192.168.1.112";
const TIERS = "192.168.1.113";
const FAST = { targets: [SERVER_ADDRESS], intervalMs: 200, timeoutMs: 200, downAfter: 3, upAfter: 3, minHoldMs: 1000, maxChanges: 20, changeWindowMs: 60_000 };
/** extra "internet" addresses for the sticky test, with an echo server of our own on all of them */
const DESTS = Array.from({ length: 16 }, (_, i) => `198.18.0.${i + 2}`);
const STICKY_PORT = 7790;

const config: GatewayConfig = {
  ...structuredClone(classicOffice),
  policies: [
    {
      name: "split",
      members: [
        { isp: "ISP1", tier: 1, weight: 2 },
        { isp: "ISP2", tier: 1, weight: 1 },
      ],
      sticky: false,
      lastResort: null,
      notes: "",
    },
    {
      name: "sticky",
      members: [
        { isp: "ISP1", tier: 1, weight: 1 },
        { isp: "ISP2", tier: 1, weight: 1 },
      ],
      sticky: true,
      lastResort: null,
      notes: "",
    },
    { name: "isp2-only", members: [{ isp: "ISP2", tier: 1, weight: 1 }], sticky: false, lastResort: null, notes: "" },
    {
      name: "isp2-then-isp1",
      members: [
        { isp: "ISP2", tier: 1, weight: 1 },
        { isp: "ISP1", tier: 2, weight: 1 },
      ],
      sticky: false,
      lastResort: null,
      notes: "",
    },
  ],
};
config.hosts.push(
  { name: "split-pc", address: SPLIT, mac: null, isp: null, policy: "split", notes: "" },
  { name: "sticky-pc", address: STICKY, mac: null, isp: null, policy: "sticky", notes: "" },
  { name: "only2-pc", address: ONLY2, mac: null, isp: null, policy: "isp2-only", notes: "" },
  { name: "tiers-pc", address: TIERS, mac: null, isp: null, policy: "isp2-then-isp1", notes: "" },
);

let db: Awaited<ReturnType<typeof tempDatabase>>;
let managed: ManagedTarget;
let service: typeof import("@/lib/engine/service");
let prisma: typeof import("@/lib/db").db;
let echoPid = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Many new connections from one host, a few at a time: how many the test server saw from each address. */
async function connections(host: string, n: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next < n) {
        next++;
        const r = await probeEgress(P, host, { timeoutMs: 2000 });
        const k = r.ok ? r.seenAs : "error";
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
    }),
  );
  return seen;
}

async function seenFrom(host: string, dest: string): Promise<string> {
  const r = await run(netns(hostNamespace(P, host)), "nc", ["-n", "-w", "2", dest, String(STICKY_PORT)], { input: "", allowFailure: true, timeoutMs: 5000 });
  return r.exitCode === 0 && r.stdout.trim() ? r.stdout.trim() : "error";
}

async function waitFor(fn: () => Promise<boolean>, deadlineMs: number): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < deadlineMs) {
    if (await fn()) return true;
    await sleep(150);
  }
  return false;
}

beforeAll(async () => {
  db = await tempDatabase("policies");
  process.env.DATABASE_URL = db.url;
  service = await import("@/lib/engine/service");
  prisma = (await import("@/lib/db")).db;
  const { replaceConfig } = await import("@/lib/data/config");
  const r = await replaceConfig(config);
  expect(r).toEqual({ ok: true });
  ({ managed } = await startLab(config, P));
  const first = await service.applyStaged({ actor: { username: "tester" }, source: "cli", managed });
  expect(first.report.ok, JSON.stringify(first.report.verification?.hosts.filter((h) => !h.ok))).toBe(true);
  // after the apply: a lab apply converges the lab to its topology, which has one server address
  const inet = netns(inetNamespace(P));
  for (const d of DESTS) await run(inet, "ip", ["addr", "add", `${d}/32`, "dev", "lo"]);
  const script = path.join(process.cwd(), "lib/lab/echo-server.mjs");
  echoPid = spawnDetached(inet, "node", [script, "--address", "0.0.0.0", "--port", String(STICKY_PORT), "--sink-port", String(STICKY_PORT + 1)]);
  await sleep(500);
}, 120_000);

afterAll(async () => {
  if (echoPid)
    try {
      process.kill(echoPid);
    } catch {
      /* gone */
    }
  await labDown(P);
  await prisma?.$disconnect();
  await db?.cleanup();
});

describe("policies in the kernel", () => {
  it("what render says is what iptables keeps: the plan after apply is empty", async () => {
    const observed = await observeKernel(managed.target);
    expect(planChanges(render(config).state, observed).lines).toEqual([]);
    const chains = observed.chains.map((c) => c.name);
    expect(chains).toEqual(
      expect.arrayContaining(["SWYD-P-split", "SWYD-P-sticky", "SWYD-P-isp2-only", "SWYD-P-isp2-then-isp1", "SWYD-ISP100", "SWYD-ISP200"]),
    );
  });

  it("balanced 2:1 over 300 new connections: within +-10% of 2:1", async () => {
    const seen = await connections(SPLIT, 300);
    const one = seen.get(ISP1_NAT) ?? 0;
    const two = seen.get(ISP2_NAT) ?? 0;
    expect(seen.get("error") ?? 0, JSON.stringify([...seen])).toBe(0);
    expect(one + two).toBe(300);
    const share = one / 300;
    expect(share, `ISP1 ${one}, ISP2 ${two}`).toBeGreaterThanOrEqual((2 / 3) * 0.9);
    expect(share, `ISP1 ${one}, ISP2 ${two}`).toBeLessThanOrEqual((2 / 3) * 1.1);
  }, 120_000);

  it("sticky: every connection to one destination leaves through the same ISP; destinations use both", async () => {
    const per = new Map<string, Set<string>>();
    for (const d of DESTS) {
      const s = new Set<string>();
      for (let i = 0; i < 5; i++) s.add(await seenFrom(STICKY, d));
      per.set(d, s);
    }
    for (const [d, s] of per) {
      expect([...s], d).toHaveLength(1);
      expect([ISP1_NAT, ISP2_NAT], d).toContain([...s][0]);
    }
    const used = new Set([...per.values()].map((s) => [...s][0]));
    expect([...used].sort()).toEqual([ISP2_NAT, ISP1_NAT].sort());
    // the balanced (not sticky) host does change ISP between connections to one destination
    const loose = new Set<string>();
    for (let i = 0; i < 20; i++) loose.add(await seenFrom(SPLIT, DESTS[0]));
    expect(loose.size).toBe(2);
  }, 120_000);

  it("ISP2's upstream dies: next tier, unreachable without a last resort (never ISP1), balanced on what is left; restored: back", async () => {
    const monitorLib = await import("@/lib/health/monitor");
    const faults = await import("@/lib/lab/faults");
    const log: string[] = [];
    const monitor = await monitorLib.startMonitor({ managed, lab: true, override: FAST, log: (l) => log.push(l) });
    try {
      await sleep(1500);
      expect(monitor.health().ISP2.state).toBe("up");
      await faults.injectFault(config, P, "ISP2", { kind: "upstream-down" });
      const tiersMoved = await waitFor(
        async () =>
          (await probeEgress(P, TIERS, { timeoutMs: 1000 })).ok === true &&
          ((await probeEgress(P, TIERS, { timeoutMs: 1000 })) as { seenAs?: string }).seenAs === ISP1_NAT,
        20_000,
      );
      expect(tiersMoved, log.join("\n")).toBe(true);
      expect(monitor.health().ISP2.state).toBe("down");
      // isp2-only: an error, never ISP1 (ISP1 works fine for everyone else)
      const only = await connections(ONLY2, 10);
      expect([...only.keys()]).toEqual(["error"]);
      const err = await run(netns(hostNamespace(P, ONLY2)), "nc", ["-n", "-v", "-w", "2", SERVER_ADDRESS, "7777"], {
        input: "",
        allowFailure: true,
        timeoutMs: 5000,
      });
      expect(err.stderr).toMatch(/unreachable|refused|timed out/i);
      // balanced: only ISP1 is left
      const split = await connections(SPLIT, 30);
      expect([...split.keys()]).toEqual([ISP1_NAT]);
      // the monitor's revision says why
      const rev = await prisma.revision.findFirst({ where: { source: "monitor" }, orderBy: { id: "desc" } });
      expect(JSON.parse(rev!.config).health).toEqual({ down: ["ISP2"] });
      await faults.injectFault(config, P, "ISP2", { kind: "restore" });
      const back = await waitFor(async () => (await probeEgress(P, ONLY2, { timeoutMs: 1000 })).ok, 20_000);
      expect(back, log.join("\n")).toBe(true);
      expect(await probeEgress(P, TIERS)).toEqual({ ok: true, seenAs: ISP2_NAT });
    } finally {
      await monitor.stop();
      await faults.injectFault(config, P, "ISP2", { kind: "restore" });
    }
  }, 120_000);
});
