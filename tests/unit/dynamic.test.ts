// Dynamic ISPs and routed blocks: the parsers on captured output, the pure resolution, the schemas.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { learnedOf, resolveDynamic, type ObservedLinks } from "@/lib/net/dynamic";
import { parseIpAddrJson } from "@/lib/net/parse/ip-addr";
import { parseIpRouteJson } from "@/lib/net/parse/ip-route";
import { parseMonitorLine } from "@/lib/net/parse/ip-monitor";
import { render } from "@/lib/net/render";
import { ispSchema, validateConfig } from "@/lib/validation";

const fixture = (f: string) => readFileSync(path.resolve(import.meta.dirname, "../fixtures/kernel", f), "utf8");
const observed: ObservedLinks = { links: parseIpAddrJson(fixture("ip-addr-dynamic.json")), routes: parseIpRouteJson(fixture("ip-route-dynamic.json")) };

/** ISP1 static; ISP2 DHCP on wan2 (lease 100.64.2.100/24 via 100.64.2.1), with a routed /29 holding a NAT address. */
const dhcpOffice: GatewayConfig = {
  ...classicOffice,
  isps: [
    classicOffice.isps[0],
    {
      ...classicOffice.isps[1],
      wanInterface: "wan2",
      addressMode: "dhcp",
      gatewayAddress: "",
      linkAddress: "",
      linkPrefix: 0,
      routedBlocks: ["198.51.100.8/29"],
    },
  ],
  natAddresses: [classicOffice.natAddresses[0], { address: "198.51.100.9", isp: "ISP2", isDefault: false, host: "192.168.1.101" }],
};

describe("ip -o monitor link address route", () => {
  it("says what changed on which device, and leaves out IPv6, the local table and Switchyard's own routes", () => {
    const events = fixture("ip-monitor-mixed.txt")
      .split("\n")
      .map(parseMonitorLine)
      .filter((e) => e !== null);
    expect(events).toEqual([
      { kind: "link", ifname: "wan2", up: false },
      { kind: "route", ifname: "wan2", deleted: false },
      { kind: "link", ifname: "wan2", up: true },
      { kind: "address", ifname: "wan2", deleted: true },
      { kind: "route", ifname: "wan2", deleted: false },
      { kind: "address", ifname: "ppp0", deleted: true },
      { kind: "link", ifname: "ppp0", up: false },
    ]);
  });
});

describe("resolveDynamic", () => {
  it("fills a DHCP ISP from its address and the client's default route, ignoring its routed block's address and Switchyard's own route", () => {
    const r = resolveDynamic(dhcpOffice, observed);
    expect(r.problems).toEqual([]);
    expect(r.learned.ISP2).toEqual({ linkAddress: "100.64.2.100", linkPrefix: 24, gatewayAddress: "100.64.2.1", gatewayFrom: "route" });
    expect(r.config.isps[1]).toMatchObject({ linkAddress: "100.64.2.100", linkPrefix: 24, gatewayAddress: "100.64.2.1", enabled: true });
    expect(r.config.isps[0]).toBe(dhcpOffice.isps[0]);
    // SNAT without a default NAT address: to the current address
    expect(r.config.natAddresses).toContainEqual({ address: "100.64.2.100", isp: "ISP2", isDefault: true, host: null });
    const script = render(r.config).script;
    expect(script).toContain("ip route replace default via 100.64.2.1 dev wan2 proto 201 table ISP2");
    expect(script).toContain("-o wan2 -j SNAT --to-source 100.64.2.100");
    expect(script).toContain("-s 192.168.1.101/32 -o wan2 -j SNAT --to-source 198.51.100.9");
  });

  it("takes a PPP address with its peer as a /32 and the peer as the gateway", () => {
    const ppp: GatewayConfig = {
      ...dhcpOffice,
      isps: [dhcpOffice.isps[0], { ...dhcpOffice.isps[1], wanInterface: "ppp0", addressMode: "ppp", natMode: "MASQUERADE", routedBlocks: undefined }],
      natAddresses: [classicOffice.natAddresses[0]],
    };
    const r = resolveDynamic(ppp, observed);
    expect(r.learned.ISP2).toEqual({ linkAddress: "100.65.3.2", linkPrefix: 32, gatewayAddress: "100.65.3.1", gatewayFrom: "peer" });
    expect(render(r.config).script).toContain("ip route replace default via 100.65.3.1 dev ppp0 onlink proto 201 table ISP2");
  });

  it("a dynamic ISP with nothing learned is disabled in what runs: its hosts go to the other ISP, its WAN is guarded", () => {
    const r = resolveDynamic(dhcpOffice, { links: [{ name: "wan2", up: true, carrier: true, operstate: "UP", addresses: [] }], routes: [] });
    expect(r.learned.ISP2).toBeNull();
    expect(r.problems).toEqual([{ isp: "ISP2", kind: "no-address", message: "wan2 has no IPv4 address yet (no DHCP lease): treated as down" }]);
    expect(r.config.isps[1].enabled).toBe(false);
    const script = render(r.config).script;
    expect(script).not.toContain("table ISP2");
    // its hosts fall to the catch-all: the default target chain, ISP1's
    expect(script).not.toMatch(/-s 192.168.1.101\/32/);
    expect(script).toContain("-A SWYD-MARK -m mark --mark 0x0/0xff -j SWYD-ISP100");
    expect(script).toContain("-i lan0 -o wan2 -j REJECT");
    expect(resolveDynamic(dhcpOffice, { links: [], routes: [] }).problems[0]).toMatchObject({
      kind: "no-interface",
      message: "wan2: no such interface on the gateway: treated as down",
    });
  });

  it("keeps the gateway it learned before when the address did not change but the link lost its routes", () => {
    const noRoute = { links: observed.links, routes: [] };
    expect(resolveDynamic(dhcpOffice, noRoute).learned.ISP2).toBeNull();
    const before = learnedOf(resolveDynamic(dhcpOffice, observed).config);
    expect(resolveDynamic(dhcpOffice, noRoute, before).learned.ISP2).toMatchObject({ gatewayAddress: "100.64.2.1", gatewayFrom: "kept" });
  });

  it("refuses what the kernel shows when it is not usable (gateway outside the subnet)", () => {
    const odd = { links: observed.links, routes: [{ family: 4 as const, table: 254, dst: "default", gateway: "10.9.9.9", dev: "wan2", protocol: "boot" }] };
    expect(resolveDynamic(dhcpOffice, odd).problems[0].message).toMatch(/not a usable address/);
  });

  it("a static-only config comes back as it was", () => {
    expect(resolveDynamic(classicOffice, observed).config).toEqual(classicOffice);
  });
});

describe("schemas: address mode and routed blocks", () => {
  const dyn = dhcpOffice.isps[1];
  it("a missing mode is static and stays missing (older files and revisions read as before)", () => {
    const r = ispSchema.safeParse(classicOffice.isps[0]);
    expect(r.success && r.data).toEqual(classicOffice.isps[0]);
    expect(ispSchema.safeParse({ ...classicOffice.isps[0], addressMode: "static" }).data).toEqual(classicOffice.isps[0]);
    expect(validateConfig(JSON.parse(JSON.stringify(classicOffice)))).toEqual({ ok: true, config: classicOffice });
  });
  it("static needs the addresses; dynamic drops whatever was typed there", () => {
    const { linkAddress: _l, ...noLink } = classicOffice.isps[0];
    expect(ispSchema.safeParse(noLink).error?.issues.map((i) => [i.path[0], i.message])).toEqual([["linkAddress", "Enter an IPv4 address"]]);
    expect(ispSchema.safeParse({ ...classicOffice.isps[0], addressMode: "dhcp" }).data).toMatchObject({
      addressMode: "dhcp",
      linkAddress: "",
      gatewayAddress: "",
      linkPrefix: 0,
    });
    expect(ispSchema.safeParse({ ...dyn, addressMode: "pppoe" }).error?.issues.find((i) => i.path[0] === "addressMode")?.message).toMatch(
      /static, DHCP or PPP/,
    );
  });
  it("routed blocks: network/prefix, not overlapping the link, the LAN or another ISP's", () => {
    expect(ispSchema.safeParse({ ...dyn, routedBlocks: "198.51.100.8/29, 198.51.100.16/30" }).data?.routedBlocks).toEqual([
      "198.51.100.8/29",
      "198.51.100.16/30",
    ]);
    expect(ispSchema.safeParse({ ...dyn, routedBlocks: ["198.51.100.10/29"] }).error?.issues[0].message).toMatch(/network address/);
    const bad = (isp1: Partial<GatewayConfig["isps"][number]>) => {
      const v = validateConfig({ ...classicOffice, isps: [{ ...classicOffice.isps[0], ...isp1 }, classicOffice.isps[1]] });
      return v.ok ? [] : v.issues.map((i) => i.message);
    };
    expect(bad({ routedBlocks: ["203.0.113.0/29"] })).toEqual(["203.0.113.0/29 overlaps this ISP's own link subnet (a routed block lies beside it)"]);
    expect(bad({ routedBlocks: ["192.168.1.0/29"] })).toEqual(["192.168.1.0/29 overlaps the LAN 192.168.1.1/24"]);
    expect(bad({ routedBlocks: ["198.51.100.0/29"] })).toEqual(["198.51.100.0/29 overlaps ISP2's link subnet"]);
    expect(bad({ routedBlocks: ["192.0.2.8/29"] })).toEqual([]);
  });
  it("NAT addresses: in the link subnet or a routed block; a dynamic ISP's only in a routed block", () => {
    expect(validateConfig(dhcpOffice).ok).toBe(true);
    const outside = validateConfig({
      ...dhcpOffice,
      natAddresses: [...dhcpOffice.natAddresses, { address: "192.0.2.5", isp: "ISP2", isDefault: false, host: null }],
    });
    expect(outside.ok ? [] : outside.issues.map((i) => i.message)).toEqual([
      "ISP2's address is learned (dhcp): a NAT address of it must be inside one of its routed blocks (198.51.100.8/29)",
    ]);
    const withBlock = { ...classicOffice, isps: [{ ...classicOffice.isps[0], routedBlocks: ["192.0.2.8/29"] }, classicOffice.isps[1]] };
    expect(
      validateConfig({ ...withBlock, natAddresses: [...withBlock.natAddresses, { address: "192.0.2.8", isp: "ISP1", isDefault: false, host: null }] }).ok,
    ).toBe(true);
    const stray = validateConfig({
      ...withBlock,
      natAddresses: [...withBlock.natAddresses, { address: "192.0.2.20", isp: "ISP1", isDefault: false, host: null }],
    });
    expect(stray.ok ? [] : stray.issues.map((i) => i.message)).toEqual([
      "A NAT address of ISP1 must be inside its link subnet 203.0.113.0/24 or one of its routed blocks (192.0.2.8/29)",
    ]);
  });
});

describe("lab topology of dynamic ISPs and routed blocks", () => {
  it("a DHCP ISP gets a server on its side and the gateway a client, no address set by the lab; a PPP ISP a /32 peer pair; a routed block is routed to the link address", async () => {
    const { labTopology } = await import("@/lib/lab/topology");
    const ppp = { ...dhcpOffice.isps[1], name: "ISP3", wanInterface: "ppp0", addressMode: "ppp" as const, routingTable: 150, mark: 3, routedBlocks: undefined };
    const t = labTopology({ ...dhcpOffice, isps: [{ ...dhcpOffice.isps[0], routedBlocks: ["192.0.2.8/29"] }, dhcpOffice.isps[1], ppp] }, "hdt");
    expect(t.dhcp.servers).toEqual([
      {
        ns: "hdt-isp2",
        dev: "cust0",
        isp: "ISP2",
        router: "100.64.2.1",
        start: "100.64.2.100",
        end: "100.64.2.100",
        netmask: "255.255.255.0",
        leaseSeconds: 16,
      },
    ]);
    expect(t.dhcp.clients).toEqual([{ ns: "hdt-gw", dev: "wan2", isp: "ISP2" }]);
    expect(t.addresses.filter((a) => a.dev === "wan2" && a.ns === "hdt-gw")).toEqual([]);
    expect(t.addresses).toContainEqual({ ns: "hdt-gw", dev: "ppp0", cidr: "100.65.3.2/32", peer: "100.65.3.1" });
    expect(t.addresses).toContainEqual({ ns: "hdt-isp3", dev: "cust0", cidr: "100.65.3.1/32", peer: "100.65.3.2" });
    expect(t.routes).toContainEqual({ ns: "hdt-isp1", dst: "192.0.2.8/29", via: "203.0.113.10", dev: "cust0" });
    expect(t.routes).toContainEqual({ ns: "hdt-inet", dst: "192.0.2.8/29", via: "198.19.1.1", dev: "isp1" });
    // the block's NAT address of ISP2 is routed by ISP2 to its first lease
    expect(t.routes).toContainEqual({ ns: "hdt-isp2", dst: "198.51.100.8/29", via: "100.64.2.100", dev: "cust0" });
  });
});
