import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseIpRuleJson } from "@/lib/net/parse/ip-rule";
import { parseRtTables } from "@/lib/net/parse/rt-tables";
import { goldenPairs, parseFixture } from "../helpers/parse-golden";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel", name), "utf8");
const byPriority = (rules: ReturnType<typeof parseIpRuleJson>, p: number) => rules.find((r) => r.priority === p);

describe("parseIpRuleJson (ip -json rule show, captured)", () => {
  const rules = parseIpRuleJson(fixture("ip-rule.json"));

  it("keeps every rule in kernel order", () => {
    expect(rules.map((r) => r.priority)).toEqual([0, 5210, 5220, 5230, 5240, 10000, 10050, 10100, 10101, 10200, 10201, 32766, 32767]);
  });

  it("maps Switchyard's rules", () => {
    expect(byPriority(rules, 10000)).toEqual({ family: 4, priority: 10000, dst: "192.168.1.0/24", table: 254, protocol: "201" });
    expect(byPriority(rules, 10050)).toEqual({ family: 4, priority: 10050, table: 254, suppressPrefixLength: 0, protocol: "201" });
    expect(byPriority(rules, 10100)).toEqual({ family: 4, priority: 10100, fwmark: 1, fwmask: 0xff, table: 100, protocol: "201" });
    expect(byPriority(rules, 10101)).toEqual({ family: 4, priority: 10101, fwmark: 2, fwmask: 0xff, table: 200, protocol: "201" });
    // `ip` prints a /32 source as a bare address: "from 203.0.113.10"
    expect(byPriority(rules, 10200)).toEqual({ family: 4, priority: 10200, src: "203.0.113.10/32", table: 100, protocol: "201" });
    expect(byPriority(rules, 10201)).toEqual({ family: 4, priority: 10201, src: "198.51.100.10/32", table: 200, protocol: "201" });
  });

  it("maps foreign rules, including those without a table", () => {
    expect(byPriority(rules, 0)).toEqual({ family: 4, priority: 0, table: 255 });
    expect(byPriority(rules, 5210)).toEqual({ family: 4, priority: 5210, fwmark: 0x80000, fwmask: 0xff0000, table: 52 });
    expect(byPriority(rules, 5220)).toEqual({ family: 4, priority: 5220, fwmark: 0x40000, fwmask: 0xff0000, table: 0, action: "goto", goto: 32766 });
    expect(byPriority(rules, 5230)).toEqual({ family: 4, priority: 5230, src: "10.0.0.0/8", iif: "eth1", table: 0, action: "unreachable" });
    expect(byPriority(rules, 5240)).toEqual({ family: 4, priority: 5240, not: true, src: "10.0.0.0/8", table: 52 });
    expect(byPriority(rules, 32767)).toEqual({ family: 4, priority: 32767, table: 253 });
  });

  it("gives the same result for named (rt_tables), numeric (-N) and detailed (-d) output", () => {
    const names = parseRtTables(fixture("rt_tables"));
    expect(parseIpRuleJson(fixture("ip-rule-named.json"), names)).toEqual(rules);
    expect(parseIpRuleJson(fixture("ip-rule-numeric.json"))).toEqual(rules);
    expect(parseIpRuleJson(fixture("ip-rule-details.json"), names)).toEqual(rules);
  });

  it("refuses a table name it cannot resolve", () => {
    expect(() => parseIpRuleJson(fixture("ip-rule-named.json"))).toThrow(/unknown routing table name "isp1"/);
  });

  it("reads a brand-new namespace and empty output", () => {
    expect(parseIpRuleJson(fixture("ip-rule-empty-ns.json"))).toEqual([
      { family: 4, priority: 0, table: 255 },
      { family: 4, priority: 32766, table: 254 },
      { family: 4, priority: 32767, table: 253 },
    ]);
    expect(parseIpRuleJson("")).toEqual([]);
    expect(parseIpRuleJson(" \n")).toEqual([]);
  });

  it("treats a mark without mask as a full mask and keeps unmodelled selectors in extra", () => {
    const text = JSON.stringify([
      { priority: 109, src: "all", fwmark: "0x5", table: "main" },
      { priority: 107, src: "10.9.9.9", dst: "10.8.8.8", tos: "0x10", ipproto: "tcp", dport: 443, table: "main" },
      { priority: 104, src: "all", action: "8" },
      { priority: 300, src: "all", goto: 301, unresolved: null },
    ]);
    expect(parseIpRuleJson(text)).toEqual([
      { family: 4, priority: 109, fwmark: 5, fwmask: 0xffffffff, table: 254 },
      { family: 4, priority: 107, src: "10.9.9.9/32", dst: "10.8.8.8/32", table: 254, extra: { tos: "0x10", ipproto: "tcp", dport: 443 } },
      { family: 4, priority: 104, table: 0, action: "prohibit" },
      { family: 4, priority: 300, table: 0, action: "goto", goto: 301 },
    ]);
  });

  it("throws a clear error on malformed output", () => {
    expect(() => parseIpRuleJson('[{"priority":0,')).toThrow(/ip rule: output is not valid JSON/);
    expect(() => parseIpRuleJson('{"priority":0}')).toThrow(/ip rule: expected a JSON array of objects/);
    expect(() => parseIpRuleJson('[{"src":"all"}]')).toThrow(/ip rule: entry without priority/);
    expect(() => parseIpRuleJson('[{"priority":1,"fwmark":"zz","table":"main"}]')).toThrow(/ip rule: bad mark "zz"/);
  });
});

describe("ip -4|-6 -N -json rule show (tests/fixtures/parse/ip-rule)", () => {
  // v6.txt was read with `ip -6`: the case name says the family
  goldenPairs("ip-rule", (text, name) => parseIpRuleJson(text, undefined, name.startsWith("v6") ? 6 : 4));
  it("tags every rule with the family the command was built for", () => {
    expect(parseIpRuleJson(parseFixture("ip-rule", "v6.txt"), undefined, 6).map((r) => r.family)).toEqual([6, 6, 6]);
    expect(parseIpRuleJson("", undefined, 6)).toEqual([]);
  });
});
