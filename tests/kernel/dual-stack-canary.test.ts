// The canary over IPv6 (issue 23, docs/canary.md "IPv6") on the hand-built dual-stack gateway
// (tests/kernel/handmade-dualstack.ts, whose LAN is the bridge br-lan): each slot gets a macvlan
// with a MAC of its own in the canary's namespace and an address in each LAN /64, and proves
// with real ICMPv6 through the gateway which source each /64 leaves with. Each ISP drops sources
// outside its prefix (BCP 38). Then a foreign rule sends LTE's slot's Fiber-/64 address out by
// Fiber untranslated: the verification fails naming the slot and what it left as. Run on both
// backends (SWITCHYARD_FIREWALL=nftables for the second).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import type { GatewayConfig } from "@/lib/model";
import { canarySlots } from "@/lib/net/canary/slots";
import { netns, run } from "@/lib/net/exec";
import { resolveFirewallOn } from "@/lib/net/firewall";
import { render } from "@/lib/net/render";
import { verifyKernel } from "@/lib/net/verify";
import { buildDualStack, destroyDualStack, dualStackConfig, kernelState6, LAN6, NS, SERVER } from "./handmade-dualstack";

const backend = process.env.SWITCHYARD_FIREWALL === "nftables" ? "nftables" : "iptables";
const managed = () => resolveTarget({ netns: NS.gw });
const config: GatewayConfig = { ...dualStackConfig, settings: { ...dualStackConfig.settings, canary: { enabled: true } } };
// the probe targets as health settings give them, with the test server's IPv6 address
const targets = { Fiber: [SERVER.v4, SERVER.v6], LTE: [SERVER.v4, SERVER.v6] };
const verify = async () => {
  const c = await resolveFirewallOn(managed().target, config);
  return verifyKernel(managed().target, c, render(c).state, undefined, targets);
};
const lteSlot = () => canarySlots(config).find((s) => s.key === "LTE")!;
/** LTE's slot's address in a /64 ("a": Fiber's, "b": LTE's) */
const lte6 = (p: "a" | "b") => lteSlot().addresses6!.find((a) => a.address.startsWith(LAN6[p].replace(/::$/, ":")))!.address;

beforeAll(buildDualStack, 60_000);
afterAll(destroyDualStack);

describe(`the canary over IPv6 on the dual-stack gateway (${backend})`, () => {
  it("proves every slot from each LAN /64: LTE's slot sending from Fiber's /64 leaves from LTE's, the host part kept", async () => {
    const report = await applyAndVerify(config, managed(), { canaryTargets: targets });
    const why = `${report.error ?? ""}\n${report.verification?.summary ?? ""}\n${JSON.stringify(report.verification?.canary, null, 1)}\n${await kernelState6()}`;
    expect(report.ok, why).toBe(true);
    const rows = report.verification!.canary!.ipv6!;
    expect(
      rows.map((r) => [r.target, r.owner, r.ok, r.skipped ?? false]),
      why,
    ).toEqual([
      ["default", "Fiber", true, false],
      ["default", "LTE", true, false],
      ["Fiber", "Fiber", true, false],
      ["Fiber", "LTE", true, false],
      ["LTE", "Fiber", true, false],
      ["LTE", "LTE", true, false],
    ]);
    // translated: from Fiber's /64 out by LTE as the same host part in LTE's /64
    expect(rows.find((r) => r.target === "LTE" && r.owner === "Fiber")?.seenAs).toBe(lte6("b"));
    expect(rows.find((r) => r.target === "LTE" && r.owner === "LTE")?.seenAs).toBe(lte6("b"));
    expect(report.verification!.summary).toMatch(/IPv6: .* 6 proven by the canary's packets/);
    // the IPv4 canary is as before
    expect(report.verification!.canary!.proofs.every((p) => p.ok)).toBe(true);
    // each host's IPv6 verdict in the host table: by its ISP, proven by its target's IPv6 canary rows
    const six = Object.fromEntries(report.verification!.hosts.map((h) => [h.name, h.ipv6]));
    expect(six.desk).toEqual({ leaves: "by LTE", proof: "canary", provenBy: "LTE", ok: true });
    expect(six.laptop).toEqual({ leaves: "by Fiber", proof: "canary", provenBy: "Fiber", ok: true });
  }, 120_000);

  it("with LTE's translation off, LTE's slot's Fiber-/64 address is proven leaving by Fiber as itself; without IPv6 targets, rows are not proven, not failed", async () => {
    const off: GatewayConfig = { ...config, isps: config.isps.map((i) => (i.name === "LTE" ? { ...i, ipv6: { ...i.ipv6!, translate: false } } : i)) };
    const report = await applyAndVerify(off, managed(), { canaryTargets: targets });
    expect(report.ok, report.verification?.summary).toBe(true);
    const row = report.verification!.canary!.ipv6!.find((r) => r.target === "LTE" && r.owner === "Fiber");
    expect([row?.ok, row?.isps, row?.seenAs]).toEqual([true, ["Fiber"], lte6("a")]);
    // IPv4-only health targets: every IPv6 row says why it is not proven; the verification does not claim it
    const v4only = await applyAndVerify(config, managed(), { canaryTargets: { Fiber: [SERVER.v4], LTE: [SERVER.v4] } });
    expect(v4only.ok, v4only.verification?.summary).toBe(true);
    const rows = v4only.verification!.canary!.ipv6!;
    expect(rows.every((r) => r.skipped && r.reason?.startsWith("no IPv6 probe target"))).toBe(true);
    expect(v4only.verification!.summary).toMatch(/0 proven by the canary's packets \(6 not: no IPv6 probe target\)/);
    expect((await applyAndVerify(config, managed(), { canaryTargets: targets })).ok).toBe(true);
  }, 120_000);

  it("fails, naming the slot and what it left as, when a foreign rule sends LTE's slot's Fiber /64 out by Fiber untranslated", async () => {
    const detour = ["-6", "rule", "add", "from", `${lte6("a")}/128`, "lookup", "11", "priority", "5"];
    await run(netns(NS.gw), "ip", detour);
    try {
      const r = await verify();
      const row = r.canary?.ipv6?.find((x) => x.target === "LTE" && x.owner === "Fiber");
      expect(r.ok).toBe(false);
      expect(row?.ok).toBe(false);
      expect(row?.reason).toContain(`left as ${lte6("a")}, expected ${lte6("b")}`);
      expect(r.summary).toContain(`canary LTE IPv6 (${lte6("a")}, from Fiber's /64): left as ${lte6("a")}`);
      // the other rows still pass
      expect(r.canary!.ipv6!.filter((x) => !x.ok).map((x) => `${x.target} ${x.owner}`)).toEqual(["LTE Fiber"]);
      // desk (on LTE) fails for IPv6 with that row's reason; its IPv4 row and laptop's IPv6 stay verified
      const desk = r.hosts.find((h) => h.name === "desk")!;
      expect(desk.ok).toBe(true);
      expect(desk.ipv6?.ok).toBe(false);
      expect(desk.ipv6?.reason).toContain(`the IPv6 canary for LTE from Fiber's /64 failed: left as ${lte6("a")}`);
      expect(r.hosts.find((h) => h.name === "laptop")?.ipv6).toMatchObject({ ok: true, proof: "canary" });
    } finally {
      await run(netns(NS.gw), "ip", ["-6", "rule", "del", "from", `${lte6("a")}/128`, "lookup", "11", "priority", "5"]);
    }
  }, 60_000);

  it("fails when translation is gone (the gateway's NAT rule for LTE removed by hand): no answer, and it says it left untranslated", async () => {
    // the ISP's BCP 38 drops it: the answer never comes, the flow shows the untranslated source
    if (backend === "nftables") {
      const list = await run(netns(NS.gw), "nft", ["-a", "list", "table", "inet", "switchyard"]);
      const handles = list.stdout
        .split("\n")
        .filter((l) => l.includes('oifname "wwan0" snat ip6 prefix'))
        .map((l) => /# handle (\d+)/.exec(l)![1]);
      expect(handles.length).toBeGreaterThan(0);
      const chainOf = (h: string) => {
        let current = "";
        for (const l of list.stdout.split("\n")) {
          const m = /^\s*chain (\S+) \{/.exec(l);
          if (m) current = m[1];
          if (l.includes(`# handle ${h}`)) return current;
        }
        return "";
      };
      for (const h of handles) await run(netns(NS.gw), "nft", ["delete", "rule", "inet", "switchyard", chainOf(h), "handle", h]);
    } else {
      const save = await run(netns(NS.gw), "ip6tables-save", ["-t", "nat"]);
      const rules = save.stdout.split("\n").filter((l) => l.startsWith("-A ") && l.includes("-o wwan0") && l.includes("NETMAP"));
      expect(rules.length).toBeGreaterThan(0);
      for (const l of rules) await run(netns(NS.gw), "ip6tables", ["-t", "nat", ...l.replace(/^-A /, "-D ").split(" ")]);
    }
    const r = await verify();
    const row = r.canary?.ipv6?.find((x) => x.target === "LTE" && x.owner === "Fiber");
    expect(r.ok).toBe(false);
    expect(row?.ok, JSON.stringify(row)).toBe(false);
    expect(row?.reason).toContain(`left as ${lte6("a")}, expected ${lte6("b")}: no answer from ${SERVER.v6}`);
    // an apply puts the rule back, and the canary proves it again
    const again = await applyAndVerify(config, managed(), { canaryTargets: targets });
    expect(again.ok, again.verification?.summary).toBe(true);
  }, 120_000);
});
