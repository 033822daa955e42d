// Real kernel: builds labs in namespaces "tlab-*" and "tlabx-*" and removes them again.
// All traffic stays between those namespaces (the server is 198.18.0.1 in tlab-inet).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayConfig } from "@/lib/model";
import { HOST, netns, run } from "@/lib/net/exec";
import { gatewayNamespace, hostNamespace, labDown, labStatus, labUp, probeEgress, sendTraffic } from "@/lib/lab/lab";

const office: GatewayConfig = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/classic-office.json"), "utf8"));
const P = "tlab";
const GW = gatewayNamespace(P);
const isRoot = process.getuid?.() === 0;

const labNamespaces = async (prefix: string) =>
  (JSON.parse((await run(HOST, "ip", ["-json", "netns", "list"])).stdout || "[]") as { name: string }[])
    .map((n) => n.name)
    .filter((n) => n.startsWith(`${prefix}-`));
const json = async (ns: string, ...args: string[]) => JSON.parse((await run(HOST, "ip", ["-n", ns, "-json", ...args])).stdout);
const rxPackets = async (ns: string, dev: string) => (await json(ns, "-s", "link", "show", "dev", dev))[0].stats64.rx.packets as number;

// What the product will install later: classic policy routing by mark, marks by source.
const ROUTING = [
  "route add default via 203.0.113.1 dev eth0",
  "route add default via 203.0.113.1 dev eth0 table 100",
  "route add default via 198.51.100.1 dev eth1 table 200",
  "route add 192.168.1.0/24 dev lan0 table 100",
  "route add 192.168.1.0/24 dev lan0 table 200",
  "rule add priority 10000 to 192.168.1.0/24 lookup main",
  "rule add priority 10100 fwmark 0x1/0xff lookup 100",
  "rule add priority 10200 fwmark 0x2/0xff lookup 200",
].join("\n");
const MANGLE = `*mangle
-A PREROUTING -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A PREROUTING -m mark ! --mark 0x0/0xff -j ACCEPT
-A PREROUTING -s 192.168.1.100 -j MARK --set-xmark 0x1/0xff
-A PREROUTING -s 192.168.1.101 -j MARK --set-xmark 0x2/0xff
-A PREROUTING -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff
COMMIT
`;
const NAT = `*nat
-A POSTROUTING -o eth0 -j SNAT --to-source 203.0.113.10
-A POSTROUTING -o eth1 -j SNAT --to-source 198.51.100.10
COMMIT
`;

describe.skipIf(!isRoot)("lab: classic office", () => {
  beforeAll(async () => {
    await labDown(P);
    const r = await labUp(office, { prefix: P });
    expect(r.created).toHaveLength(6);
  });
  afterAll(() => labDown(P));

  it("strict ISPs drop unNATed traffic; with SNAT each host leaves through its ISP", async () => {
    await run(HOST, "ip", ["-n", GW, "-batch", "-"], { input: ROUTING + "\n" });
    await run(netns(GW), "iptables-restore", ["--noflush"], { input: MANGLE });

    // no SNAT yet: 192.168.1.x reaches the ISP, which drops it (rp_filter), so the
    // internet never sees a packet from ISP1
    const [custBefore, inetBefore] = [await rxPackets(`${P}-isp1`, "cust0"), await rxPackets(`${P}-inet`, "isp1")];
    const bad = await Promise.all(["192.168.1.100", "192.168.1.101"].map((h) => probeEgress(P, h, { timeoutMs: 1000 })));
    for (const b of bad) expect(b).toMatchObject({ ok: false, error: expect.stringMatching(/timed out/) });
    expect(await rxPackets(`${P}-isp1`, "cust0")).toBeGreaterThan(custBefore);
    expect(await rxPackets(`${P}-inet`, "isp1")).toBe(inetBefore);

    await run(netns(GW), "iptables-restore", ["--noflush"], { input: NAT });
    expect(await probeEgress(P, "192.168.1.100")).toEqual({ ok: true, seenAs: "203.0.113.10" });
    expect(await probeEgress(P, "192.168.1.101")).toEqual({ ok: true, seenAs: "198.51.100.10" });
    expect(await sendTraffic(P, "192.168.1.101", 2_000_000)).toEqual({ ok: true, received: 2_000_000 });
  });

  it("labUp again changes nothing the product installed", async () => {
    const again = await labUp(office, { prefix: P });
    expect(again).toMatchObject({ created: [], removed: [] });
    const rules = (await json(GW, "rule", "show")) as { priority: number }[];
    expect(rules.map((r) => r.priority)).toEqual(expect.arrayContaining([10000, 10100, 10200]));
    const routes = (await json(GW, "route", "show", "table", "200")) as { dst: string }[];
    expect(routes.map((r) => r.dst)).toContain("default");
    const saved = (await run(netns(GW), "iptables-save", [])).stdout;
    expect(saved).toContain("--to-source 198.51.100.10");
    expect(saved).toContain("--set-xmark 0x2/0xff");
    expect(await probeEgress(P, "192.168.1.101")).toEqual({ ok: true, seenAs: "198.51.100.10" });
  });

  it("labDown removes every namespace and the server, and can run twice", async () => {
    const { pid } = (await labStatus(P)).server;
    await labDown(P);
    expect(await labNamespaces(P)).toEqual([]);
    expect(fs.existsSync(`/proc/${pid}/cmdline`) && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("echo-server")).toBe(false);
    expect(await labDown(P)).toMatchObject({ removed: [] });
  });
});

const threeIsps: GatewayConfig = {
  settings: { lanInterface: "br-lan", lanSubnets: ["10.20.0.1/16", "172.16.5.1/24"], defaultIsp: "fiber" },
  isps: [
    {
      name: "fiber",
      wanInterface: "wan-a",
      gatewayAddress: "100.64.10.1",
      linkAddress: "100.64.10.2",
      linkPrefix: 30,
      routingTable: 10,
      mark: 3,
      enabled: true,
      natMode: "SNAT",
    },
    {
      name: "cable",
      wanInterface: "wan-b",
      gatewayAddress: "192.0.2.129",
      linkAddress: "192.0.2.130",
      linkPrefix: 25,
      routingTable: 20,
      mark: 4,
      enabled: true,
      natMode: "MASQUERADE",
    },
    {
      name: "lte",
      wanInterface: "wan-c",
      gatewayAddress: "10.99.0.1",
      linkAddress: "10.99.0.2",
      linkPrefix: 24,
      routingTable: 30,
      mark: 5,
      enabled: false,
      natMode: "SNAT",
    },
  ],
  natAddresses: [{ address: "192.0.2.140", isp: "cable", isDefault: false, host: "10.20.1.1" }],
  hosts: [
    { name: "desk", address: "10.20.1.1", mac: "02:00:00:aa:bb:01", isp: "cable", notes: "" },
    { name: "cam", address: "172.16.5.9", mac: null, isp: null, notes: "" },
  ],
};
const X = "tlabx";

describe.skipIf(!isRoot)("lab: three ISPs, other names", () => {
  beforeAll(() => labDown(X));
  afterAll(() => labDown(X));

  it("builds namespaces, links and addresses from the config, then converges", async () => {
    await labUp(threeIsps, { prefix: X, server: false });
    const desk = hostNamespace(X, "10.20.1.1");
    expect((await labNamespaces(X)).sort()).toEqual(
      [`${X}-gw`, `${X}-inet`, `${X}-isp1`, `${X}-isp2`, `${X}-isp3`, desk, hostNamespace(X, "172.16.5.9")].sort(),
    );
    const gwAddrs = (await json(`${X}-gw`, "addr", "show")) as { ifname: string; addr_info: { family: string; local: string; prefixlen: number }[] }[];
    const byDev = Object.fromEntries(gwAddrs.map((l) => [l.ifname, l.addr_info.filter((a) => a.family === "inet").map((a) => `${a.local}/${a.prefixlen}`)]));
    expect(byDev["br-lan"]).toEqual(["10.20.0.1/16", "172.16.5.1/24"]);
    expect(byDev["wan-a"]).toEqual(["100.64.10.2/30"]);
    expect(byDev["wan-b"]).toEqual(["192.0.2.130/25", "192.0.2.140/32"]);
    expect(byDev["wan-c"]).toEqual(["10.99.0.2/24"]);
    const port = ((await json(`${X}-gw`, "link", "show", "dev", "h0a140101")) as { master: string }[])[0];
    expect(port.master).toBe("br-lan");
    const eth0 = ((await json(desk, "addr", "show", "dev", "eth0")) as { address: string; addr_info: { local: string }[] }[])[0];
    expect(eth0.address).toBe("02:00:00:aa:bb:01");
    expect(eth0.addr_info.map((a) => a.local)).toContain("10.20.1.1");
    expect(await json(desk, "route", "show", "default")).toMatchObject([{ gateway: "10.20.0.1", dev: "eth0" }]);
    expect(await json(`${X}-isp3`, "addr", "show", "dev", "cust0")).toMatchObject([
      { addr_info: expect.arrayContaining([expect.objectContaining({ local: "10.99.0.1" })]) },
    ]);

    // drop the middle ISP and a host: lte moves to isp2, isp3 and the host's namespace go
    const smaller = structuredClone(threeIsps);
    smaller.isps.splice(1, 1);
    smaller.natAddresses = [];
    smaller.hosts.pop();
    const r = await labUp(smaller, { prefix: X, server: false });
    expect(r.removed.sort()).toEqual([hostNamespace(X, "172.16.5.9"), `${X}-isp3`].sort());
    const links = ((await json(`${X}-gw`, "link", "show")) as { ifname: string }[]).map((l) => l.ifname);
    expect(links.sort()).toEqual(["br-lan", "h0a140101", "lo", "wan-a", "wan-c"]);
    expect(await json(`${X}-isp2`, "addr", "show", "dev", "cust0")).toMatchObject([
      { addr_info: expect.arrayContaining([expect.objectContaining({ local: "10.99.0.1" })]) },
    ]);
    expect(await labUp(smaller, { prefix: X, server: false })).toMatchObject({ created: [], removed: [] });
  });
});
