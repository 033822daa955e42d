import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeIptSpec, parseIptablesSave } from "@/lib/net/parse/iptables-save";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel", name), "utf8");

describe("parseIptablesSave (iptables-save -c, captured)", () => {
  const { chains, policies } = parseIptablesSave(fixture("iptables-save.txt"));
  const chain = (table: string, name: string) => chains.find((c) => c.table === table && c.name === name);

  it("lists chains as declared: built-ins first, then user chains by name", () => {
    expect(chains.map((c) => `${c.table}/${c.name}`)).toEqual([
      "mangle/PREROUTING",
      "mangle/INPUT",
      "mangle/FORWARD",
      "mangle/OUTPUT",
      "mangle/POSTROUTING",
      "mangle/SWYD-MARK",
      "mangle/SWYD-PRE",
      "nat/PREROUTING",
      "nat/INPUT",
      "nat/OUTPUT",
      "nat/POSTROUTING",
      "nat/DOCKER",
      "nat/SWYD-POST",
    ]);
  });

  it("keeps rules in order with their counters", () => {
    expect(chain("mangle", "PREROUTING")?.rules).toEqual([{ spec: "-j SWYD-PRE", packets: 5, bytes: 175 }]);
    expect(chain("mangle", "SWYD-PRE")?.rules).toEqual([
      { spec: "-i eth0 -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x1/0xff", packets: 0, bytes: 0 },
      { spec: "-i lan0 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff", packets: 5, bytes: 175 },
      { spec: "-i lan0 -m mark ! --mark 0x0/0xff -j RETURN", packets: 3, bytes: 105 },
      { spec: "-i lan0 -j SWYD-MARK", packets: 2, bytes: 70 },
      { spec: "-i lan0 -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff", packets: 2, bytes: 70 },
    ]);
    expect(chain("mangle", "SWYD-MARK")?.rules.map((r) => r.spec)).toEqual([
      "-s 192.168.1.100/32 -j MARK --set-xmark 0x1/0xff",
      "-m mark --mark 0x0/0xff -j MARK --set-xmark 0x2/0xff",
    ]);
    expect(chain("nat", "POSTROUTING")?.rules.map((r) => r.spec)).toEqual(["-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE", "-j SWYD-POST"]);
    expect(chain("nat", "SWYD-POST")?.rules).toEqual([
      { spec: "-s 192.168.1.100/32 -o eth0 -j SNAT --to-source 203.0.113.11", packets: 1, bytes: 35 },
      { spec: "-s 192.168.1.0/24 -o eth0 -j SNAT --to-source 203.0.113.10", packets: 0, bytes: 0 },
      { spec: "-s 192.168.1.0/24 -o eth1 -j MASQUERADE", packets: 1, bytes: 35 },
    ]);
    expect(chain("nat", "DOCKER")?.rules.map((r) => r.spec)).toEqual(["-i docker0 -j RETURN"]);
    expect(chain("mangle", "INPUT")?.rules).toEqual([]);
  });

  it("reports built-in policies only", () => {
    expect(policies).toHaveLength(9);
    expect(policies[0]).toEqual({ table: "mangle", chain: "PREROUTING", policy: "ACCEPT", packets: 0, bytes: 0 });
    expect(policies.some((p) => p.chain.startsWith("SWYD-"))).toBe(false);
  });

  it("reads a brand-new namespace (no output at all)", () => {
    expect(fixture("iptables-save-empty-ns.txt")).toBe("");
    expect(parseIptablesSave("")).toEqual({ chains: [], policies: [] });
  });

  it("skips tables Switchyard does not manage, reads output without counters", () => {
    const text = [
      "*raw",
      ":PREROUTING ACCEPT [1:2]",
      ":X - [0:0]",
      "-A X -j ACCEPT",
      "COMMIT",
      "*nat",
      ":POSTROUTING ACCEPT",
      "-A POSTROUTING",
      "-A POSTROUTING  -o eth1   -j MASQUERADE",
      "COMMIT",
      "",
    ].join("\n");
    expect(parseIptablesSave(text)).toEqual({
      chains: [{ table: "nat", name: "POSTROUTING", rules: [{ spec: "" }, { spec: "-o eth1 -j MASQUERADE" }] }],
      policies: [{ table: "nat", chain: "POSTROUTING", policy: "ACCEPT", packets: 0, bytes: 0 }],
    });
  });

  it("throws a clear error on malformed input", () => {
    expect(() => parseIptablesSave("-A X -j RETURN")).toThrow(/line 1: outside of a table/);
    expect(() => parseIptablesSave("*nat\n:X - [0:0]\nbogus\nCOMMIT")).toThrow(/line 3: cannot parse: "bogus"/);
    expect(() => parseIptablesSave("*nat\n-A Y -j RETURN\nCOMMIT")).toThrow(/line 2: rule for undeclared chain Y/);
    expect(() => parseIptablesSave("*nat\n:X - [0:0]\n")).toThrow(/table nat has no COMMIT/);
    expect(() => parseIptablesSave("*nat\n*mangle\n")).toThrow(/line 2: table starts before COMMIT/);
  });
});

describe("normalizeIptSpec", () => {
  it("only trims and collapses whitespace outside quotes", () => {
    expect(normalizeIptSpec("  -s 10.0.0.1/32\t -j   RETURN ")).toBe("-s 10.0.0.1/32 -j RETURN");
    expect(normalizeIptSpec('-m comment --comment "a  b"   -j RETURN')).toBe('-m comment --comment "a  b" -j RETURN');
    expect(normalizeIptSpec('--comment "say \\"hi  there\\""  -j X')).toBe('--comment "say \\"hi  there\\"" -j X');
    // no semantic normalisation: these stay different
    expect(normalizeIptSpec("-s 10.0.0.1 -j RETURN")).not.toBe(normalizeIptSpec("-s 10.0.0.1/32 -j RETURN"));
  });

  it("is a no-op on everything iptables-save printed (captured variants)", () => {
    const variants: { printed: string }[] = JSON.parse(fixture("iptables-variants.json"));
    for (const v of variants) expect(normalizeIptSpec(v.printed)).toBe(v.printed);
  });
});
