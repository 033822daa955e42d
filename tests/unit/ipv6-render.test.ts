// IPv6 render (docs/ipv6.md) without a kernel: the routing an admin reads on the Ruleset page,
// the nftables part (hosts by MAC, prefix translation), what verification asks the kernel, and
// that a configuration without IPv6 renders exactly as before.
import { describe, expect, it } from "vitest";
import { render } from "@/lib/net/render";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { lanSubnets6, translations6 } from "@/lib/net/render/ipv6";
import { ipv6Asks, judge, sampleAddress } from "@/lib/net/verify6";
import { planChanges } from "@/lib/net/plan";
import { parseNftTableJson } from "@/lib/net/parse/nft-json";
import { prefixContains } from "@/lib/net/address";

/** The classic office, dual stack: ISP1 delegates 2001:db8:a::/48, ISP2 2001:db8:b::/48; laptop (on ISP2) has a MAC. */
function dualStack(over: (c: GatewayConfig) => void = () => undefined): GatewayConfig {
  const c = structuredClone(classicOffice);
  c.settings = { ...c.settings, firewall: "nftables", lanSubnets6: ["2001:db8:a:1::1/64", "2001:db8:b:1::1/64"] };
  c.isps[0].ipv6 = { prefix: "2001:db8:a::/48", gateway: "fe80::1" };
  c.isps[1].ipv6 = { prefix: "2001:db8:b::/48", gateway: "2001:db8:ffff::1" };
  c.hosts[1].mac = "02:00:5E:00:00:0B";
  over(c);
  return c;
}

const lines = (script: string, start: string) => script.split("\n").filter((l) => l.startsWith(start));

describe("IPv6 routing", () => {
  it("each ISP's table has the LAN /64s and its IPv6 default; prefixes leave by their own ISP after the marks", () => {
    const script = render(dualStack()).script;
    expect(lines(script, "ip -6 route")).toEqual([
      "ip -6 route replace 2001:db8:a:1::/64 dev lan0 proto 201 metric 1024 table ISP1",
      "ip -6 route replace 2001:db8:b:1::/64 dev lan0 proto 201 metric 1024 table ISP1",
      "ip -6 route replace default via fe80::1 dev eth0 proto 201 metric 1024 table ISP1",
      "ip -6 route replace 2001:db8:a:1::/64 dev lan0 proto 201 metric 1024 table ISP2",
      "ip -6 route replace 2001:db8:b:1::/64 dev lan0 proto 201 metric 1024 table ISP2",
      "ip -6 route replace default via 2001:db8:ffff::1 dev eth1 proto 201 metric 1024 table ISP2",
    ]);
    expect(lines(script, "ip -6 rule")).toEqual([
      "ip -6 rule add priority 10000 to 2001:db8:a:1::/64 lookup main protocol 201",
      "ip -6 rule add priority 10001 to 2001:db8:b:1::/64 lookup main protocol 201",
      "ip -6 rule add priority 10050 lookup main suppress_prefixlength 0 protocol 201",
      "ip -6 rule add priority 10100 fwmark 0x1/0xff lookup ISP1 protocol 201",
      "ip -6 rule add priority 10101 fwmark 0x2/0xff lookup ISP2 protocol 201",
      "ip -6 rule add priority 10199 fwmark 0xff/0xff unreachable protocol 201",
      "ip -6 rule add priority 10200 from 2001:db8:a::/48 lookup ISP1 protocol 201",
      "ip -6 rule add priority 10201 from 2001:db8:b::/48 lookup ISP2 protocol 201",
      "ip -6 rule add priority 10900 from 2001:db8:a:1::/64 iif lan0 unreachable protocol 201",
      "ip -6 rule add priority 10901 from 2001:db8:b:1::/64 iif lan0 unreachable protocol 201",
    ]);
  });

  it("an ISP with translation off has no IPv6 mark rule: its hosts' IPv6 follows their prefix", () => {
    const script = render(dualStack((c) => (c.isps[1].ipv6!.translate = false))).script;
    expect(lines(script, "ip -6 rule").filter((l) => l.includes("fwmark 0x2/"))).toEqual([]);
    expect(script).toContain("ip -6 rule add priority 10201 from 2001:db8:b::/48 lookup ISP2 protocol 201");
    expect(render(dualStack((c) => (c.isps[1].ipv6!.translate = false))).firewallInput).not.toContain('oifname "eth1" snat ip6 prefix');
  });

  it("an ISP without IPv6 has no IPv6 table; a disabled ISP's /64 is left out of the translations", () => {
    const c = dualStack((c) => delete c.isps[1].ipv6);
    expect(lines(render(c).script, "ip -6 route").some((l) => l.includes("table ISP2"))).toBe(false);
    expect(lanSubnets6(c).map((s) => s.isp?.name ?? null)).toEqual(["ISP1", null]);
    expect(translations6(c)).toEqual([]);
  });

  it("a configuration without IPv6 renders no IPv6 at all", () => {
    const out = render({ ...structuredClone(classicOffice), settings: { ...classicOffice.settings, firewall: "nftables" } });
    expect(out.script).not.toMatch(/ip -6|ip6 |HOSTS6|ether saddr/);
    expect(out.state.routes.every((r) => r.family === 4) && out.state.rules.every((r) => r.family === 4)).toBe(true);
  });
});

describe("IPv6 in nftables", () => {
  it("hosts are matched by MAC and each LAN /64 leaving by the other ISP is mapped to that ISP's /64", () => {
    const out = render(dualStack());
    const hosts6 = out.state.sets!.find((s) => s.name === "SWYD-HOSTS6")!;
    expect(hosts6).toMatchObject({ type: "ether_addr", map: "verdict", elements: [{ key: "02:00:5e:00:00:0b", value: "jump SWYD-ISP200" }] });
    const mark = out.state.chains.find((c) => c.name === "SWYD-MARK")!.rules.map((r) => r.spec);
    expect(mark).toContain("meta nfproto ipv6 ether saddr vmap @SWYD-HOSTS6");
    const post = out.state.chains.find((c) => c.name === "SWYD-POST")!.rules.map((r) => r.spec);
    expect(post.filter((s) => s.startsWith("ip6 "))).toEqual([
      'ip6 saddr 2001:db8:b:1::/64 oifname "eth0" snat ip6 prefix to 2001:db8:a:1::/64',
      'ip6 saddr 2001:db8:a:1::/64 oifname "eth1" snat ip6 prefix to 2001:db8:b:1::/64',
    ]);
  });

  it("the prefix mapping nft prints back (captured JSON) reads as the rendered rule: no endless re-apply", () => {
    const json = JSON.stringify({
      nftables: [
        { chain: { family: "inet", table: "switchyard", name: "SWYD-POST", handle: 1, type: "nat", hook: "postrouting", prio: 95, policy: "accept" } },
        {
          rule: {
            family: "inet",
            table: "switchyard",
            chain: "SWYD-POST",
            handle: 4,
            expr: [
              { match: { op: "==", left: { payload: { protocol: "ip6", field: "saddr" } }, right: { prefix: { addr: "2001:db8:1:1::", len: 64 } } } },
              { match: { op: "==", left: { meta: { key: "oifname" } }, right: "wan" } },
              { snat: { family: "ip6", addr: { prefix: { addr: "2001:db8:2:1::", len: 64 } }, flags: "netmap", type_flags: "prefix" } },
            ],
          },
        },
      ],
    });
    expect(parseNftTableJson(json).chains[0].rules.map((r) => r.spec)).toEqual([
      'ip6 saddr 2001:db8:1:1::/64 oifname "wan" snat ip6 prefix to 2001:db8:2:1::/64',
    ]);
  });

  it("the plan names IPv6 routes and rules with ip -6, and a v4 and a v6 rule at one priority are distinct", () => {
    const desired = render(dualStack()).state;
    const plan = planChanges(desired, { ...desired, rules: desired.rules.filter((r) => r.family === 4), routes: desired.routes.filter((r) => r.family === 4) });
    expect(plan.rulesToAdd.every((r) => r.family === 6)).toBe(true);
    expect(plan.lines.map((l) => l.text)).toContain("ip -6 rule add priority 10100 fwmark 0x1/0xff lookup 100 protocol 201");
    expect(plan.lines.map((l) => l.text)).toContain("ip -6 route replace default via fe80::1 dev eth0 proto 201 metric 1024 table 100");
    expect(planChanges(desired, desired).empty).toBe(true);
  });
});

describe("IPv6 verification asks", () => {
  it("each LAN /64: unmarked by its own ISP, marked by the translating ISP, unreachable refused", () => {
    const asks = ipv6Asks(dualStack()).map((a) => [a.verdict.subnet, a.verdict.markedFor ?? "-", a.verdict.expected?.dev ?? "refused", a.mark]);
    expect(asks).toEqual([
      ["2001:db8:a:1::/64", "-", "eth0", 0],
      ["2001:db8:a:1::/64", "ISP2", "eth1", 2],
      ["2001:db8:a:1::/64", "(unreachable)", "refused", 255],
      ["2001:db8:b:1::/64", "-", "eth1", 0],
      ["2001:db8:b:1::/64", "ISP1", "eth0", 1],
      ["2001:db8:b:1::/64", "(unreachable)", "refused", 255],
    ]);
    // translation off on ISP2: ISP1's /64 marked for ISP2 keeps leaving by ISP1
    const off = ipv6Asks(dualStack((c) => (c.isps[1].ipv6!.translate = false)));
    expect(off.find((a) => a.verdict.subnet === "2001:db8:a:1::/64" && a.verdict.markedFor === "ISP2")!.verdict.expected!.dev).toBe("eth0");
  });

  it("an ISP that is down: its prefix is refused unplaced, and hosts placed elsewhere are translated away from it", () => {
    const c = dualStack((c) => (c.health = { down: ["ISP1"] }));
    expect(lines(render(c).script, "ip -6 rule").some((l) => l.includes("from 2001:db8:a::/48"))).toBe(false);
    const asks = ipv6Asks(c).filter((a) => a.verdict.subnet === "2001:db8:a:1::/64");
    expect(asks.map((a) => [a.verdict.markedFor ?? "-", a.verdict.expected?.dev ?? "refused"])).toEqual([
      ["-", "refused"],
      ["ISP2", "eth1"],
      ["(unreachable)", "refused"],
    ]);
  });

  it("a wrong answer names the subnet, the mark and both paths; a refused lookup that finds a route fails", () => {
    const ask = ipv6Asks(dualStack())[1].verdict;
    const bad = judge(ask, { table: 100, dev: "eth0" });
    expect(bad.ok).toBe(false);
    expect(bad.reason).toBe("2001:db8:a:1::/64 (ISP1's prefix on lan) marked for ISP2: leaves by table 100 dev eth0, expected ISP2 (table 200 dev eth1)");
    expect(judge(ask, { table: 200, dev: "eth1" }).ok).toBe(true);
    const refuse = ipv6Asks(dualStack())[2].verdict;
    expect(judge(refuse, { table: 100, dev: "eth0" }).ok).toBe(false);
    expect(judge(refuse, { error: "Network is unreachable" }).ok).toBe(true);
  });

  it("the sample address lies in its /64", () => {
    expect(sampleAddress("2001:db8:a:1::/64")).toBe("2001:db8:a:1::5ca1:ab1e");
    // the same address as 2001:0:0:5::5ca1:ab1e, in RFC 5952 text
    expect(sampleAddress("2001:0:0:5::/64")).toBe("2001::5:0:0:5ca1:ab1e");
    expect(prefixContains("2001:0:0:5::/64", sampleAddress("2001:0:0:5::/64"))).toBe(true);
  });
});
