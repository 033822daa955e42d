// Pure parts of the real-router work: rule tags, the iptables spec reader, conntrack tuples,
// `ip -json link`, the sysctl check, the override lint and /32 validation.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { sysctlChanges, sysctlLine, sysctlProblems } from "@/lib/net/apply";
import { parseSysctl } from "@/lib/net/parse/sysctl";
import { lintOverrides } from "@/lib/net/lint";
import { classify } from "@/lib/net/observe";
import { parseConntrack } from "@/lib/net/parse/conntrack";
import { parseIpLinkJson } from "@/lib/net/parse/ip-link";
import { parseIpRuleJson } from "@/lib/net/parse/ip-rule";
import { parseAccountingRule, parseIptSpec } from "@/lib/net/parse/ipt-spec";
import { flowEvidence, unlistedAddress } from "@/lib/net/verify";
import { validateConfig } from "@/lib/validation/config";

const fixture = (n: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel", n), "utf8");

describe("ip -json rule: ownership by protocol tag", () => {
  const rules = parseIpRuleJson(fixture("ip-rule-foreign-gateway.json"));
  it("keeps the tag of Switchyard's rules, none on foreign ones", () => {
    expect(rules.find((r) => r.priority === 10100)).toMatchObject({ protocol: "201", fwmark: 3 });
    expect(rules.find((r) => r.priority === 10500)).toEqual({ family: 4, priority: 10500, dst: "10.99.0.0/16", table: 250 });
    expect(rules.find((r) => r.priority === 5000)).toEqual({ family: 4, priority: 5000, src: "192.168.1.101/32", table: 300 });
  });
  it("a foreign rule inside 10000-10999 is foreign", () => {
    const o = classify(fixture("ip-rule-foreign-gateway.json"), "[]", "");
    expect(o.foreign.rules.map((r) => r.priority)).toEqual([0, 5000, 10500, 32766, 32767]);
    expect(o.rules.every((r) => r.protocol === "201")).toBe(true);
  });
  it("`ip -d` unspec/kernel is the same as no protocol", () => {
    expect(parseIpRuleJson('[{"priority":1,"src":"all","table":"main","protocol":"unspec"}]')).toEqual([{ family: 4, priority: 1, table: 254 }]);
  });
});

describe("iptables spec", () => {
  it("reads a full-mark write as iptables-save prints it", () => {
    expect(parseIptSpec("-s 192.168.1.103/32 -j MARK --set-xmark 0x100/0xffffffff")).toMatchObject({
      src: "192.168.1.103/32",
      target: "MARK",
      setMark: { value: 0x100, mask: 0xffffffff },
    });
  });
  it("keeps negations apart", () => {
    const s = parseIptSpec("-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE");
    expect(s).toMatchObject({ src: "172.17.0.0/16", negated: ["-o"], target: "MASQUERADE" });
    expect(s.out).toBeUndefined();
  });
  it("reads connmark restores with their masks, and accounting rules", () => {
    expect(parseIptSpec("-i eth0 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff").connmarkOp).toEqual({ op: "restore", nfmask: 0xff, ctmask: 0xff });
    expect(parseAccountingRule("-o eth1")).toEqual({ direction: "out", dev: "eth1" });
    expect(parseAccountingRule("-o eth1 -j X")).toBeNull();
  });
});

describe("conntrack tuples", () => {
  const flows = parseConntrack(fixture("conntrack-list.txt"));
  it("reads the reply tuple's destination: the address the flow was NATed to", () => {
    expect(flows[0]).toMatchObject({ proto: "tcp", src: "192.168.1.101", dst: "198.18.0.1", replyDst: "198.51.100.10", mark: 2 });
    expect(parseConntrack("")).toEqual([]);
  });
  it("a flow that left through the wrong ISP, or un-NATed, is evidence against the host", () => {
    const isp2 = classicOffice.isps[1];
    const s = { name: "laptop", address: "192.168.1.101", isps: [isp2], unreachable: false, because: null };
    expect(flowEvidence(classicOffice, s, [flows[0]]).wrong).toEqual([]);
    const wrong = flowEvidence(classicOffice, s, [{ ...flows[0], replyDst: "203.0.113.10" }]).wrong;
    expect(wrong[0]).toMatch(/with ISP2's mark 0x2 left as 203\.0\.113\.10 \(ISP1\); expected 198\.51\.100\.10/);
    // another ISP's mark: made under an earlier ruleset, history rather than evidence
    expect(flowEvidence(classicOffice, s, [{ ...flows[0], replyDst: "203.0.113.10", mark: 1 }])).toEqual({ checked: 0, stale: 1, wrong: [] });
    expect(flowEvidence(classicOffice, s, [{ ...flows[0], replyDst: "192.168.1.101" }]).wrong[0]).toMatch(/left un-NATed/);
  });
  it("picks a LAN address no host uses for the unlisted hosts", () => expect(unlistedAddress(classicOffice)).toBe("192.168.1.254"));
});

describe("ip -json link", () => {
  it("UP without carrier is down for traffic but takes routes; not UP takes none", () => {
    const links = parseIpLinkJson(
      '[{"ifname":"eth1","flags":["NO-CARRIER","BROADCAST","UP"]},{"ifname":"ppp0","flags":["POINTOPOINT"]},{"ifname":"eth0","flags":["UP","LOWER_UP"]}]',
    );
    expect(links).toEqual([
      { name: "eth1", up: true, carrier: false, operstate: "UNKNOWN" },
      { name: "ppp0", up: false, carrier: false, operstate: "UNKNOWN" },
      { name: "eth0", up: true, carrier: true, operstate: "UNKNOWN" },
    ]);
  });
});

describe("sysctls", () => {
  const values = (o: Record<string, number>) => new Map(Object.entries(o).map(([k, v]) => [k, String(v)]));
  it("forwarding off is refused with the setting to change", () => {
    expect(sysctlProblems(values({ "net.ipv4.ip_forward": 0 }), []).problems[0]).toMatch(/net\.ipv4\.ip_forward=1/);
  });
  it("any rp_filter with src_valid_mark=0 is not refused: the apply sets src_valid_mark=1 and says so in the plan", () => {
    for (const rp of [0, 1, 2]) {
      const v = values({ "net.ipv4.ip_forward": 1, "net.ipv4.conf.all.rp_filter": rp, "net.ipv4.conf.all.src_valid_mark": 0 });
      expect(sysctlProblems(v, ["eth0", "eth1"]).problems).toEqual([]);
      const changes = sysctlChanges(v);
      expect(changes).toMatchObject([{ key: "net.ipv4.conf.all.src_valid_mark", from: "0", to: "1" }]);
      expect(sysctlLine(changes[0]).text).toMatch(/^sysctl net\.ipv4\.conf\.all\.src_valid_mark: 0 -> 1 \(replies pass the reverse-path check/);
    }
    expect(sysctlChanges(values({ "net.ipv4.conf.all.src_valid_mark": 1 }))).toEqual([]);
  });
  it("parses `sysctl` output", () =>
    expect(parseSysctl("net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.rp_filter = 2\n").get("net.ipv4.conf.all.rp_filter")).toBe("2"));
});

describe("override lint", () => {
  const save = (mangle: string[], nat: string[]) =>
    [
      "*mangle",
      ":PREROUTING ACCEPT [0:0]",
      ":SWYD-PRE - [0:0]",
      ":SWYD-TAIL - [0:0]",
      ...mangle,
      "COMMIT",
      "*nat",
      ":POSTROUTING ACCEPT [0:0]",
      ":SWYD-POST - [0:0]",
      ...nat,
      "COMMIT",
      "",
    ].join("\n");
  const rules =
    '[{"priority":0,"src":"all","table":"255"},{"priority":5000,"src":"192.168.1.101","table":"300"},{"priority":6000,"src":"10.0.0.0","srclen":8,"table":"52"},{"priority":10000,"src":"all","dst":"192.168.1.0","dstlen":24,"table":"254","protocol":"201"},{"priority":32766,"src":"all","table":"254"}]';
  it("names an ip rule before Switchyard's that matches a LAN host, not others", () => {
    const o = lintOverrides(classicOffice, classify(rules, "[]", save([], [])));
    expect(o).toEqual([
      {
        kind: "rule",
        object: "ip rule priority 5000 from 192.168.1.101/32 lookup 300",
        effect: "decides before Switchyard's rules (table 300)",
        hosts: ["192.168.1.101"],
      },
    ]);
  });
  it("a full-mark write after the jump: neutralised before the re-assertion, an override after it", () => {
    const write = "-A PREROUTING -s 192.168.1.100/32 -j MARK --set-xmark 0x100/0xffffffff";
    const before = lintOverrides(classicOffice, classify(rules, "[]", save(["-A PREROUTING -j SWYD-PRE", write, "-A PREROUTING -j SWYD-TAIL"], [])));
    expect(before.filter((x) => x.kind === "mangle")).toMatchObject([{ neutralised: true, hosts: ["192.168.1.100"] }]);
    const after = lintOverrides(classicOffice, classify(rules, "[]", save(["-A PREROUTING -j SWYD-PRE", "-A PREROUTING -j SWYD-TAIL", write], [])));
    expect(after.filter((x) => x.kind === "mangle")).toMatchObject([{ neutralised: false, hosts: ["192.168.1.100"] }]);
    // a write outside Switchyard's bits is no override
    const high = lintOverrides(
      classicOffice,
      classify(rules, "[]", save(["-A PREROUTING -j SWYD-PRE", "-A PREROUTING -j SWYD-TAIL", "-A PREROUTING -j MARK --set-xmark 0x100/0xff00"], [])),
    );
    expect(high.filter((x) => x.kind === "mangle")).toEqual([]);
  });
  it("a NAT rule before Switchyard's chain that takes LAN traffic, not a container's", () => {
    const o = lintOverrides(
      classicOffice,
      classify(
        rules,
        "[]",
        save([], ["-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE", "-A POSTROUTING -o eth1 -j MASQUERADE", "-A POSTROUTING -j SWYD-POST"]),
      ),
    );
    expect(o.filter((x) => x.kind === "nat")).toMatchObject([{ object: "iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE", hosts: ["192.168.1.101"] }]);
  });
});

describe("validation: point-to-point ISPs", () => {
  it("accepts a /32 address whose gateway is outside it", () => {
    const cfg: GatewayConfig = structuredClone(classicOffice);
    Object.assign(cfg.isps[1], { linkAddress: "100.64.7.2", linkPrefix: 32, gatewayAddress: "100.64.0.1", natMode: "MASQUERADE" });
    cfg.natAddresses = cfg.natAddresses.filter((n) => n.isp !== "ISP2");
    expect(validateConfig(cfg).ok).toBe(true);
  });
  it("still refuses a /24 gateway outside its subnet", () => {
    const cfg: GatewayConfig = structuredClone(classicOffice);
    cfg.isps[1].gatewayAddress = "100.64.0.1";
    expect(validateConfig(cfg).ok).toBe(false);
  });
});
