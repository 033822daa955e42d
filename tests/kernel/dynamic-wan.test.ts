// A DHCP WAN on a gateway Switchyard did not build (lib/lab/handmade.ts, namespaces tdw-*; all
// traffic stays between them): LTE on wwan0 is `dhcp`, SNAT to its lease; the test plays the
// DHCP client (the address and a `proto dhcp` default route, as udhcpc's script sets them).
//  - the learned address is recorded (status --json, the revision, the database) with its time;
//  - the lease gone (address flushed): "no IPv4 address yet", never "does not exist";
//  - a new lease (old address deleted, the new one added a moment later, as a renewal to
//    another address does): within a generous deadline the new address is in the SNAT rule
//    and LTE's table, and phone's traffic leaves with it; the apply for "address removed" that
//    was still on its way is abandoned, not run to its end (the newest state wins).
// Run on both backends: SWITCHYARD_FIREWALL=iptables and =nftables (auto picks nftables where nft is installed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { switchyard, tempDatabase } from "../helpers/processes";
import { buildHandmade, handmadeConfig, TARGETS, type Handmade } from "@/lib/lab/handmade";
import { netns, run } from "@/lib/net/exec";
import { resolveTarget, type ManagedTarget } from "@/lib/engine/target";
import type { GatewayConfig } from "@/lib/model";
import { FAST_HEALTH } from "../helpers/fast-health";

const [OLD, NEW, GW] = ["198.51.100.2", "198.51.100.3", "198.51.100.1"];
const config: GatewayConfig = {
  ...handmadeConfig,
  isps: [handmadeConfig.isps[0], { ...handmadeConfig.isps[1], addressMode: "dhcp", linkAddress: "", gatewayAddress: "", linkPrefix: 0, natMode: "SNAT" }],
};

let db: Awaited<ReturnType<typeof tempDatabase>>;
let g: Handmade;
let managed: ManagedTarget;
let prisma: typeof import("@/lib/db").db;
let monitor: Awaited<ReturnType<typeof import("@/lib/health/monitor").startMonitor>>;
const log: string[] = [];
const applies: { reason: string; at: number; error?: string }[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: () => Promise<T | null | false>, ms: number, every = 50): Promise<T | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const v = await what();
    if (v) return v;
    await sleep(every);
  }
  return null;
}
const gw = () => netns(g.gw);
/** what the DHCP client does with a lease: the address, then its default route */
const lease = (address: string) =>
  run(gw(), "ip", ["-batch", "-"], { input: `addr add ${address}/24 dev wwan0\nroute add default via ${GW} dev wwan0 proto dhcp metric 100\n` });
/** the NAT rules Switchyard made, on either backend */
async function natRules(): Promise<string> {
  const [ipt, nft] = await Promise.all([
    run(gw(), "iptables-save", ["-t", "nat"]),
    run(gw(), "nft", ["list", "table", "inet", "switchyard"], { allowFailure: true }),
  ]);
  return `${ipt.stdout}\n${nft.stdout}`;
}
const snatsTo = async (address: string) => new RegExp(`(SNAT --to-source|snat ip to) ${address.replace(/\./g, "\\.")}\\b`).test(await natRules());
const table9 = async () => (await run(gw(), "ip", ["-4", "route", "show", "table", "9"])).stdout;
const cli = (args: string[]) => switchyard([...args, "--netns", g.gw], { DATABASE_URL: db.url });

beforeAll(async () => {
  db = await tempDatabase("dynamic-wan");
  process.env.DATABASE_URL = db.url;
  prisma = (await import("@/lib/db")).db;
  g = await buildHandmade("tdw", { rpFilter: "stock", srcValidMark: 0 });
  // the DHCP client's default route on the LTE link (the handmade box has the address already)
  await run(gw(), "ip", ["route", "add", "default", "via", GW, "dev", "wwan0", "proto", "dhcp", "metric", "100"]);
  const { replaceConfig } = await import("@/lib/data/config");
  expect(await replaceConfig(config)).toEqual({ ok: true });
  const { saveHealthSettings } = await import("@/lib/health/store");
  for (const isp of ["Fiber", "LTE"]) {
    const r = await saveHealthSettings({
      isp,
      targets: TARGETS,
      reliability: 1,
      ...FAST_HEALTH,
      maxChanges: 20,
      changeWindowMs: 60_000,
    });
    expect(r.ok).toBe(true);
  }
  managed = resolveTarget({ netns: g.gw });
  const service = await import("@/lib/engine/service");
  const first = await service.applyStaged({ actor: { username: "tester" }, source: "cli", managed });
  expect(first.report.ok, JSON.stringify(first.report.error ?? first.report.verification?.summary)).toBe(true);
  const { startMonitor } = await import("@/lib/health/monitor");
  monitor = await startMonitor({
    managed,
    lab: false,
    log: (l) => log.push(`${new Date().toISOString()} ${l}`),
    onApply: (a) => applies.push({ reason: a.reason, at: a.at, error: a.error }),
  });
}, 90_000);

afterAll(async () => {
  await monitor?.stop();
  await g?.destroy();
  await prisma?.$disconnect();
  await db?.cleanup();
});

describe("a DHCP WAN whose lease goes and changes", () => {
  it("the learned address is recorded with its time: the database, the revision, status --json", async () => {
    const row = await prisma.learnedAddress.findUniqueOrThrow({ where: { isp: "LTE" } });
    expect(row).toMatchObject({ mode: "dhcp", wan: "wwan0", address: OLD, prefix: 24, gateway: GW, problem: null });
    expect(row.learnedAt).toBeInstanceOf(Date);
    const rev = await prisma.revision.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(JSON.parse(rev.learned ?? "null")).toEqual({ LTE: { address: OLD, prefix: 24, gateway: GW, learnedAt: row.learnedAt!.toISOString() } });
    expect(await g.connect("h2")).toBe(OLD);
    const st = await cli(["status", "--json"]);
    expect(st.exitCode, st.stderr).toBe(0);
    const learned = (JSON.parse(st.stdout) as { learned: { isp: string; address: string; learnedAt: string; kernelNow: string | null; line: string }[] })
      .learned;
    expect(learned).toEqual([expect.objectContaining({ isp: "LTE", address: OLD, learnedAt: row.learnedAt!.toISOString(), kernelNow: null })]);
    expect(learned[0].line).toMatch(/^LTE \(DHCP on wwan0\): 198\.51\.100\.2\/24 via 198\.51\.100\.1, learned \d\d:\d\d:\d\d/);
  }, 150_000);

  it("the lease is gone (address flushed): 'no IPv4 address yet', not 'does not exist', in the database, the events and an apply's steps", async () => {
    await sleep(1500); // the monitor's first look is over
    await run(gw(), "ip", ["addr", "flush", "dev", "wwan0"]);
    const row = await until(async () => {
      const r = await prisma.learnedAddress.findUnique({ where: { isp: "LTE" } });
      return r?.address === null ? r : null;
    }, 30_000);
    expect(row, log.join("\n")).toMatchObject({ problemKind: "no-address", problem: "wwan0 has no IPv4 address yet (no DHCP lease)" });
    const events = await prisma.healthEvent.findMany({ where: { isp: "LTE" } });
    expect(events.map((e) => e.reason).join("\n")).toContain("wwan0 has no IPv4 address yet");
    expect(events.map((e) => e.reason).join("\n")).not.toMatch(/does not exist|no such interface/);
    // the health the screens read (status, the board): down, and why
    const health = await until(async () => {
      const h = await prisma.ispHealth.findUnique({ where: { isp: "LTE" } });
      return h?.reason === "wwan0 has no IPv4 address yet (no DHCP lease)" ? h : null;
    }, 30_000);
    expect(health, log.join("\n")).toMatchObject({ state: "down" });
    // phone fails over to Fiber meanwhile
    expect(await until(async () => (await g.connect("h2", 1)) === "203.0.113.2", 30_000), log.join("\n")).toBe(true);
    // a user's apply now says the same in its plan step
    const steps: string[] = [];
    const service = await import("@/lib/engine/service");
    const r = await service.applyStaged({ actor: { username: "tester" }, source: "cli", managed, onStep: (e) => e.detail && steps.push(e.detail) });
    expect(r.report.ok).toBe(true);
    expect(steps.join("\n")).toContain("LTE: wwan0 has no IPv4 address yet (no DHCP lease): treated as down");
    const rev = await prisma.revision.findUniqueOrThrow({ where: { id: r.revisionId } });
    expect(JSON.parse(rev.learned ?? "null")).toEqual({ LTE: { problem: "wwan0 has no IPv4 address yet (no DHCP lease)" } });
    await lease(OLD);
    // learned again (phone's way back waits for LTE's probes to prove it: not this test's matter)
    expect(await until(async () => (await prisma.learnedAddress.findUnique({ where: { isp: "LTE" } }))?.address === OLD, 30_000), log.join("\n")).toBe(true);
  }, 150_000);

  it("a new lease while a user's apply holds the lock: the monitor's 'address removed' apply waiting for it is abandoned, the new address wins", async () => {
    await sleep(1500); // past the hold time of the last change
    const { withApplyLock } = await import("@/lib/engine/lock");
    const t0 = new Date();
    let added = 0;
    await withApplyLock("tester (cli)", async () => {
      await run(gw(), "ip", ["addr", "del", `${OLD}/24`, "dev", "wwan0"]);
      // the monitor learns "no address" and waits for the lock with it
      expect(await until(async () => log.some((l) => Date.parse(l.slice(0, 24)) >= t0.getTime() && l.includes("no IPv4 address yet")), 30_000)).toBe(true);
      await sleep(300);
      await lease(NEW);
      added = Date.now();
      await sleep(300);
    });
    const inUse = await until(async () => (await snatsTo(NEW)) && (await table9()).includes(`default via ${GW} dev wwan0`), 30_000);
    expect(inUse, `${log.join("\n")}\n${await natRules()}`).toBe(true);
    const tookMs = Date.now() - added;
    expect(await until(async () => (await g.connect("h2", 1)) === NEW, 30_000)).toBe(true);
    // no revision ran LTE as "no address" after the lease came back: the stale apply changed nothing
    const revs = await prisma.revision.findMany({ where: { createdAt: { gte: t0 } }, orderBy: { id: "asc" } });
    const ran = revs
      .map((r) => JSON.parse(r.learned ?? "{}") as Record<string, { address?: string; problem?: string }>)
      .map((l) => l.LTE?.address ?? l.LTE?.problem);
    expect(ran.length, log.join("\n")).toBeGreaterThan(0);
    expect(
      ran.filter((a) => a !== NEW),
      log.join("\n"),
    ).toEqual([]);
    expect(log.some((l) => l.includes("superseded by a newer address event"))).toBe(true);
    console.log(`new lease behind a held lock: in use ${tookMs} ms after the lock was released`);
  }, 150_000);

  it("a new lease (old address deleted, the new one 250 ms later): in the SNAT rule and LTE's table within the deadline, and phone's traffic leaves with it", async () => {
    await sleep(1500);
    const from = applies.length;
    await run(gw(), "ip", ["addr", "del", `${NEW}/24`, "dev", "wwan0"]);
    // the client's DISCOVER/REQUEST takes a moment: the "address removed" apply is on its way meanwhile
    await sleep(250);
    await lease(OLD);
    const t0 = Date.now();
    const inUse = await until(async () => (await snatsTo(OLD)) && (await table9()).includes(`default via ${GW} dev wwan0`) && !(await snatsTo(NEW)), 30_000);
    const tookMs = Date.now() - t0;
    expect(inUse, `${log.join("\n")}\n${await natRules()}\n${await table9()}`).toBe(true);
    expect(await until(async () => (await g.connect("h2", 1)) === OLD, 30_000)).toBe(true);
    const row = await prisma.learnedAddress.findUniqueOrThrow({ where: { isp: "LTE" } });
    expect(row).toMatchObject({ address: OLD, problem: null });
    expect(row.learnedAt!.getTime()).toBeGreaterThanOrEqual(t0 - 1000);
    const mine = applies.slice(from).map((a) => `${a.reason}${a.error ? ` (error: ${a.error})` : ""}`);
    console.log(`new lease: in the SNAT rule and LTE's table ${tookMs} ms after it was added; monitor applies: ${mine.join("; ")}`);
  }, 150_000);
});
