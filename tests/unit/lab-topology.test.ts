import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "@/lib/model";
import { gatewayNamespace, hostNamespace, labTopology } from "@/lib/lab/topology";

const office: GatewayConfig = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/classic-office.json"), "utf8"));
const clone = (): GatewayConfig => structuredClone(office);

describe("labTopology", () => {
  it("names namespaces from the prefix, ISP position and host address", () => {
    const t = labTopology(office, "sy");
    expect(t.namespaces.map((n) => n.name)).toEqual(["sy-gw", "sy-inet", "sy-isp1", "sy-isp2", "sy-hc0a80164", "sy-hc0a80165"]);
    expect(gatewayNamespace("sy")).toBe("sy-gw");
    expect(hostNamespace("sy", "192.168.1.100")).toBe("sy-hc0a80164");
    // a host keeps its namespace when others are removed before it
    const c = clone();
    c.hosts.shift();
    expect(labTopology(c, "sy").hosts).toEqual([{ name: "laptop", address: "192.168.1.101", ns: "sy-hc0a80165" }]);
  });

  it("builds the gateway: bridge, WAN veths named as configured, addresses, no routes", () => {
    const t = labTopology(office, "t1");
    expect(t.links).toContainEqual({ kind: "bridge", ns: "t1-gw", name: "lan0" });
    expect(t.links).toContainEqual({ kind: "veth", a: { ns: "t1-gw", name: "eth1" }, b: { ns: "t1-isp2", name: "cust0" } });
    expect(t.links).toContainEqual({
      kind: "veth",
      a: { ns: "t1-gw", name: "hc0a80164", master: "lan0" },
      b: { ns: "t1-hc0a80164", name: "eth0" },
    });
    const gwAddrs = t.addresses.filter((a) => a.ns === "t1-gw").map((a) => `${a.dev} ${a.cidr}`);
    expect(gwAddrs).toEqual(["lan0 192.168.1.1/24", "eth0 203.0.113.10/24", "eth1 198.51.100.10/24"]);
    expect(t.routes.filter((r) => r.ns === "t1-gw")).toEqual([]);
    const gwSysctls = Object.fromEntries(t.sysctls.filter((s) => s.ns === "t1-gw").map((s) => [s.key, s.value]));
    expect(gwSysctls).toMatchObject({
      "net.ipv4.ip_forward": "1",
      "net.ipv4.conf.all.src_valid_mark": "1",
      "net.ipv4.conf.all.rp_filter": "2",
      "net.bridge.bridge-nf-call-iptables": "0",
    });
  });

  it("the strict rp_filter option: the gateway checks reverse paths strictly, with src_valid_mark", () => {
    const gw = (strictRpFilter: boolean) =>
      Object.fromEntries(
        labTopology(office, "t1", { strictRpFilter })
          .sysctls.filter((s) => s.ns === "t1-gw")
          .map((s) => [s.key, s.value]),
      );
    expect(gw(true)).toMatchObject({ "net.ipv4.conf.all.rp_filter": "1", "net.ipv4.conf.default.rp_filter": "1", "net.ipv4.conf.all.src_valid_mark": "1" });
    expect(gw(false)).toMatchObject({ "net.ipv4.conf.all.rp_filter": "2" });
  });

  it("gives each ISP strict rp_filter, a transfer /30 and a default route to the internet", () => {
    const t = labTopology(office, "t1");
    expect(t.addresses).toContainEqual({ ns: "t1-isp2", dev: "cust0", cidr: "198.51.100.1/24" });
    expect(t.addresses).toContainEqual({ ns: "t1-isp2", dev: "core0", cidr: "198.19.2.1/30" });
    expect(t.routes).toContainEqual({ ns: "t1-isp2", dst: "default", via: "198.19.2.2", dev: "core0" });
    expect(t.sysctls).toContainEqual({ ns: "t1-isp1", key: "net.ipv4.conf.all.rp_filter", value: "1" });
    expect(t.sysctls).toContainEqual({ ns: "t1-isp1", key: "net.ipv4.conf.cust0.rp_filter", value: "1" });
    // the internet routes each customer range back through its ISP
    expect(t.routes.filter((r) => r.ns === "t1-inet")).toEqual([
      { ns: "t1-inet", dst: "203.0.113.0/24", via: "198.19.1.1", dev: "isp1" },
      { ns: "t1-inet", dst: "198.51.100.0/24", via: "198.19.2.1", dev: "isp2" },
    ]);
    expect(t.addresses).toContainEqual({ ns: "t1-inet", dev: "lo", cidr: "198.18.0.1/32" });
  });

  it("puts extra NAT addresses on the WAN as /32 and routes out-of-range ones", () => {
    const c = clone();
    c.natAddresses.push({ address: "203.0.113.11", isp: "ISP1", isDefault: false, host: "192.168.1.100" });
    c.natAddresses.push({ address: "192.0.2.8", isp: "ISP1", isDefault: false, host: null });
    const t = labTopology(c, "t1");
    expect(t.addresses).toContainEqual({ ns: "t1-gw", dev: "eth0", cidr: "203.0.113.11/32" });
    expect(t.addresses).toContainEqual({ ns: "t1-gw", dev: "eth0", cidr: "192.0.2.8/32" });
    expect(t.routes).toContainEqual({ ns: "t1-isp1", dst: "192.0.2.8/32", via: "203.0.113.10", dev: "cust0" });
    expect(t.routes).toContainEqual({ ns: "t1-inet", dst: "192.0.2.8/32", via: "198.19.1.1", dev: "isp1" });
    expect(t.routes.some((r) => r.dst === "203.0.113.11/32")).toBe(false); // inside the routed /24
  });

  it("routes single addresses when two ISPs share a link range", () => {
    const c = clone();
    Object.assign(c.isps[1], { gatewayAddress: "192.168.0.1", linkAddress: "192.168.0.2" });
    Object.assign(c.isps[0], { gatewayAddress: "192.168.0.1", linkAddress: "192.168.0.3" });
    c.natAddresses = [];
    const inet = labTopology(c, "t1")
      .routes.filter((r) => r.ns === "t1-inet")
      .map((r) => `${r.dst} ${r.dev}`);
    expect(inet).toEqual(["192.168.0.3/32 isp1", "192.168.0.2/32 isp2"]);
  });

  it("gives hosts the LAN prefix, the subnet's gateway and their MAC", () => {
    const c = clone();
    c.settings.lanSubnets = ["192.168.1.1/24", "10.20.0.1/16"];
    c.hosts.push({ name: "printer", address: "10.20.3.4", mac: "02:AB:CD:00:00:01", isp: null, notes: "" });
    const t = labTopology(c, "t1");
    const ns = hostNamespace("t1", "10.20.3.4");
    expect(t.addresses).toContainEqual({ ns, dev: "eth0", cidr: "10.20.3.4/16" });
    expect(t.routes).toContainEqual({ ns, dst: "default", via: "10.20.0.1", dev: "eth0" });
    expect(t.links).toContainEqual({ kind: "veth", a: { ns: "t1-gw", name: "h0a140304", master: "lan0" }, b: { ns, name: "eth0", mac: "02:ab:cd:00:00:01" } });
  });

  it("refuses what it cannot build faithfully", () => {
    expect(() => labTopology(office, "bad-prefix")).toThrow(/prefix/);
    const outside = clone();
    outside.hosts[0].address = "10.1.1.1";
    expect(() => labTopology(outside, "t1")).toThrow(/none of the LAN subnets/);
    const reserved = clone();
    reserved.settings.lanSubnets = ["198.18.5.1/24"];
    expect(() => labTopology(reserved, "t1")).toThrow(/reserved/);
    const twice = clone();
    twice.isps[1].wanInterface = "eth0";
    expect(() => labTopology(twice, "t1")).toThrow(/used twice/);
    const hash = clone();
    hash.isps[0].wanInterface = "eth#0";
    expect(() => labTopology(hash, "t1")).toThrow(/unsupported interface name/);
  });

  it("keeps every namespace and interface name within the kernel's limits", () => {
    const t = labTopology(office, "sylab123");
    for (const n of t.namespaces) expect(n.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
    for (const l of t.links) for (const name of l.kind === "bridge" ? [l.name] : [l.a.name, l.b.name]) expect(name.length).toBeLessThanOrEqual(15);
  });
});
