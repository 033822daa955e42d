// The override lint over every netfilter table: `nft -j list ruleset` and legacy iptables
// captured from a hand-made gateway that Switchyard applied to, with foreign tables added
// (scripts/capture-foreign-nat-fixtures.ts), once per backend. Which rule decides before
// Switchyard's is a matter of hook priority; the kernel tests (tests/kernel/foreign-nat.test.ts)
// prove the same cases with packets.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { handmadeConfig } from "@/lib/lab/handmade";
import { lintOverrides, overridesOf } from "@/lib/net/lint";
import { iptRule } from "@/lib/net/firewall/lint-hooks";
import { classify } from "@/lib/net/observe";
import { describeRule, parseNftRuleset } from "@/lib/net/parse/nft-ruleset";
import { NFT_TABLE } from "@/lib/net/types";

const fixture = (n: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel", n), "utf8");
const observed = (backend: "iptables" | "nftables", legacy = true) => {
  const ruleset = fixture(`foreign-${backend}-nft-ruleset.json`);
  return classify(
    fixture(`foreign-${backend}-ip-rule.json`),
    fixture(`foreign-${backend}-ip-route.json`),
    fixture(`foreign-${backend}-iptables-save.txt`),
    undefined,
    { table: backend === "nftables" ? ruleset : null, tables: ruleset },
    legacy ? { variant: "iptables-legacy", save: fixture(`foreign-${backend}-iptables-legacy-save.txt`) } : undefined,
  );
};
const snat = (table: string) =>
  `nft table ip nat chain postrouting (hook postrouting priority 0): oifname "enp1s0" ip saddr 10.20.0.0/24 snat to 203.0.113.3`.replace("ip nat", table);

describe("nft rules reduced to what the lint needs", () => {
  it("reads sources (prefix, address, set), interfaces, NAT and the mark bits written", () => {
    expect(
      describeRule([
        { match: { op: "==", left: { meta: { key: "oifname" } }, right: "enp1s0" } },
        { match: { op: "==", left: { payload: { protocol: "ip", field: "saddr" } }, right: { prefix: { addr: "10.20.0.0", len: 24 } } } },
        { snat: { addr: "203.0.113.3" } },
      ]),
    ).toEqual({
      text: 'oifname "enp1s0" ip saddr 10.20.0.0/24 snat to 203.0.113.3',
      oif: ["enp1s0"],
      src: ["10.20.0.0/24"],
      nat: "203.0.113.3",
      writesMark: 0,
      writesCtMark: 0,
    });
    expect(
      describeRule([
        {
          match: {
            op: "==",
            left: { payload: { protocol: "ip", field: "saddr" } },
            right: { set: [{ prefix: { addr: "10.20.0.0", len: 28 } }, "10.20.0.50"] },
          },
        },
        { mangle: { key: { meta: { key: "mark" } }, value: 7 } },
      ]),
    ).toMatchObject({ src: ["10.20.0.0/28", "10.20.0.50"], writesMark: 0xffffffff });
    // `ct mark set ct mark & 0xffffff00 | 0x3`: only the low byte
    expect(describeRule([{ mangle: { key: { ct: { key: "mark" } }, value: { "|": [{ "&": [{ ct: { key: "mark" } }, 4294967040] }, 3] } } }]).writesCtMark).toBe(
      0xff,
    );
    // `meta mark set meta mark | 0x100`: bit 8 only
    expect(describeRule([{ mangle: { key: { meta: { key: "mark" } }, value: { "|": [{ meta: { key: "mark" } }, 256] } } }]).writesMark).toBe(0x100);
  });
  it("leaves out what it cannot place: a destination, a mark match, IPv6", () => {
    expect(describeRule([{ match: { op: "==", left: { payload: { protocol: "ip", field: "daddr" } }, right: "8.8.8.8" } }, { masquerade: null }]).opaque).toBe(
      "a destination match",
    );
    expect(describeRule([{ match: { op: "==", left: { "&": [{ meta: { key: "mark" } }, 65536] }, right: 65536 } }, { masquerade: null }]).opaque).toBe(
      "a meta mark match",
    );
    expect(describeRule([{ match: { op: "==", left: { ct: { key: "state" } }, right: ["new"] } }, { masquerade: null }]).opaque).toBeUndefined();
  });
  it("reads iptables rules the same way", () => {
    expect(iptRule("-s 10.20.0.50/32 -o enp1s0 -j SNAT --to-source 203.0.113.3")).toMatchObject({
      src: ["10.20.0.50/32"],
      oif: ["enp1s0"],
      nat: "203.0.113.3",
    });
    expect(iptRule("-j MARK --set-xmark 0x100/0xff00").writesMark).toBe(0xff00);
    expect(iptRule("-j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff").writesCtMark).toBe(0xff);
  });
  it("empty input: no chains", () => {
    expect(parseNftRuleset("", NFT_TABLE)).toEqual([]);
    expect(parseNftRuleset('{"nftables": [{"metainfo": {"version": "1.0.6"}}]}', NFT_TABLE)).toEqual([]);
  });
});

describe("the captured ruleset: every table but Switchyard's, iptables-nft's chains not twice", () => {
  for (const backend of ["iptables", "nftables"] as const) {
    it(`${backend}: chains of ip and inet tables, ip6 ones and Switchyard's left out`, () => {
      const chains = observed(backend).foreign.nftChains!.map((c) => `${c.family} ${c.table} ${c.name}${c.hook ? ` ${c.hook} ${c.priority}` : ""}`);
      expect(chains).toContain("ip nat postrouting postrouting 0");
      expect(chains).toContain("inet marks setmark");
      expect(chains.some((c) => c.startsWith("inet switchyard") || c.startsWith("ip6 "))).toBe(false);
      // iptables-nft's own chains (opaque xt objects there) are read from iptables-save
      expect(chains.some((c) => /^ip (nat|mangle|filter) [A-Z]+/.test(c))).toBe(false);
      expect(
        observed(backend)
          .foreign.otherIptables?.chains.find((c) => c.table === "nat" && c.name === "POSTROUTING")
          ?.rules.map((r) => r.spec),
      ).toEqual(["-s 10.20.0.50/32 -o enp1s0 -j SNAT --to-source 203.0.113.3"]);
    });
  }
});

describe("which foreign rule decides before Switchyard's", () => {
  it("iptables backend: the priority-0 snat (in iptables-nft's own ip nat table), the legacy SNAT at the same priority, the early mark write (cleared), the mark write after SWYD-TAIL", () => {
    const o = lintOverrides(handmadeConfig, observed("iptables"));
    expect(o.map((x) => [x.object, x.hosts, x.neutralised ?? false])).toEqual([
      [snat("ip nat"), ["10.20.0.50", "10.20.0.254"], false],
      [
        "iptables-legacy -t nat -A POSTROUTING (hook postrouting priority 100): -s 10.20.0.50/32 -o enp1s0 -j SNAT --to-source 203.0.113.3",
        ["10.20.0.50"],
        false,
      ],
      ["nft table inet marks chain setmark (hook prerouting priority -200): meta mark set meta mark & 0xffffff03 | 0x00000003", ["10.20.0.60"], true],
      ['nft table inet marks chain between (hook prerouting priority -145): iifname "br-lan" meta mark set 0x00000007', ["*"], false],
    ]);
    expect(o[0].effect).toMatch(
      /^NATs to 203\.0\.113\.3 LAN traffic leaving enp1s0 before Switchyard's iptables nat POSTROUTING -j SWYD-POST \(priority 100\)/,
    );
    expect(o[1].effect).toMatch(/at the same priority as \(the kernel runs them in the order they were made\)/);
    expect(o[2].effect).toMatch(/before Switchyard's marking; cleared by SWYD-PRE's connection-mark restore/);
    expect(o[3].effect).toMatch(/after its marking and its re-assertion: the host is routed by another mark/);
    expect(overridesOf(o, "10.20.0.60").map((x) => x.kind)).toEqual(["mangle"]);
  });
  it("nftables backend: the legacy SNAT runs after SWYD-POST (95) and the mark write between SWYD-PRE and SWYD-TAIL is undone", () => {
    const o = lintOverrides(handmadeConfig, observed("nftables"));
    expect(o.map((x) => [x.object, x.hosts, x.neutralised ?? false])).toEqual([
      [snat("ip nat"), ["10.20.0.50", "10.20.0.254"], false],
      ["nft table inet marks chain setmark (hook prerouting priority -200): meta mark set meta mark & 0xffffff03 | 0x00000003", ["10.20.0.60"], false],
      ['nft table inet marks chain between (hook prerouting priority -145): iifname "br-lan" meta mark set 0x00000007', ["*"], true],
    ]);
    expect(o[0].effect).toMatch(/before Switchyard's SWYD-POST \(priority 95\)/);
    expect(o[1].effect).toMatch(/before Switchyard's marking \(priority -150\), which leaves a marked packet alone/);
    expect(o[2].effect).toMatch(/undone by SWYD-TAIL \(priority -140\)/);
    expect(overridesOf(o, "10.20.0.50").map((x) => x.kind)).toEqual(["nat"]);
  });
  it("no legacy tables: nothing from them", () => {
    expect(lintOverrides(handmadeConfig, observed("iptables", false)).some((x) => x.object.startsWith("iptables-legacy"))).toBe(false);
  });
  it("an snat to the address Switchyard gives anyway decides nothing", () => {
    const o = observed("nftables");
    const same = {
      ...o,
      foreign: {
        ...o.foreign,
        nftChains: o.foreign.nftChains!.map((c) => ({ ...c, rules: c.rules.map((r) => (r.nat === "203.0.113.3" ? { ...r, nat: "203.0.113.2" } : r)) })),
      },
    };
    expect(lintOverrides(handmadeConfig, same).filter((x) => x.kind === "nat")).toEqual([]);
  });
});
