import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { render, routeArgs } from "@/lib/net/render";
import { classicOffice, threeIsps } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";

const golden = (name: string, actual: string) => {
  const file = path.join(import.meta.dirname, "..", "golden", name);
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, "utf8"));
};

describe("render: the classic two-ISP office", () => {
  const out = render(classicOffice);
  const lines = out.script.split("\n");

  it("matches the golden script and restore input byte for byte", () => {
    golden("classic-office.sh", out.script);
    golden("classic-office.restore", out.firewallInput);
  });

  it("names both routing tables", () => {
    expect(out.state.rtTables).toEqual([
      { number: 100, name: "ISP1" },
      { number: 200, name: "ISP2" },
    ]);
  });

  it("gives each ISP table its link route, the LAN route and its default route", () => {
    for (const l of [
      "ip route replace 203.0.113.0/24 dev eth0 scope link src 203.0.113.10 proto 201 table ISP1",
      "ip route replace 192.168.1.0/24 dev lan0 scope link src 192.168.1.1 proto 201 table ISP1",
      "ip route replace default via 203.0.113.1 dev eth0 proto 201 table ISP1",
      "ip route replace 198.51.100.0/24 dev eth1 scope link src 198.51.100.10 proto 201 table ISP2",
      "ip route replace 192.168.1.0/24 dev lan0 scope link src 192.168.1.1 proto 201 table ISP2",
      "ip route replace default via 198.51.100.1 dev eth1 proto 201 table ISP2",
    ])
      expect(lines).toContain(l);
    // main's default route belongs to its owner (DHCP client, ifupdown), not to Switchyard
    expect(out.state.routes.some((r) => r.table === 254)).toBe(false);
  });

  it("keeps LAN destinations on main, then selects ISP tables by mark and by source", () => {
    for (const l of [
      "ip rule add priority 10000 to 192.168.1.0/24 lookup main protocol 201",
      "ip rule add priority 10050 lookup main suppress_prefixlength 0 protocol 201",
      "ip rule add priority 10100 fwmark 0x1/0xff lookup ISP1 protocol 201",
      "ip rule add priority 10101 fwmark 0x2/0xff lookup ISP2 protocol 201",
      "ip rule add priority 10200 from 203.0.113.10/32 lookup ISP1 protocol 201",
      "ip rule add priority 10201 from 198.51.100.10/32 lookup ISP2 protocol 201",
      // a LAN packet that finds no ISP route gets an ICMP error instead of main's default route
      "ip rule add priority 10900 from 192.168.1.0/24 iif lan0 unreachable protocol 201",
    ])
      expect(lines).toContain(l);
    // never one rule per host: the kernel walks the rule list for every packet
    expect(out.state.rules.some((r) => r.src?.startsWith("192.168.1.") && r.action !== "unreachable")).toBe(false);
  });

  it("marks each host by its ISP and keeps the mark with the connection", () => {
    const r = out.firewallInput;
    expect(r).toContain("-A SWYD-PRE -i lan0 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff");
    expect(r).toContain("-A SWYD-PRE -i lan0 -m mark ! --mark 0x0/0xff -j RETURN");
    expect(r).toContain("-A SWYD-PRE -i lan0 -j SWYD-MARK");
    expect(r).toContain("-A SWYD-PRE -i lan0 -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff");
    // hosts jump to their target's chain; only that chain says which mark (a failover rewrites just it)
    expect(r).toContain("-A SWYD-MARK -s 192.168.1.100/32 -j SWYD-ISP100");
    expect(r).toContain("-A SWYD-MARK -s 192.168.1.101/32 -j SWYD-ISP200");
    expect(r).toContain("-A SWYD-ISP100 -j MARK --set-xmark 0x1/0xff");
    expect(r).toContain("-A SWYD-ISP200 -j MARK --set-xmark 0x2/0xff");
    // inbound connections keep the ISP they arrived on
    expect(r).toContain("-A SWYD-PRE -i eth1 -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x2/0xff");
  });

  it("SNATs LAN traffic to each ISP's NAT address", () => {
    expect(out.firewallInput).toContain("-A SWYD-POST -s 192.168.1.0/24 -o eth0 -j SNAT --to-source 203.0.113.10");
    expect(out.firewallInput).toContain("-A SWYD-POST -s 192.168.1.0/24 -o eth1 -j SNAT --to-source 198.51.100.10");
  });

  it("hooks its chains from the built-in ones with one jump each", () => {
    expect(out.state.hooks).toEqual([
      { table: "mangle", chain: "PREROUTING", spec: "-j SWYD-PRE" },
      { table: "mangle", chain: "FORWARD", spec: "-j SWYD-ACCT" },
      { table: "nat", chain: "POSTROUTING", spec: "-j SWYD-POST" },
      { table: "mangle", chain: "PREROUTING", spec: "-j SWYD-TAIL", last: true },
      { table: "filter", chain: "FORWARD", spec: "-j SWYD-GUARD" },
    ]);
  });

  it("restores the connection mark on WAN ingress, and re-asserts its bits at the end of PREROUTING", () => {
    const r = out.firewallInput;
    expect(r).toContain("-A SWYD-PRE -i eth1 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff");
    expect(r).toContain("-A SWYD-TAIL -i lan0 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff");
    expect(r).toContain("-A SWYD-TAIL -i eth1 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff");
    expect(out.script).toContain("iptables -t mangle -A PREROUTING -j SWYD-TAIL");
  });

  it("a /32 point-to-point ISP: no link route, the default route onlink", () => {
    const cfg: GatewayConfig = structuredClone(classicOffice);
    Object.assign(cfg.isps[1], { linkAddress: "100.64.7.2", linkPrefix: 32, gatewayAddress: "100.64.0.1", natMode: "MASQUERADE" });
    cfg.natAddresses = cfg.natAddresses.filter((n) => n.isp !== "ISP2");
    const routes = render(cfg).state.routes.filter((r) => r.table === 200);
    expect(routes.map((r) => routeArgs(r).join(" "))).toEqual([
      "192.168.1.0/24 dev lan0 scope link src 192.168.1.1 proto 201 table 200",
      "default via 100.64.0.1 dev eth1 onlink proto 201 table 200",
    ]);
  });

  it("no usable ISP: LAN destinations and the unreachable rule only, no NAT, no marks", () => {
    const cfg: GatewayConfig = structuredClone(classicOffice);
    for (const i of cfg.isps) i.enabled = false;
    const s = render(cfg).state;
    expect(s.routes).toEqual([]);
    expect(s.rules.map((r) => r.action ?? r.table)).toEqual([254, 254, "unreachable", "unreachable"]);
    expect(s.chains.find((c) => c.name === "SWYD-POST")!.rules).toEqual([]);
    expect(s.chains.find((c) => c.name === "SWYD-MARK")!.rules).toEqual([]);
  });

  it("counts forwarded traffic per ISP in both directions, without a target", () => {
    const acct = out.state.chains.find((c) => c.name === "SWYD-ACCT")!.rules.map((r) => r.spec);
    expect(acct).toEqual(["-o eth0", "-i eth0", "-o eth1", "-i eth1"]);
  });

  it("is deterministic", () => {
    expect(render(structuredClone(classicOffice)).script).toBe(out.script);
  });
});

describe("render: other shapes", () => {
  it("three ISPs: pinned NAT first, MASQUERADE where chosen, default ISP catches unassigned hosts", () => {
    const out = render(threeIsps);
    golden("three-isps.sh", out.script);
    const nat = out.state.chains.find((c) => c.name === "SWYD-POST")!.rules.map((r) => r.spec);
    expect(nat[0]).toBe("-s 10.20.5.25/32 -o wan-b -j SNAT --to-source 100.71.0.21");
    expect(nat).toContain("-s 10.20.0.0/16 -o wan-c -j MASQUERADE");
    const mark = out.state.chains.find((c) => c.name === "SWYD-MARK")!.rules.map((r) => r.spec);
    expect(mark).not.toContain("-s 10.20.0.10/32 -j SWYD-ISP10");
    expect(mark.at(-1)).toBe("-m mark --mark 0x0/0xff -j SWYD-ISP10");
    expect(out.state.rules.map((r) => r.table)).toEqual(expect.arrayContaining([10, 20, 30]));
  });

  it("a disabled ISP gets no table or rules, and its hosts fall back to the default ISP", () => {
    const cfg: GatewayConfig = structuredClone(classicOffice);
    cfg.isps[1].enabled = false;
    const out = render(cfg);
    expect(out.state.routes.some((r) => r.table === 200)).toBe(false);
    expect(out.state.rules.some((r) => r.table === 200)).toBe(false);
    expect(out.firewallInput).not.toContain("-A SWYD-MARK -s 192.168.1.101/32");
    expect(out.firewallInput).toContain("-A SWYD-MARK -m mark --mark 0x0/0xff -j SWYD-ISP100");
    expect(out.firewallInput).not.toContain("SWYD-ISP200");
    expect(out.firewallInput).not.toMatch(/SWYD-(POST|ACCT).*-o eth1/);
    // its WAN is not NATed any more: LAN traffic that still reaches it is refused, not leaked
    expect(out.firewallInput).toContain("-A SWYD-GUARD -i lan0 -o eth1 -j REJECT --reject-with icmp-net-unreachable");
    expect(out.firewallInput).toContain("-A SWYD-GUARD -i lan0 -o eth0 -m mark --mark 0x0/0xff -j REJECT --reject-with icmp-net-unreachable");
  });

  it("refuses a token with whitespace even if validation was bypassed", () => {
    const cfg: GatewayConfig = structuredClone(classicOffice);
    cfg.isps[0].wanInterface = "eth0 -j ACCEPT";
    expect(() => render(cfg)).toThrow(/refusing/);
  });
});

describe("rt_tables names for a real gateway", () => {
  it("lists each table number with its ISP name", async () => {
    const { rtTablesText } = await import("@/lib/engine/rt-tables-file");
    expect(rtTablesText(render(classicOffice).state.rtTables).split("\n").slice(1)).toEqual(["100\tISP1", "200\tISP2", ""]);
  });
});
