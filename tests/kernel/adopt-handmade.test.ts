// Adopting the former admin's hand-made gateway (tests/kernel/handmade-gateway.ts builds it by
// running exactly their commands in namespaces "ha-*"): Switchyard reads it, proposes a
// configuration, and an apply with "take over" replaces the old objects by its own. Real TCP
// from each host's namespace proves the hosts leave with the same addresses as before; a
// forced failure rolls the gateway back to the old setup byte for byte; the unrelated
// WireGuard-style rule and table are never touched.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma, switchyard } from "../helpers/processes";
import { inferAdoption } from "@/lib/adopt/infer";
import { readGateway } from "@/lib/adopt/read";
import { takeoverStep } from "@/lib/adopt/takeover";
import type { Adoption, Takeover } from "@/lib/adopt/types";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { probeEgress } from "@/lib/lab/server";
import { run } from "@/lib/net/exec";
import { observeKernel } from "@/lib/net/observe";
import { planChanges } from "@/lib/net/plan";
import { render } from "@/lib/net/render";
import { validateConfig } from "@/lib/validation";
import { buildOldGateway, GW, gw, HOSTS, P, teardown, wholeState } from "./handmade-gateway";

const nftables = process.env.SWITCHYARD_FIREWALL === "nftables";
const managed = resolveTarget({ netns: GW });
const probe = (a: string) => probeEgress(P, a, { timeoutMs: 2000 });
const BEFORE = { "192.168.1.100": "203.0.113.10", "192.168.1.101": "198.51.100.10" };
const egress = async () => Object.fromEntries(await Promise.all(HOSTS.map(async (h) => [h, await probe(h)] as const)));
const asSeen = { "192.168.1.100": { ok: true, seenAs: BEFORE["192.168.1.100"] }, "192.168.1.101": { ok: true, seenAs: BEFORE["192.168.1.101"] } };
const takeoverOf = (a: Adoption): Takeover => ({ source: `netns ${GW}`, items: [...a.takeover, ...a.kept] });

/** The tunnel's rule and table, exactly as `ip` prints them. */
async function wireguard() {
  const [rules, routes] = await Promise.all([run(gw, "ip", ["rule", "show"]), run(gw, "ip", ["route", "show", "table", "51820"])]);
  return [
    rules.stdout
      .split("\n")
      .filter((l) => l.includes("51820"))
      .join("\n"),
    routes.stdout,
  ].join("\n");
}

async function adopt(): Promise<Adoption> {
  const a = inferAdoption(await readGateway(gw));
  expect(a.config).not.toBeNull();
  expect(validateConfig(a.config).ok).toBe(true);
  return a;
}

afterAll(teardown, 30_000);

describe("the former admin's setup with marks", () => {
  let old = "";
  let wg = "";
  let adoption: Adoption;
  beforeAll(async () => {
    await buildOldGateway("marks");
    old = await wholeState();
    wg = await wireguard();
  }, 60_000);

  it("before: the old setup sends .100 out as 203.0.113.10 and .101 as 198.51.100.10", async () => {
    expect(await egress()).toEqual(asSeen);
  }, 30_000);

  it("adopt proposes the two ISPs, the hosts and the NAT addresses, and leaves the tunnel foreign", async () => {
    adoption = await adopt();
    const c = adoption.config!;
    expect(c.isps.map((i) => [i.name, i.wanInterface, i.gatewayAddress, i.linkAddress, i.routingTable, i.mark, i.natMode])).toEqual([
      ["ISP1", "eth0", "203.0.113.1", "203.0.113.10", 100, 1, "SNAT"],
      ["ISP2", "eth1", "198.51.100.1", "198.51.100.10", 200, 2, "SNAT"],
    ]);
    expect(c.hosts.map((h) => [h.address, h.isp])).toEqual([
      ["192.168.1.100", "ISP1"],
      ["192.168.1.101", "ISP2"],
    ]);
    expect(c.settings).toEqual({ lanInterface: "lan0", lanSubnets: ["192.168.1.1/24"], defaultIsp: "ISP1" });
    expect(adoption.notUnderstood.map((n) => n.object)).toEqual([
      "ip route default dev wg0 scope link proto boot table 51820",
      "ip rule priority 900 to 10.200.0.0/16 lookup 51820",
    ]);
    expect(adoption.problems.map((p) => p.title)).toContain("Marks without CONNMARK");
    expect(adoption.takeover).toHaveLength(10);
    // NAT by outgoing interface only covers the tunnel's 10.200.0.0/24 too: kept through a take over
    expect(adoption.kept.map((k) => k.iptables?.spec)).toEqual(["-o eth0 -j SNAT --to-source 203.0.113.10", "-o eth1 -j SNAT --to-source 198.51.100.10"]);
  }, 30_000);

  it("a forced failure in the take over rolls back to the old setup byte for byte", async () => {
    const report = await applyAndVerify(adoption.config!, managed, { probe, extension: takeoverStep(takeoverOf(adoption)), fault: "takeover" });
    expect(report.result).toBe("rolled-back");
    expect(report.failedStep).toBe("takeover");
    expect(report.restoredExactly).toBe(true);
    expect(await wholeState()).toBe(old);
    expect(await egress()).toEqual(asSeen);
  }, 60_000);

  it("apply with take over: the old rules and marks are gone, the NAT without a source match kept, the hosts leave as before, the tunnel is untouched", async () => {
    const report = await applyAndVerify(adoption.config!, managed, { probe, extension: takeoverStep(takeoverOf(adoption)) });
    expect(report.error).toBeUndefined();
    expect(report.result).toBe("applied");
    expect(report.verification?.ok).toBe(true);
    const replaced = report.planLines.filter((l) => l.kind === "takeover" && l.op === "~").map((l) => l.text);
    expect(replaced).toHaveLength(10);
    expect(report.planLines.filter((l) => l.op === "=").map((l) => l.text)).toEqual([
      "kept: iptables -t nat -A POSTROUTING -o eth0 -j SNAT --to-source 203.0.113.10: covers sources outside the LAN (e.g. 10.200.0.0/24 via wg0); Switchyard's NAT runs before it for the LAN",
      "kept: iptables -t nat -A POSTROUTING -o eth1 -j SNAT --to-source 198.51.100.10: covers sources outside the LAN (e.g. 10.200.0.0/24 via wg0); Switchyard's NAT runs before it for the LAN",
    ]);
    expect(replaced).toContain(
      `replaced: iptables -t mangle -A PREROUTING -s 192.168.1.101/32 -i lan0 -j MARK --set-xmark 0x2/0xffffffff -> Switchyard's ${nftables ? "nft element inet switchyard SWYD-HOSTS { 192.168.1.101 : jump SWYD-ISP200 }" : "iptables -A SWYD-MARK -s 192.168.1.101/32 -j SWYD-ISP200"}`,
    );
    expect(replaced.filter((t) => t.endsWith("(in place, by ip route replace)"))).toHaveLength(4);
    const o = await observeKernel(gw);
    expect(o.foreign.rules.map((r) => r.priority)).toEqual([0, 900, 32766, 32767]);
    expect(o.foreign.routes.filter((r) => r.table === 100 || r.table === 200)).toEqual([]);
    const ipt = (await run(gw, "iptables-save", [])).stdout;
    expect(ipt).not.toMatch(/-A PREROUTING -s 192\.168\.1\.10[01]\/32/);
    expect(ipt).toMatch(/-A POSTROUTING -o eth0 -j SNAT --to-source 203\.0\.113\.10\n-A POSTROUTING -o eth1 -j SNAT/);
    expect(await wireguard()).toBe(wg);
    expect(await egress()).toEqual(asSeen);
    expect(planChanges(render(adoption.config!).state, o, adoption.config!).empty).toBe(true);
  }, 60_000);
});

describe("the same setup written with one ip rule per host", () => {
  let adoption: Adoption;
  beforeAll(async () => {
    await buildOldGateway("rules");
  }, 60_000);

  it("adopt maps `from HOST lookup T` to hosts on ISPs", async () => {
    expect(await egress()).toEqual(asSeen);
    adoption = await adopt();
    expect(adoption.config!.hosts.map((h) => [h.address, h.isp])).toEqual([
      ["192.168.1.100", "ISP1"],
      ["192.168.1.101", "ISP2"],
    ]);
    expect(adoption.problems.map((p) => p.title)).toContain("One ip rule per host");
  }, 30_000);

  it("without take over the old rules stay, and the override lint names the hosts they still steer", async () => {
    const report = await applyAndVerify(adoption.config!, managed, { probe, rollbackOnVerifyFailure: false });
    expect(report.planLines.some((l) => l.kind === "takeover")).toBe(false);
    const overrides = report.verification!.overrides!.filter((x) => x.kind === "rule");
    expect(overrides.map((x) => [x.object, x.hosts])).toEqual([
      ["ip rule priority 1000 from 192.168.1.100/32 lookup 100", ["192.168.1.100"]],
      ["ip rule priority 1001 from 192.168.1.101/32 lookup 200", ["192.168.1.101"]],
    ]);
    expect(report.verification!.ok).toBe(false);
  }, 60_000);

  it("with take over they are replaced: verified, and TCP agrees", async () => {
    const report = await applyAndVerify(adoption.config!, managed, { probe, extension: takeoverStep(takeoverOf(adoption)) });
    expect(report.error).toBeUndefined();
    expect(report.verification?.ok).toBe(true);
    expect(report.planLines.filter((l) => l.kind === "takeover").map((l) => l.text)).toContain(
      `replaced: ip rule priority 1000 from 192.168.1.100/32 lookup 100 -> Switchyard's ${nftables ? "nft element inet switchyard SWYD-HOSTS { 192.168.1.100 : jump SWYD-ISP100 }" : "iptables -A SWYD-MARK -s 192.168.1.100/32 -j SWYD-ISP100"}`,
    );
    expect((await observeKernel(gw)).foreign.rules.map((r) => r.priority)).toEqual([0, 900, 32766, 32767]);
    expect(await egress()).toEqual(asSeen);
  }, 60_000);
});

describe("a port-based mark", () => {
  it("cannot be mapped: it is reported, stays foreign through the take over, and the lint says it is undone", async () => {
    await buildOldGateway("port");
    const adoption = await adopt();
    const port = "iptables -t mangle -A PREROUTING -i lan0 -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x2/0xffffffff";
    expect(adoption.notUnderstood.find((n) => n.object === port)?.why).toMatch(/marks by more than the source address.*stays foreign/);
    expect(adoption.takeover.some((t) => t.iptables?.spec.includes("--dport 443"))).toBe(false);
    const report = await applyAndVerify(adoption.config!, managed, { probe, extension: takeoverStep(takeoverOf(adoption)) });
    expect(report.verification?.ok).toBe(true);
    expect((await run(gw, "iptables-save", [])).stdout).toContain("-A PREROUTING -i lan0 -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x2/0xffffffff");
    expect(report.verification!.overrides!.find((o) => o.object.includes("--dport 443"))).toMatchObject({ neutralised: true });
    expect(await egress()).toEqual(asSeen);
  }, 90_000);
});

describe("switchyard adopt, then plan and apply (a child process each, a temporary database)", () => {
  let dir = "";
  let env: Record<string, string> = {};
  const cli = async (...args: string[]) => {
    const r = await switchyard([...args, "--netns", GW, "--json"], env);
    return { ...r, json: JSON.parse(r.stdout) };
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-ha-"));
    env = { DATABASE_URL: `file:${path.join(dir, "test.db")}`, CHECKPOINT_DISABLE: "1", SWITCHYARD_DEBUG: "" };
    await Promise.all([prisma(["migrate", "deploy"], env), buildOldGateway("marks")]);
  }, 90_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("adopt reads without changing anything; --stage --take-over stages it; the apply consumes the take over", async () => {
    const before = await wholeState();
    const read = await cli("adopt");
    expect(read.exitCode).toBe(0);
    expect(read.json.staged).toBe(false);
    expect(read.json.config.isps.map((i: { name: string }) => i.name)).toEqual(["ISP1", "ISP2"]);
    // without take over, the old marks would still run (neutralised by Switchyard's re-assertion)
    expect(read.json.overridesWithoutTakeover.filter((o: { neutralised?: boolean }) => o.neutralised).map((o: { hosts: string[] }) => o.hosts)).toEqual([
      ["192.168.1.100"],
      ["192.168.1.101"],
    ]);
    expect(await wholeState()).toBe(before);
    const staged = await cli("adopt", "--stage", "--take-over");
    expect([staged.exitCode, staged.json.takeOverStaged]).toEqual([0, true]);
    const plan = await cli("plan");
    expect(plan.json.changes.filter((l: { kind: string }) => l.kind === "takeover")).toHaveLength(12);
    const applied = await cli("apply");
    expect([applied.exitCode, applied.json.result]).toEqual([0, "applied"]);
    expect(applied.json.planLines.filter((l: { kind: string }) => l.kind === "takeover")).toHaveLength(12);
    expect((await observeKernel(gw)).foreign.rules.map((r) => r.priority)).toEqual([0, 900, 32766, 32767]);
    // consumed: the next plan has nothing left to take over
    const again = await cli("plan");
    expect([again.json.empty, again.json.changes.some((l: { kind: string }) => l.kind === "takeover")]).toEqual([true, false]);
    expect(await egress()).toEqual(asSeen);
  }, 90_000);
});
