// The firewall backend on a real kernel: switching iptables <-> nftables is one apply with
// rollback, a failed switch leaves the old backend exactly, and an `nft flush ruleset` by
// someone else is drift that status names. Each config here names its backend, so both
// passes of the suite (SWITCHYARD_FIREWALL=iptables / nftables) run the same checks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { applyAndVerify } from "@/lib/engine/run";
import { gatewayStatus } from "@/lib/engine/status";
import { labDown } from "@/lib/lab/lab";
import { run } from "@/lib/net/exec";
import { observeKernel } from "@/lib/net/observe";
import type { FirewallSetting, GatewayConfig } from "@/lib/model";
import { kernelSnapshot, startLab } from "./helpers";

const PREFIX = "tbs";
let lab: Awaited<ReturnType<typeof startLab>>;
const on = (firewall: FirewallSetting): GatewayConfig => ({ ...structuredClone(classicOffice), settings: { ...classicOffice.settings, firewall } });
const NAT = { "192.168.1.100": "203.0.113.10", "192.168.1.101": "198.51.100.10" };
const seen = async (a: string) => {
  const r = await lab.probe(a);
  return r.ok ? r.seenAs : `failed: ${r.error}`;
};
const egress = async () => ({ "192.168.1.100": await seen("192.168.1.100"), "192.168.1.101": await seen("192.168.1.101") });
const iptablesChains = async () => (await run(lab.gw, "iptables-save", [])).stdout.split("\n").filter((l) => l.startsWith(":SWYD-")).length;
const nftTable = async () => (await run(lab.gw, "nft", ["list", "table", "inet", "switchyard"], { allowFailure: true })).exitCode === 0;

beforeAll(async () => {
  lab = await startLab(classicOffice, PREFIX);
});
afterAll(async () => {
  await labDown(PREFIX);
});

describe("switching the firewall backend", () => {
  it("iptables -> nftables is one apply: the table in, the SWYD chains out, traffic as before", async () => {
    expect((await applyAndVerify(on("iptables"), lab.managed, { probe: lab.probe })).ok).toBe(true);
    expect(await iptablesChains()).toBe(8);
    expect(await nftTable()).toBe(false);
    const report = await applyAndVerify(on("nftables"), lab.managed, { probe: lab.probe });
    expect(report.error).toBeUndefined();
    expect(report.verification?.ok).toBe(true);
    const texts = report.planLines.map((l) => l.text);
    expect(texts).toContain("nft add table inet switchyard");
    expect(texts).toContain("iptables -t mangle -X SWYD-MARK (3 rules)");
    expect(texts).toContain("iptables -t mangle -D PREROUTING -j SWYD-PRE");
    expect(report.steps.find((s) => s.step === "firewall" && s.state === "ok")?.detail).toMatch(/nftables: .* one transaction; iptables: 8 chains removed/);
    expect(await iptablesChains()).toBe(0);
    expect(await nftTable()).toBe(true);
    expect(await egress()).toEqual(NAT);
  });

  it("a switch that fails leaves the old backend exactly as it was", async () => {
    const before = await kernelSnapshot(PREFIX);
    const report = await applyAndVerify(on("iptables"), lab.managed, { probe: lab.probe, fault: "firewall" });
    expect(report).toMatchObject({ ok: false, failedStep: "firewall", rolledBack: true, restoredExactly: true });
    expect(await kernelSnapshot(PREFIX)).toBe(before);
    expect(await egress()).toEqual(NAT);
  });

  it("nftables -> iptables deletes the table, and nothing else of nftables", async () => {
    await run(lab.gw, "nft", ["add", "table", "inet", "someone-else"]);
    const report = await applyAndVerify(on("iptables"), lab.managed, { probe: lab.probe });
    expect(report.verification?.ok).toBe(true);
    expect(report.planLines.map((l) => l.text)).toContain("nft delete table inet switchyard (14 chains, 3 sets)");
    expect(await nftTable()).toBe(false);
    expect((await run(lab.gw, "nft", ["list", "tables"])).stdout).toContain("table inet someone-else");
    expect(await iptablesChains()).toBe(8);
    expect(await egress()).toEqual(NAT);
    await run(lab.gw, "nft", ["delete", "table", "inet", "someone-else"]);
  });

  it("auto keeps the backend the gateway runs: Switchyard's iptables chains keep iptables", async () => {
    const report = await applyAndVerify(on("auto"), lab.managed, { probe: lab.probe });
    expect(report.result).toBe(process.env.SWITCHYARD_FIREWALL === "nftables" ? "applied" : "unchanged");
    // (with SWITCHYARD_FIREWALL set, auto is what the environment says: that is the suite's matrix)
    expect(await nftTable()).toBe(process.env.SWITCHYARD_FIREWALL === "nftables");
  });
});

describe("someone runs nft flush ruleset", () => {
  for (const firewall of ["nftables", "iptables"] as const) {
    it(`${firewall}: status names it as drift and why; the next apply restores it`, async () => {
      const config = on(firewall);
      expect((await applyAndVerify(config, lab.managed, { probe: lab.probe })).ok).toBe(true);
      await run(lab.gw, "nft", ["flush", "ruleset"]);
      const st = gatewayStatus(await observeKernel(lab.gw), config, config);
      expect(st.drift?.length).toBeGreaterThan(5);
      expect(st.vanished).toMatch(
        firewall === "nftables" ? /nftables table inet switchyard is gone \(an `nft flush ruleset`/ : /iptables chains are gone \(an `nft flush ruleset`/,
      );
      // packets agree that something is wrong: nothing is NATed any more, so the ISPs' strict rp_filter drops it
      expect((await lab.probe("192.168.1.100")).ok).toBe(false);
      const again = await applyAndVerify(config, lab.managed, { probe: lab.probe });
      expect(again.verification?.ok).toBe(true);
      expect(gatewayStatus(await observeKernel(lab.gw), config, config).vanished).toBeNull();
      expect(await egress()).toEqual(NAT);
    });
  }
});
