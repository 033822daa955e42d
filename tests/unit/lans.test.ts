// Several LANs (a guest network beside the main one): render covers each with its own iif on
// both backends, a LAN's own default catches its unlisted hosts, the canary has a slot on it,
// and the whole-config checks refuse what would break it.
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { canarySlots } from "@/lib/net/canary/slots";
import { lanOfAddress } from "@/lib/net/lans";
import { render } from "@/lib/net/render";
import { resolveHost } from "@/lib/net/render/targets";
import { expectedMarks } from "@/lib/net/plan";
import { validateConfig } from "@/lib/validation";
import { diffConfigs } from "@/lib/config-diff";

const guest = (over: Partial<NonNullable<GatewayConfig["settings"]["lans"]>[number]> = {}): GatewayConfig => ({
  ...classicOffice,
  settings: { ...classicOffice.settings, lans: [{ name: "guest", interface: "br-guest", subnets: ["10.30.0.1/24"], defaultIsp: "ISP2", ...over }] },
  hosts: [
    ...classicOffice.hosts,
    { name: "guest-tv", address: "10.30.0.50", mac: null, isp: null, notes: "" },
    { name: "guest-boss", address: "10.30.0.60", mac: null, isp: "ISP1", notes: "" },
  ],
});
const fw = (c: GatewayConfig, firewall: "iptables" | "nftables") => ({ ...c, settings: { ...c.settings, firewall } });

describe("several LANs", () => {
  it("a guest LAN's unlisted hosts use its own default; an explicit host keeps its ISP; the main LAN keeps the gateway's", () => {
    const c = guest();
    expect(resolveHost(c, c.hosts[2])?.isps.map((i) => i.isp.name)).toEqual(["ISP2"]);
    expect(resolveHost(c, c.hosts[3])?.isps.map((i) => i.isp.name)).toEqual(["ISP1"]);
    expect(resolveHost(c, null)?.isps.map((i) => i.isp.name)).toEqual(["ISP1"]);
    expect(resolveHost(c, null, lanOfAddress(c, "10.30.0.99"))?.isps.map((i) => i.isp.name)).toEqual(["ISP2"]);
    expect(expectedMarks(c, "10.30.0.99")).toEqual([2]);
    expect(expectedMarks(c, "192.168.1.99")).toEqual([1]);
    // without a default of its own it follows the gateway's
    expect(expectedMarks(guest({ defaultIsp: null }), "10.30.0.99")).toEqual([1]);
  });

  it("iptables: marks, restores, the catch-all, the guard, routes and unreachable rules name each LAN's interface", () => {
    const r = render(fw(guest(), "iptables"));
    const text = r.firewallInput;
    for (const dev of ["lan0", "br-guest"]) {
      expect(text).toContain(`-A SWYD-PRE -i ${dev} -j SWYD-MARK`);
      expect(text).toContain(`-A SWYD-TAIL -i ${dev} -j CONNMARK --restore-mark`);
      expect(text).toContain(`-A SWYD-GUARD -i ${dev} -o eth0 -m mark --mark 0x0/0xff -j REJECT`);
    }
    // the guest's unlisted hosts are caught by iif before the gateway-wide catch-all
    const mark = text.split("\n").filter((l) => l.startsWith("-A SWYD-MARK"));
    expect(mark.slice(-2)).toEqual(["-A SWYD-MARK -i br-guest -m mark --mark 0x0/0xff -j SWYD-ISP200", "-A SWYD-MARK -m mark --mark 0x0/0xff -j SWYD-ISP100"]);
    expect(text).toContain("-A SWYD-POST -s 10.30.0.0/24 -o eth1 -j SNAT --to-source 198.51.100.10");
    expect(r.script).toContain("ip route replace 10.30.0.0/24 dev br-guest");
    expect(r.script).toMatch(/ip rule add .*from 10\.30\.0\.0\/24 iif br-guest .*unreachable/);
    expect(r.script).toMatch(/ip rule add .*from 192\.168\.1\.0\/24 iif lan0 .*unreachable/);
  });

  it("nftables: the same per-LAN rules", () => {
    const text = render(fw(guest(), "nftables")).firewallInput;
    for (const dev of ["lan0", "br-guest"]) expect(text).toContain(`iifname "${dev}" jump SWYD-MARK`);
    expect(text).toContain(`iifname "br-guest" meta mark & 0x000000ff == 0x00000000 jump SWYD-ISP200`);
    expect(text).toContain(`ip saddr 10.30.0.0/24 oifname "eth1" snat ip to 198.51.100.10`);
    expect(text).toContain(`iifname "br-guest" oifname "eth0"`);
  });

  it("one LAN renders exactly as before LANs were a list", () => {
    const one = { ...classicOffice, settings: { ...classicOffice.settings, lans: [] } };
    expect(render(one).firewallInput).toBe(render(classicOffice).firewallInput);
    expect(render(one).script).toBe(render(classicOffice).script);
  });

  it("the canary gets a default slot on the guest LAN, in its subnet", () => {
    const c = { ...guest(), settings: { ...guest().settings, canary: { enabled: true } } };
    const slot = canarySlots(c).find((s) => s.key === "lan:guest");
    expect(slot).toMatchObject({ address: "10.30.0.254", gateway: "10.30.0.1", prefix: 24, lan: "guest", host: null });
    // the main LAN's slots are where they were
    expect(canarySlots(c).find((s) => s.key === "default")?.address).toBe("192.168.1.254");
  });

  it("refuses overlapping subnets, a reused interface or name, a missing default and a host on no LAN, at the field", () => {
    const issues = (c: GatewayConfig) => {
      const r = validateConfig(c);
      return r.ok ? [] : r.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues(guest())).toEqual([]);
    expect(issues(guest({ subnets: ["192.168.1.129/25"] }))).toContainEqual(
      expect.stringMatching(/^settings\.lans\.0\.subnets: 192\.168\.1\.129\/25 overlaps 192\.168\.1\.1\/24/),
    );
    expect(issues(guest({ interface: "lan0" }))).toContainEqual("settings.lans.0.interface: lan0 is already the interface of LAN lan");
    expect(issues(guest({ interface: "eth1" }))).toContainEqual("isps.1.wanInterface: This is a LAN interface");
    expect(issues(guest({ defaultIsp: "nope" }))).toContainEqual("settings.lans.0.defaultIsp: There is no ISP named nope");
    expect(issues(guest({ name: "lan" }))).toContainEqual(expect.stringMatching(/^settings\.lans\.0\.name: lan is the main LAN's name/));
    const off = { ...guest(), hosts: [...guest().hosts, { name: "stray", address: "10.40.0.5", mac: null, isp: null, notes: "" }] };
    expect(issues(off)).toContainEqual("hosts.4.address: The address must be inside a LAN subnet (192.168.1.1/24, 10.30.0.1/24)");
  });

  it("the configuration diff names a LAN added or changed", () => {
    const d = diffConfigs(classicOffice, guest()).filter((x) => x.kind === "LAN");
    expect(d).toMatchObject([{ op: "added", name: "guest" }]);
    const changed = diffConfigs(guest(), guest({ defaultIsp: null })).filter((x) => x.kind === "LAN");
    expect(changed).toEqual([{ kind: "LAN", op: "changed", name: "guest", details: ["unlisted hosts use: ISP2 → the gateway's default"] }]);
  });
});
