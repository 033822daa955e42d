// The inference on captured output (tests/fixtures/adopt, from scripts/capture-adopt-fixtures.ts:
// the former admin's commands run in namespaces), the take over plan and the foreign rollback.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inferAdoption } from "@/lib/adopt/infer";
import { adoptInputFrom, ifAddresses } from "@/lib/adopt/read";
import { foreignRestore } from "@/lib/net/apply/foreign";
import { planTakeover, takeoverIpLines, takeoverIptablesInput, withTakeover } from "@/lib/adopt/takeover";
import { planChanges } from "@/lib/net/plan";
import { classicOffice } from "@/lib/examples";
import { parseRtTables } from "@/lib/net/parse/rt-tables";
import { render } from "@/lib/net/render";
import { validateConfig } from "@/lib/validation";

const dir = path.join(import.meta.dirname, "../fixtures/adopt");
function fixture(variant: string) {
  const read = (f: string) => fs.readFileSync(path.join(dir, variant, f), "utf8");
  const rt = [...parseRtTables(read("rt_tables"))].map(([name, number]) => ({ name, number, file: "/etc/iproute2/rt_tables" }));
  return adoptInputFrom({ rules: read("ip-rule.json"), routes: read("ip-route.json"), iptables: read("iptables-save.txt"), addrs: read("ip-addr.json") }, rt);
}
const adopt = (variant: string) => inferAdoption(fixture(variant));
/** the classic office as the old admin would have had it: the same ISPs, hosts and NAT, hosts named by address */
const expected = {
  ...classicOffice,
  hosts: classicOffice.hosts.map((h) => ({ ...h, name: `host-${h.address.replace(/\./g, "-")}`, notes: "adopted" })),
};

describe("inferAdoption", () => {
  it("the empty box: nothing to adopt, nothing to take over", () => {
    const a = adopt("empty");
    expect(a).toEqual({
      config: null,
      nothing: "Nothing to adopt: no routing table has a default route through an ISP's gateway.",
      items: [],
      notUnderstood: [],
      problems: [],
      takeover: [],
      kept: [],
    });
  });

  it("marks: the classic office, each item with the objects it came from", () => {
    const a = adopt("marks");
    expect(a.config).toEqual(expected);
    expect(validateConfig(a.config).ok).toBe(true);
    expect(a.items.find((i) => i.path === "isps.1")).toEqual({
      path: "isps.1",
      label: "ISP ISP2",
      value: "eth1, gateway 198.51.100.1, 198.51.100.10/24, table 200, mark 0x2, SNAT",
      from: [
        "/etc/iproute2/rt_tables: 200 ISP2",
        "ip route default via 198.51.100.1 dev eth1 proto boot table 200",
        "ip addr: 198.51.100.10/24 dev eth1",
        "ip route 198.51.100.0/24 dev eth1 scope link src 198.51.100.10 proto boot table 200",
        "ip rule priority 32762 fwmark 0x2/0xffffffff lookup 200",
        "ip rule priority 32764 from 198.51.100.10/32 lookup 200",
        "iptables -t nat -A POSTROUTING -o eth1 -j SNAT --to-source 198.51.100.10",
      ],
    });
    expect(a.items.find((i) => i.path === "hosts.0")?.from).toEqual([
      "iptables -t mangle -A PREROUTING -s 192.168.1.100/32 -i lan0 -j MARK --set-xmark 0x1/0xffffffff",
      "ip rule priority 32763 fwmark 0x1/0xffffffff lookup 100",
    ]);
    expect(a.items.find((i) => i.path === "settings.defaultIsp")?.from).toEqual(["ip route default via 203.0.113.1 dev eth0 proto boot table 254 (main)"]);
    // the tunnel is not an ISP and stays foreign
    expect(a.notUnderstood.map((n) => n.object)).toEqual([
      "ip route default dev wg0 scope link proto boot table 51820",
      "ip rule priority 900 to 10.200.0.0/16 lookup 51820",
    ]);
    expect(a.notUnderstood[0].why).toMatch(/without a gateway \(a tunnel or VPN\)/);
    expect(a.problems.map((p) => p.title)).toEqual([
      "Marks without CONNMARK",
      "No LAN route in ISP1's table",
      "No LAN route in ISP2's table",
      "Main's default route goes through ISP1 only",
    ]);
    expect(a.problems[0].detail).toMatch(/replies.*leave through main's default route \(ISP1\)/);
    expect(a.takeover.map((t) => (t.rule ? "rule" : t.route ? "route" : t.iptables!.table))).toEqual([
      "route",
      "route",
      "route",
      "route",
      "rule",
      "rule",
      "rule",
      "rule",
      "mangle",
      "mangle",
    ]);
    // NAT by outgoing interface only also NATs the tunnel's subnet: read for the proposal, kept by a take over
    expect(a.kept.map((k) => [k.iptables?.spec, k.keep])).toEqual([
      ["-o eth0 -j SNAT --to-source 203.0.113.10", "covers sources outside the LAN (e.g. 10.200.0.0/24 via wg0); Switchyard's NAT runs before it for the LAN"],
      ["-o eth1 -j SNAT --to-source 198.51.100.10", "covers sources outside the LAN (e.g. 10.200.0.0/24 via wg0); Switchyard's NAT runs before it for the LAN"],
    ]);
  });

  it("NAT for the LAN only is taken over; NAT without a source match is kept, SNAT and MASQUERADE alike", () => {
    const input = fixture("marks");
    const post = input.observed.builtins.find((c) => c.table === "nat" && c.name === "POSTROUTING")!;
    post.rules = [{ spec: "-s 192.168.1.0/24 -o eth0 -j SNAT --to-source 203.0.113.10" }, { spec: "-o eth1 -j MASQUERADE" }];
    input.observed.foreign.routes = input.observed.foreign.routes.filter((r) => r.dev !== "wg0");
    const a = inferAdoption(input);
    expect(a.takeover.filter((t) => t.iptables?.table === "nat").map((t) => t.iptables!.spec)).toEqual([
      "-s 192.168.1.0/24 -o eth0 -j SNAT --to-source 203.0.113.10",
    ]);
    expect(a.kept.map((k) => [k.iptables?.spec, k.keep])).toEqual([
      [
        "-o eth1 -j MASQUERADE",
        "covers sources outside the LAN (none is routed here today, but a tunnel added later would be); Switchyard's NAT runs before it for the LAN",
      ],
    ]);
    expect(a.config!.isps.map((i) => i.natMode)).toEqual(["SNAT", "MASQUERADE"]);
  });

  it("per-host ip rules: the same hosts, free marks for the ISPs, the cost named", () => {
    const a = adopt("rules");
    expect(a.config!.hosts).toEqual(expected.hosts);
    expect(a.config!.isps.map((i) => i.mark)).toEqual([1, 2]);
    expect(a.items.find((i) => i.path === "isps.0")?.from).toContain("no fwmark rule for table 100: mark 0x1 is a free one");
    expect(a.items.find((i) => i.path === "hosts.1")?.from).toEqual(["ip rule priority 1001 from 192.168.1.101/32 lookup 200"]);
    expect(a.problems.map((p) => p.title)).toContain("One ip rule per host");
    expect(a.problems.map((p) => p.title)).not.toContain("Marks without CONNMARK");
  });

  it("a port-based mark cannot be mapped: reported, not lost, and not taken over", () => {
    const a = adopt("port");
    expect(a.config).toEqual(expected);
    const port = a.notUnderstood.find((n) => n.object.includes("--dport 443"));
    expect(port?.object).toBe("iptables -t mangle -A PREROUTING -i lan0 -p tcp -m tcp --dport 443 -j MARK --set-xmark 0x2/0xffffffff");
    expect(port?.why).toMatch(/Switchyard assigns whole hosts to ISPs.*that traffic then follows its host's ISP/);
    expect(a.takeover.some((t) => t.iptables?.spec.includes("443"))).toBe(false);
  });

  it("reads what the text forms hide: a catch-all mark after the host marks wins, SNAT to an address the box lacks is named", () => {
    const input = fixture("marks");
    const pre = input.observed.builtins.find((c) => c.table === "mangle" && c.name === "PREROUTING")!;
    pre.rules.push({ spec: "-i lan0 -j MARK --set-xmark 0x2/0xffffffff" });
    const post = input.observed.builtins.find((c) => c.table === "nat" && c.name === "POSTROUTING")!;
    post.rules.unshift({ spec: "-o eth2 -j SNAT --to-source 100.64.0.2" });
    const a = inferAdoption(input);
    expect(a.config!.settings.defaultIsp).toBe("ISP2");
    expect(a.config!.hosts.map((h) => h.isp)).toEqual(["ISP2", "ISP2"]);
    expect(a.problems.map((p) => p.title)).toEqual(expect.arrayContaining(["A host sent two ways", "A NAT rule that matches no ISP link"]));
  });
});

describe("take over", () => {
  it("plans 'replaced: old -> Switchyard's', in place where the routing step replaces a route", () => {
    const a = adopt("marks");
    const input = fixture("marks");
    const t = planTakeover({ source: "netns ha-gw", items: [...a.takeover, ...a.kept] }, input.observed, render(a.config!).state);
    expect(t.kept).toEqual([]);
    expect(t.inPlace).toHaveLength(4);
    expect(t.lines.map((l) => l.text)).toContain(
      "replaced: ip rule priority 32765 from 203.0.113.10/32 lookup 100 -> Switchyard's ip rule priority 10200 from 203.0.113.10/32 lookup 100 protocol 201",
    );
    // the plan says what stays and why, as a line that changes nothing
    expect(t.lines.filter((l) => l.op === "=")).toEqual([
      {
        op: "=",
        kind: "takeover",
        text: "kept: iptables -t nat -A POSTROUTING -o eth0 -j SNAT --to-source 203.0.113.10: covers sources outside the LAN (e.g. 10.200.0.0/24 via wg0); Switchyard's NAT runs before it for the LAN",
      },
      {
        op: "=",
        kind: "takeover",
        text: "kept: iptables -t nat -A POSTROUTING -o eth1 -j SNAT --to-source 198.51.100.10: covers sources outside the LAN (e.g. 10.200.0.0/24 via wg0); Switchyard's NAT runs before it for the LAN",
      },
    ]);
    expect(
      withTakeover({ ...planChanges(render(a.config!).state, input.observed), lines: [], empty: true }, { ...t, lines: t.lines.filter((l) => l.op === "=") })
        .empty,
    ).toBe(true);
    expect(takeoverIpLines(t)).toEqual([
      "rule del priority 32762 fwmark 0x2/0xffffffff lookup 200",
      "rule del priority 32763 fwmark 0x1/0xffffffff lookup 100",
      "rule del priority 32764 from 198.51.100.10/32 lookup 200",
      "rule del priority 32765 from 203.0.113.10/32 lookup 100",
    ]);
    expect(takeoverIptablesInput(t)).toBe(
      [
        "*mangle",
        "-D PREROUTING -s 192.168.1.100/32 -i lan0 -j MARK --set-xmark 0x1/0xffffffff",
        "-D PREROUTING -s 192.168.1.101/32 -i lan0 -j MARK --set-xmark 0x2/0xffffffff",
        "COMMIT",
        "",
      ].join("\n"),
    );
  });

  it("keeps what nothing replaces (an ISP removed from the proposal) and what is gone already", () => {
    const a = adopt("marks");
    const input = fixture("marks");
    const config = structuredClone(a.config!);
    config.isps = config.isps.filter((i) => i.name === "ISP1");
    config.natAddresses = config.natAddresses.filter((n) => n.isp === "ISP1");
    config.hosts = config.hosts.filter((h) => h.isp === "ISP1");
    const gone = { rule: { family: 4 as const, priority: 31000, src: "192.168.1.77/32", table: 100 } };
    const t = planTakeover({ source: "x", items: [...a.takeover, gone] }, input.observed, render(config).state);
    expect(t.kept).toContain("ip rule priority 31000 from 192.168.1.77/32 lookup 100: no longer on the gateway");
    expect(t.kept).toContain("ip rule priority 32762 fwmark 0x2/0xffffffff lookup 200: nothing in the staged configuration replaces it, so it stays");
    expect(t.rules.map((r) => r.table)).toEqual([100, 100]);
    // a host dropped from the proposal is one of "everyone else" now: Switchyard's default mark replaces its old one
    expect(t.lines.map((l) => l.text)).toContain(
      "replaced: iptables -t mangle -A PREROUTING -s 192.168.1.101/32 -i lan0 -j MARK --set-xmark 0x2/0xffffffff -> Switchyard's iptables -A SWYD-MARK -m mark --mark 0x0/0xff -j SWYD-ISP100",
    );
    expect(t.iptables.map((r) => r.spec)).toEqual([
      "-s 192.168.1.100/32 -i lan0 -j MARK --set-xmark 0x1/0xffffffff",
      "-s 192.168.1.101/32 -i lan0 -j MARK --set-xmark 0x2/0xffffffff",
    ]);
  });

  it("rollback puts removed foreign objects back where they were", () => {
    const snap = fixture("marks").observed;
    const now = structuredClone(snap);
    now.foreign.rules = now.foreign.rules.filter((r) => r.priority !== 32765);
    now.foreign.routes = now.foreign.routes.filter((r) => !(r.table === 100 && r.dst === "default"));
    const pre = now.builtins.find((c) => c.table === "mangle" && c.name === "PREROUTING")!;
    pre.rules = [{ spec: "-j SWYD-PRE" }, pre.rules[1]];
    const r = foreignRestore(snap, now);
    expect(r.missing).toBe(3);
    expect(r.ipLines.map((l) => l.text)).toEqual([
      "route replace default via 203.0.113.1 dev eth0 proto boot table 100",
      "rule add priority 32765 from 203.0.113.10/32 lookup 100",
    ]);
    expect(r.iptablesInput).toBe("*mangle\n-I PREROUTING 1 -s 192.168.1.100/32 -i lan0 -j MARK --set-xmark 0x1/0xffffffff\nCOMMIT\n");
    expect(foreignRestore(snap, snap).missing).toBe(0);
  });
});

describe("ifAddresses", () => {
  it("IPv4 addresses per interface; IPv6 and the empty output left out", () => {
    const addrs = ifAddresses(fs.readFileSync(path.join(dir, "marks/ip-addr.json"), "utf8")).filter((a) => a.dev !== "lo");
    expect(addrs.sort((a, b) => a.dev.localeCompare(b.dev))).toEqual([
      { dev: "eth0", address: "203.0.113.10", prefix: 24 },
      { dev: "eth1", address: "198.51.100.10", prefix: 24 },
      { dev: "lan0", address: "192.168.1.1", prefix: 24 },
      { dev: "wg0", address: "10.200.0.2", prefix: 24 },
    ]);
    expect(ifAddresses("")).toEqual([]);
  });
});
