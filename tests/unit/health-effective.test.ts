import fs from "node:fs";
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "@/lib/model";
import { effectiveConfig, failoverOrder, planFailover } from "@/lib/health/effective";
import { render } from "@/lib/net/render";
import { validateConfig } from "@/lib/validation";
import { ispHealthSettingsSchema } from "@/lib/validation/health";

const classic = JSON.parse(fs.readFileSync("tests/fixtures/classic-office.json", "utf8")) as GatewayConfig;
const withHosts = (c: GatewayConfig, more: GatewayConfig["hosts"]): GatewayConfig => ({ ...c, hosts: [...c.hosts, ...more] });
const three: GatewayConfig = {
  ...classic,
  isps: [
    ...classic.isps,
    {
      ...classic.isps[1],
      name: "LTE",
      wanInterface: "eth2",
      gatewayAddress: "100.64.0.1",
      linkAddress: "100.64.0.10",
      linkPrefix: 24,
      routingTable: 150,
      mark: 3,
      natMode: "MASQUERADE",
    },
  ],
};
const office = withHosts(classic, [{ name: "printer", address: "192.168.1.50", mac: null, isp: null, notes: "" }]);

describe("effectiveConfig", () => {
  it("all up: the config unchanged (same render, byte for byte)", () => {
    const e = effectiveConfig(office, { ISP1: { state: "up" }, ISP2: { state: "degraded" } });
    expect(e).toEqual(office);
    expect(render(e).script).toBe(render(office).script);
    expect(effectiveConfig(office, {})).toEqual(office);
  });

  it("the default ISP down: its hosts and the unlisted ones go to the backup, the ISP stays enabled with its table and source rule", () => {
    const f = planFailover(office, { ISP1: { state: "down" }, ISP2: { state: "up" } });
    // the printer names no ISP: it follows the default, and says so
    expect(f.moves).toEqual([
      { host: "office-pc", from: "ISP1", to: "ISP2", because: "failover: ISP1 down" },
      { host: "printer", from: "ISP1", to: "ISP2", because: "failover: ISP1 down" },
    ]);
    expect(f.defaultIsp).toEqual({ host: "everyone else", from: "ISP1", to: "ISP2", because: "failover: ISP1 down" });
    // the user's configuration is untouched; only the derived health is added
    expect(f.config).toEqual({ ...office, health: { down: ["ISP1"] } });
    expect(f.config.isps.find((i) => i.name === "ISP1")!.enabled).toBe(true);
    expect(validateConfig(f.config).ok).toBe(true);
    const script = render(f.config).script;
    expect(script).toContain("from 203.0.113.10/32 lookup ISP1"); // ISP1's probes keep their way out
    expect(script).toContain("default via 203.0.113.1 dev eth0 proto 201 table ISP1"); // and its table its route
    // main's default route belongs to the box (DHCP, ifupdown): the unlisted hosts move by their mark
    expect(script).not.toContain("table main\n");
    // the host rules stay as they are: only ISP1's target chain now sets ISP2's mark
    expect(script).toContain("-A SWYD-MARK -s 192.168.1.100/32 -j SWYD-ISP100");
    expect(script).toContain("-A SWYD-MARK -m mark --mark 0x0/0xff -j SWYD-ISP100");
    expect(script).toContain("-A SWYD-ISP100 -j MARK --set-xmark 0x2/0xff");
    const before = render(office).state.chains,
      after = render(f.config).state.chains;
    const changed = after.filter((c) => JSON.stringify(c) !== JSON.stringify(before.find((o) => o.name === c.name)));
    expect(changed.map((c) => c.name)).toEqual(["SWYD-ISP100"]);
  });

  it("a non-default ISP down: only its hosts move, to the default ISP", () => {
    const f = planFailover(office, { ISP2: { state: "down" } });
    expect(f.moves).toEqual([{ host: "laptop", from: "ISP2", to: "ISP1", because: "failover: ISP2 down" }]);
    expect(f.defaultIsp).toBeNull();
    expect(f.config.settings).toEqual(office.settings);
  });

  it("order: the default first, then by routing table; a down backup is skipped", () => {
    const c = { ...three, settings: { ...three.settings, defaultIsp: "ISP2" } };
    expect(failoverOrder(c).map((i) => i.name)).toEqual(["ISP2", "ISP1", "LTE"]);
    expect(planFailover(c, { ISP1: { state: "down" } }).moves.map((m) => [m.host, m.from, m.to])).toEqual([["office-pc", "ISP1", "ISP2"]]);
    expect(planFailover(c, { ISP1: { state: "down" }, ISP2: { state: "down" } }).moves.map((m) => [m.host, m.from, m.to])).toEqual([
      ["office-pc", "ISP1", "LTE"],
      ["laptop", "ISP2", "LTE"],
    ]);
    expect(planFailover(three, { ISP1: { state: "down" } }).defaultIsp).toMatchObject({ from: "ISP1", to: "LTE" }); // table 150 before 200
  });

  it("every ISP down: single-ISP hosts stay (there is nowhere better to go)", () => {
    const f = planFailover(office, { ISP1: { state: "down" }, ISP2: { state: "down" } });
    expect(f.moves).toEqual([]);
    expect(render(f.config).script).toBe(render(office).script);
  });

  it("a disabled ISP is never a backup", () => {
    const c = { ...three, isps: three.isps.map((i) => (i.name === "LTE" ? { ...i, enabled: false } : i)) };
    expect(planFailover(c, { ISP1: { state: "down" }, ISP2: { state: "down" } }).moves).toEqual([]);
  });
});

describe("health settings schema", () => {
  const good = {
    isp: "ISP1",
    targets: "198.18.0.1, 198.18.0.2",
    intervalMs: "200",
    timeoutMs: 500,
    downAfter: 3,
    upAfter: 3,
    lossDegradedPct: 20,
    lossDownPct: 60,
    lossRecoverPct: 5,
    lossWindow: 20,
    recoverWindow: 30,
    reliability: 2,
    rttDegradedMs: 100,
    rttDownMs: 500,
    minHoldMs: 0,
    maxChanges: 6,
    changeWindowMs: 60000,
  };
  it("accepts comma-separated targets and numeric strings", () => {
    const r = ispHealthSettingsSchema.parse(good);
    expect(r.targets).toEqual(["198.18.0.1", "198.18.0.2"]);
    expect(r.intervalMs).toBe(200);
  });
  it("refuses what could reach ping's command line unchecked, and inverted thresholds", () => {
    expect(ispHealthSettingsSchema.safeParse({ ...good, targets: "198.18.0.1 -f" }).success).toBe(false);
    expect(ispHealthSettingsSchema.safeParse({ ...good, targets: "-i0" }).success).toBe(false);
    expect(ispHealthSettingsSchema.safeParse({ ...good, targets: "" }).success).toBe(false);
    expect(ispHealthSettingsSchema.safeParse({ ...good, intervalMs: 10 }).success).toBe(false);
    expect(ispHealthSettingsSchema.safeParse({ ...good, lossDownPct: 10 }).success).toBe(false);
    expect(ispHealthSettingsSchema.safeParse({ ...good, extra: 1 }).success).toBe(false);
    expect(ispHealthSettingsSchema.safeParse({ ...good, reliability: 3 }).error?.issues[0]).toMatchObject({ path: ["reliability"] });
    expect(ispHealthSettingsSchema.safeParse({ ...good, lossRecoverPct: 20 }).error?.issues[0]).toMatchObject({ path: ["lossRecoverPct"] });
  });
});
