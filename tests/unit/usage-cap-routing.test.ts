// A capped ISP (over its monthly cap, "last resort" set: lib/usage/caps.ts) in the resolver and
// the renderer: its hosts move to another ISP while one is up, and come back to it when it is
// the only one left; policies skip it before their last resort.
import { describe, expect, it } from "vitest";
import { planFailover, type HealthView } from "@/lib/health/effective";
import { render } from "@/lib/net/render";
import { resolveHost } from "@/lib/net/render/targets";
import { threeIsps } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { validateConfig } from "@/lib/validation";

// fiber (mark 3, table 10), cable (4, 20), lte (5, 30)
const base: GatewayConfig = {
  ...structuredClone(threeIsps),
  policies: [
    {
      name: "lte-first",
      members: [
        { isp: "lte", tier: 1, weight: 1 },
        { isp: "cable", tier: 2, weight: 1 },
      ],
      sticky: false,
      lastResort: null,
      notes: "",
    },
  ],
};
base.natAddresses = base.natAddresses.map((n) => ({ ...n, host: null }));
base.hosts = [
  { name: "phone", address: "10.20.0.10", mac: null, isp: "lte", notes: "" },
  { name: "tv", address: "10.20.0.11", mac: null, isp: null, policy: "lte-first", notes: "" },
  { name: "pc", address: "10.20.0.12", mac: null, isp: "fiber", notes: "" },
];
const lteCapped: HealthView = { lte: { state: "up", capped: true } };
const to = (c: GatewayConfig, host: string) => resolveHost(c, c.hosts.find((h) => h.name === host)!)!;

describe("a capped ISP is a last resort", () => {
  it("its hosts move to the first other ISP up; the others stay; the derived config validates", () => {
    const f = planFailover(base, lteCapped);
    expect(f.config.health).toEqual({ down: [], capped: ["lte"] });
    expect(validateConfig(f.config).ok).toBe(true);
    expect(f.moves).toEqual([
      { host: "phone", from: "lte", to: "fiber", because: "failover: lte over its monthly cap" },
      { host: "tv", from: "lte", to: "cable", because: "failover: lte over its monthly cap" },
    ]);
    // the kernel is told: lte's target chain now sets fiber's mark (3)
    expect(
      render(f.config)
        .state.chains.find((c) => c.name === "SWYD-ISP30")!
        .rules.map((r) => r.spec),
    ).toEqual(["-j MARK --set-xmark 0x3/0xff"]);
  });

  it("with every other ISP down it carries the traffic again, for its own hosts and as others' backup", () => {
    const f = planFailover(base, { ...lteCapped, fiber: { state: "down" }, cable: { state: "down" } });
    expect(to(f.config, "phone")).toMatchObject({ isps: [{ isp: { name: "lte" } }], because: "last resort: lte over its monthly cap, no other ISP up" });
    expect(to(f.config, "pc")).toMatchObject({ isps: [{ isp: { name: "lte" } }], because: "last resort: fiber down, lte over its monthly cap" });
    expect(to(f.config, "tv")).toMatchObject({ isps: [{ isp: { name: "lte" } }], unreachable: false });
  });

  it("a down ISP's hosts skip a capped backup for one that is not, even the default ISP", () => {
    // failover order: the default (lte) first, then cable
    const c = { ...base, settings: { ...base.settings, defaultIsp: "lte" } };
    const f = planFailover(c, { ...lteCapped, fiber: { state: "down" } });
    expect(to(f.config, "pc")).toMatchObject({ isps: [{ isp: { name: "cable" } }], because: "failover: fiber down" });
    expect(f.defaultIsp).toMatchObject({ from: "lte", to: "cable" });
  });

  it("not capped (or capped without last resort: no flag): nothing changes", () => {
    expect(planFailover(base, { lte: { state: "up" } }).config).toEqual(base);
  });
});
