// A guest network beside the main LAN, on a hand-made gateway (br-lan + br-guest, other names
// and numbers than the lab, stock sysctls). Before LANs were a list, the precheck refused the
// guest subnet and suggested moving its gateway address onto br-lan; following that, apply said
// "verified" while every guest host timed out (its packets arrived on br-guest, which no rule
// marked, and left un-NATed). Now each LAN has its own iif in every rule, a default of its own,
// and a canary port: the guest's real connections leave by its ISP, and verification proves it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import type { GatewayConfig } from "@/lib/model";
import { netns, run } from "@/lib/net/exec";
import { buildHandmade, GUEST_HOST, GUEST_LAN, TARGETS, type Handmade } from "@/lib/lab/handmade";

let g: Handmade;
const targets = { Fiber: TARGETS, LTE: TARGETS };
const managed = () => resolveTarget({ netns: g.gw });
const withGuest = (c: GatewayConfig, lan: Partial<typeof GUEST_LAN> & { defaultIsp?: string } = {}): GatewayConfig => ({
  ...c,
  settings: { ...c.settings, canary: { enabled: true }, lans: [{ ...GUEST_LAN, defaultIsp: "LTE", ...lan }] },
});

beforeAll(async () => {
  g = await buildHandmade("tguest", { rpFilter: "stock", srcValidMark: 0, guest: true });
}, 60_000);
afterAll(() => g?.destroy());

describe("a guest LAN on its own bridge", () => {
  it("the precheck never suggests moving the guest's address onto the main LAN: it says to add the guest as a LAN", async () => {
    // the old way round: the guest subnet listed as a subnet of the main LAN
    const c: GatewayConfig = { ...g.config, settings: { ...g.config.settings, lanSubnets: ["10.20.0.1/24", "10.30.0.1/24"] } };
    const report = await applyAndVerify(c, managed(), { canaryTargets: targets });
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/address 10\.30\.0\.1 is on br-guest, not on br-lan: that subnet is a LAN of its own; add br-guest as a LAN/);
    expect(report.error).not.toMatch(/ip addr add 10\.30\.0\.1/);
  });

  it("its hosts leave by the guest's own ISP, the main LAN's by theirs, and the canary proves each LAN's path", async () => {
    const c = withGuest(g.config);
    const report = await applyAndVerify(c, managed(), { canaryTargets: targets });
    expect(report.error).toBeUndefined();
    expect(report.ok).toBe(true);
    // real connections from a host on each LAN
    expect(await g.connect("h3")).toBe("198.51.100.2");
    expect(await g.connect("h1")).toBe("203.0.113.2");
    const v = report.verification!;
    const guest = v.hosts.find((h) => h.name === "(unlisted hosts on guest)")!;
    expect(guest).toMatchObject({ ok: true, isp: "LTE", proof: "canary", provenBy: "guest LAN" });
    expect(v.hosts.find((h) => h.name === "(unlisted hosts)")).toMatchObject({ ok: true, isp: "Fiber", proof: "canary", provenBy: "default" });
    const slot = v.canary!.proofs.find((p) => p.target === "guest LAN")!;
    expect(slot).toMatchObject({ ok: true, address: "10.30.0.254", seenAs: "198.51.100.2" });
    // its port is on the guest bridge
    const port = await run(netns(g.gw), "ip", ["-json", "link", "show", "swyd-cn1"]);
    expect(JSON.parse(port.stdout)[0].master).toBe("br-guest");
  });

  it("a guest host placed on an ISP leaves by it; without a default of its own the guest follows the gateway's", async () => {
    const placed: GatewayConfig = {
      ...withGuest(g.config),
      hosts: [...g.config.hosts, { name: "guest-laptop", address: GUEST_HOST, mac: null, isp: "Fiber", notes: "" }],
    };
    const r1 = await applyAndVerify(placed, managed(), { canaryTargets: targets });
    expect(r1.ok).toBe(true);
    expect(await g.connect("h3")).toBe("203.0.113.2");
    const r2 = await applyAndVerify(withGuest(g.config, { defaultIsp: undefined }), managed(), { canaryTargets: targets });
    expect(r2.ok).toBe(true);
    // the connection of the previous run is cleared or new: a fresh one follows the new default
    expect(await g.connect("h3")).toBe("203.0.113.2");
    expect(r2.verification!.hosts.find((h) => h.name === "(unlisted hosts on guest)")).toMatchObject({ ok: true, isp: "Fiber" });
  });

  it("a foreign rule that takes the guest's traffic fails the guest's hosts by name, not the main LAN's", async () => {
    await run(netns(g.gw), "ip", ["rule", "add", "priority", "5001", "from", "10.30.0.0/24", "lookup", "main"]);
    try {
      const r = await applyAndVerify(withGuest(g.config), managed(), { canaryTargets: targets });
      expect(r.ok).toBe(false);
      const guest = r.verification!.hosts.find((h) => h.name === "(unlisted hosts on guest)")!;
      expect(guest.ok).toBe(false);
      expect(guest.reason).toMatch(/overridden by foreign ip rule .*5001.*from 10\.30\.0\.0\/24/);
      expect(r.verification!.hosts.filter((h) => !h.name.includes("guest")).every((h) => h.ok)).toBe(true);
    } finally {
      await run(netns(g.gw), "ip", ["rule", "del", "priority", "5001"], { allowFailure: true });
    }
  });
});
