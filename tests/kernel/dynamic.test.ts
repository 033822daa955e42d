// Dynamic ISPs and routed blocks against the real kernel, in the lab "hd1" (namespaces hd1-*;
// all traffic stays between them). Three ISPs:
//   ISP1 static, with a routed block 192.0.2.8/29 beside its link: office-pc is pinned to 192.0.2.9;
//   ISP2 DHCP (busybox udhcpd in its namespace, udhcpc on the gateway's eth1), SNAT to the lease;
//   ISP3 PPP-style /32 on ppp0 (peer 100.65.3.1), MASQUERADE.
// The monitor runs in-process; the test server in the internet namespace says which address
// each connection came from, which proves the NAT address and the ISP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../helpers/processes";
import { startLab } from "./helpers";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { run } from "@/lib/net/exec";
import { labDown, labTopology, labUp, probeEgress, setDhcpPool } from "@/lib/lab/lab";
import { SERVER_ADDRESS } from "@/lib/lab/topology";
import type { ManagedTarget } from "@/lib/engine/target";

const P = "hd1";
const [OFFICE_PC, LAPTOP, PHONE] = ["192.168.1.100", "192.168.1.101", "192.168.1.102"];
const BLOCK_NAT = "192.0.2.9";
const ISP1_NAT = "203.0.113.10";
const FAST = { targets: [SERVER_ADDRESS], intervalMs: 200, timeoutMs: 200, downAfter: 3, upAfter: 3, minHoldMs: 1000, maxChanges: 20, changeWindowMs: 60_000 };

const config: GatewayConfig = {
  settings: classicOffice.settings, // default ISP1
  isps: [
    { ...classicOffice.isps[0], routedBlocks: ["192.0.2.8/29"] },
    {
      name: "ISP2",
      wanInterface: "eth1",
      addressMode: "dhcp",
      gatewayAddress: "",
      linkAddress: "",
      linkPrefix: 0,
      routingTable: 200,
      mark: 2,
      enabled: true,
      natMode: "SNAT",
    },
    {
      name: "ISP3",
      wanInterface: "ppp0",
      addressMode: "ppp",
      gatewayAddress: "",
      linkAddress: "",
      linkPrefix: 0,
      routingTable: 150,
      mark: 3,
      enabled: true,
      natMode: "MASQUERADE",
    },
  ],
  natAddresses: [
    { address: ISP1_NAT, isp: "ISP1", isDefault: true, host: null },
    { address: BLOCK_NAT, isp: "ISP1", isDefault: false, host: OFFICE_PC },
  ],
  hosts: [
    { name: "office-pc", address: OFFICE_PC, mac: null, isp: "ISP1", notes: "" },
    { name: "laptop", address: LAPTOP, mac: null, isp: "ISP2", notes: "" },
    { name: "phone", address: PHONE, mac: null, isp: "ISP3", notes: "" },
  ],
};

let db: Awaited<ReturnType<typeof tempDatabase>>;
let managed: ManagedTarget;
let gw: Awaited<ReturnType<typeof startLab>>["gw"];
let prisma: typeof import("@/lib/db").db;
let monitor: Awaited<ReturnType<typeof import("@/lib/health/monitor").startMonitor>>;
const log: string[] = [];
const applies: { reason: string; at: number; durationMs: number }[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function seenAs(host: string): Promise<string | null> {
  const r = await probeEgress(P, host, { timeoutMs: 1000 });
  return r.ok ? r.seenAs : null;
}
/** Poll new connections from the host until the test server sees `address`; the time it took, or null. */
async function waitForEgress(host: string, address: string, deadlineMs: number): Promise<number | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < deadlineMs) {
    if ((await seenAs(host)) === address) return Date.now() - t0;
    await sleep(100);
  }
  return null;
}
async function wanAddress(dev: string): Promise<string | null> {
  const r = await run(gw, "ip", ["-4", "-o", "addr", "show", "dev", dev], { allowFailure: true });
  return /inet (\S+)/.exec(r.stdout)?.[1] ?? null;
}

beforeAll(async () => {
  db = await tempDatabase("dynamic");
  process.env.DATABASE_URL = db.url;
  prisma = (await import("@/lib/db")).db;
  const { replaceConfig } = await import("@/lib/data/config");
  const saved = await replaceConfig(config);
  expect(saved).toEqual({ ok: true });
  ({ managed, gw } = await startLab(config, P));
  // the lab's DHCP client gets its first lease
  for (let i = 0; i < 100 && (await wanAddress("eth1")) !== "100.64.2.100/24"; i++) await sleep(100);
  expect(await wanAddress("eth1")).toBe("100.64.2.100/24");
  expect((await run(gw, "ip", ["-4", "-o", "addr", "show", "dev", "ppp0"])).stdout).toContain("inet 100.65.3.2 peer 100.65.3.1/32");
  const service = await import("@/lib/engine/service");
  const first = await service.applyStaged({ actor: { username: "tester" }, source: "cli", managed });
  expect(first.report.ok, JSON.stringify(first.report.verification ?? first.report.error)).toBe(true);
  const { startMonitor } = await import("@/lib/health/monitor");
  monitor = await startMonitor({
    managed,
    lab: true,
    override: FAST,
    log: (l) => log.push(`${new Date().toISOString()} ${l}`),
    onApply: (a) => applies.push({ reason: a.reason, at: a.at, durationMs: Math.round(a.durationMs) }),
  });
}, 60_000);

afterAll(async () => {
  await monitor?.stop();
  await labDown(P);
  await prisma?.$disconnect();
  await db?.cleanup();
});

describe("dynamic ISPs and routed blocks", () => {
  it("the first apply learned the lease and the PPP peer: the revision runs them, and keeps the user's config as its base", async () => {
    const rev = await prisma.revision.findFirstOrThrow({ where: { source: "cli" }, orderBy: { id: "desc" } });
    const ran = JSON.parse(rev.config) as GatewayConfig;
    expect(ran.isps[1]).toMatchObject({ linkAddress: "100.64.2.100", linkPrefix: 24, gatewayAddress: "100.64.2.1", enabled: true });
    expect(ran.isps[2]).toMatchObject({ linkAddress: "100.65.3.2", linkPrefix: 32, gatewayAddress: "100.65.3.1", enabled: true });
    expect(JSON.parse(rev.base ?? "null")).toEqual(config);
  });

  it("SNAT to an address of a routed block outside the link subnet: the test server sees it", async () => {
    expect(await seenAs(OFFICE_PC)).toBe(BLOCK_NAT);
    // the block's address is not on any interface of the gateway: the ISP routes the block to its link address
    expect((await run(gw, "ip", ["-4", "-o", "addr", "show"])).stdout).not.toContain(BLOCK_NAT);
    expect(await seenAs(LAPTOP)).toBe("100.64.2.100");
    expect(await seenAs(PHONE)).toBe("100.65.3.2");
  });

  it("the ISP hands out a new lease: ISP2's hosts leave with the new address, the other ISPs' hosts are untouched", async () => {
    const t = labTopology(config, P);
    await setDhcpPool(t, "ISP2", { start: "100.64.2.150", end: "100.64.2.150" });
    // the client notices at its next renewal (its lease is 16 s): a generous deadline
    const took = await waitForEgress(LAPTOP, "100.64.2.150", 60_000);
    expect(took, log.join("\n")).not.toBeNull();
    expect(await wanAddress("eth1")).toBe("100.64.2.150/24");
    expect(await seenAs(OFFICE_PC)).toBe(BLOCK_NAT);
    expect(await seenAs(PHONE)).toBe("100.65.3.2");
    const events = await prisma.healthEvent.findMany({ where: { isp: "ISP2" }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.to)).toContain("100.64.2.150/24");
    // the kernel changes before the apply is recorded: wait for the record
    const ranWith = async () => {
      const last = await prisma.revision.findFirst({ where: { source: "monitor" }, orderBy: { id: "desc" } });
      return last ? (JSON.parse(last.config) as GatewayConfig).isps[1].linkAddress : null;
    };
    for (let i = 0; i < 50 && (await ranWith()) !== "100.64.2.150"; i++) await sleep(100);
    expect(await ranWith()).toBe("100.64.2.150");
    const own = applies.filter((a) => a.reason.startsWith("ISP2:")).map((a) => `${a.reason} ${a.durationMs} ms`);
    console.log(
      `new lease: hosts left with it ${took} ms after the server changed (the client's own renewal included); the monitor's applies (event -> applied): ${own.join("; ")}`,
    );
  }, 90_000);

  it("the PPP interface is deleted: its hosts fail over to ISP1; re-created, they come back with the /32 address", async () => {
    await sleep(1200); // past the hold time of the last change
    await run(gw, "ip", ["link", "del", "ppp0"]);
    const down = await waitForEgress(PHONE, ISP1_NAT, 15_000);
    expect(down, log.join("\n")).not.toBeNull();
    expect(await seenAs(LAPTOP)).toBe("100.64.2.150");
    await sleep(1200);
    await labUp(config, { prefix: P }); // the lab plays pppd: ppp0 comes back with 100.65.3.2 peer 100.65.3.1
    // back needs a clean recovery window (30 probes, 6 s at 200 ms) held for the hold time: a generous deadline
    const back = await waitForEgress(PHONE, "100.65.3.2", 30_000);
    expect(back, log.join("\n")).not.toBeNull();
    const table = await run(gw, "ip", ["-4", "route", "show", "table", "150"]);
    expect(table.stdout).toContain("default via 100.65.3.1 dev ppp0");
    console.log(`ppp0 deleted: failover ${down} ms; re-created: back ${back} ms`);
  }, 60_000);
});
