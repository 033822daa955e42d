// The lab's dual-stack option (lib/lab/topology6.ts): what the kernel will hold, and the
// default lab left exactly as it was (IPv6 off everywhere, no IPv6 address or route).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "@/lib/model";
import { labTopology } from "@/lib/lab/topology";
import { hostAddress6, wanPeer6 } from "@/lib/lab/topology6";

const office: GatewayConfig = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/classic-office.json"), "utf8"));
const dual: GatewayConfig = {
  ...office,
  settings: { ...office.settings, lanSubnets6: ["2001:db8:1:1::1/64", "2001:db8:2:1::1/64"] },
  isps: office.isps.map((isp, i) =>
    i === 0 ? { ...isp, ipv6: { prefix: "2001:db8:1::/48", gateway: "fe80::1" } } : { ...isp, ipv6: { prefix: "2001:db8:2::/48", gateway: "2001:db8:f2::1" } },
  ),
};
const v6 = (s: string) => s.includes(":");

describe("the lab's dual-stack option", () => {
  it("the lab follows the configuration: dual stack when an ISP has IPv6, IPv4-only when it is turned off", () => {
    expect(labTopology(dual, "u6").server.address6).toBeDefined();
    const v4only = { ...dual, isps: dual.isps.map(({ ipv6: _v6, ...i }) => i) };
    expect(labTopology(v4only, "u6").server.address6).toBeUndefined();
  });

  it("ipv6: false keeps the lab IPv4-only even for a configuration with IPv6", () => {
    const t = labTopology(dual, "u6", { ipv6: false });
    expect(t.addresses.filter((a) => v6(a.cidr))).toEqual([]);
    expect(t.routes.filter((r) => v6(r.via))).toEqual([]);
    expect(t.sysctls.filter((s) => s.key === "net.ipv6.conf.all.disable_ipv6").every((s) => s.value === "1")).toBe(true);
    expect(t.server.address6).toBeUndefined();
  });

  it("gives the gateway the LAN /64s and a WAN address beside each ISP's next hop, and forwarding", () => {
    const t = labTopology(dual, "u6", { ipv6: true });
    const gw = t.addresses.filter((a) => a.ns === "u6-gw" && v6(a.cidr)).map((a) => `${a.dev} ${a.cidr}`);
    expect(gw).toEqual(["eth0 fe80::2/64", "eth1 2001:db8:f2::2/64", "lan0 2001:db8:1:1::1/64", "lan0 2001:db8:2:1::1/64"]);
    expect(t.sysctls).toContainEqual({ ns: "u6-gw", key: "net.ipv6.conf.all.forwarding", value: "1" });
    expect(t.sysctls.filter((s) => s.key === "net.ipv6.conf.all.disable_ipv6").every((s) => s.value === "0")).toBe(true);
    expect(t.routes.filter((r) => r.ns === "u6-gw")).toEqual([]);
  });

  it("lets each ISP forward only its own prefix (BCP 38) and routes the prefix back through it", () => {
    const t = labTopology(dual, "u6", { ipv6: true });
    expect(t.routes.filter((r) => r.ns === "u6-isp2" && v6(r.via))).toEqual([
      { ns: "u6-isp2", dst: "2001:db8:2::/48", via: "2001:db8:f2::2", dev: "cust0" },
      { ns: "u6-isp2", dst: "default", from: "2001:db8:2::/48", via: "2001:2:0:2::2", dev: "core0" },
    ]);
    expect(t.routes).toContainEqual({ ns: "u6-inet", dst: "2001:db8:1::/48", via: "2001:2:0:1::1", dev: "isp1" });
    expect(t.addresses).toContainEqual({ ns: "u6-inet", dev: "lo", cidr: "2001:2::1/128" });
  });

  it("gives each host an address per LAN /64 (its IPv4 as the host part) and a default via the gateway", () => {
    const t = labTopology(dual, "u6", { ipv6: true });
    const ns = "u6-hc0a80164";
    expect(t.addresses.filter((a) => a.ns === ns && v6(a.cidr)).map((a) => a.cidr)).toEqual(["2001:db8:1:1::c0a8:164/64", "2001:db8:2:1::c0a8:164/64"]);
    expect(t.routes).toContainEqual({ ns, dst: "default", via: "2001:db8:1:1::1", dev: "eth0" });
  });

  it("picks the gateway's WAN address beside the next hop, and refuses a prefix in the lab's reserved range", () => {
    expect(wanPeer6("fe80::1")).toBe("fe80::2");
    expect(wanPeer6("2001:db8:f2::2")).toBe("2001:db8:f2::3");
    expect(hostAddress6("2001:db8:1:1::1/64", "10.0.0.5")).toBe("2001:db8:1:1::a00:5");
    const bad = structuredClone(dual);
    bad.isps[0].ipv6 = { prefix: "2001:2::/48", gateway: "fe80::1" };
    expect(() => labTopology(bad, "u6", { ipv6: true })).toThrow(/reserved 2001:2::\/48/);
  });
});
