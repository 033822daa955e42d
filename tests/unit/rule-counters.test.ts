// The Live page's chain tables on captured `nft -j list table inet switchyard` output
// (tests/fixtures/kernel/nft-table.json): a rule without a counter statement (the NAT rules)
// reads "no counter", never "0 / 0 B / 0/s" as if it never matched; a rule with a counter
// shows it, zero included. iptables counts every rule, so its tables always show counters.
import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ChainTable, packetRates } from "@/components/kernel/tables";
import { ruleCounters } from "@/components/kernel/format";
import type { LiveSnapshot } from "@/lib/engine/live-types";
import { parseIptablesSave } from "@/lib/net/parse/iptables-save";
import { parseNftTableJson } from "@/lib/net/parse/nft-json";
import type { IptChain } from "@/lib/net/types";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", "kernel", name), "utf8");
/** the captured table, with traffic counted by the first accounting rule */
const nft = () =>
  parseNftTableJson(fixture("nft-table.json").replace('{"counter": {"packets": 0, "bytes": 0}}', '{"counter": {"packets": 7, "bytes": 8400}}')).chains;
const chain = (chains: IptChain[], name: string) => chains.find((c) => c.name === name)!;

/** the text of each body row's cells */
function rows(c: IptChain, rates = new Map<string, number>()): string[][] {
  const html = renderToStaticMarkup(createElement(ChainTable, { chain: c, owned: true, rates }));
  const body = html.slice(html.indexOf("<tbody"));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((d) => d[1].replace(/<[^>]+>/g, "").trim()));
}

describe("rule counters in the chain tables", () => {
  it("NAT rules without a counter read 'no counter', not 0 packets / 0 B / 0/s", () => {
    const post = rows(chain(nft(), "SWYD-POST"));
    expect(post).toHaveLength(2);
    for (const r of post) {
      expect(r.slice(2)).toEqual(["no counter"]);
      expect(r.join(" ")).not.toMatch(/\b0 B\b|0\/s/);
    }
  });

  it("a rule with a counter shows it, zero included", () => {
    const acct = rows(chain(nft(), "SWYD-ACCT"));
    expect(acct[0].slice(2, 4)).toEqual(["7", "8.40 kB"]);
    expect(acct[1].slice(2, 4)).toEqual(["0", "0 B"]);
  });

  it("no packet rate for a rule that counts nothing", () => {
    const snap = (chains: IptChain[], at: string) => ({ observedAt: at, owned: { chains }, foreign: { chains: [] }, builtins: [] }) as unknown as LiveSnapshot;
    const rates = packetRates(snap(nft(), "2026-12-07T10:00:02Z"), snap(parseNftTableJson(fixture("nft-table.json")).chains, "2026-12-07T10:00:00Z"));
    const post = chain(nft(), "SWYD-POST");
    expect([...rates.keys()].some((k) => k.includes("SWYD-POST"))).toBe(false);
    expect(rows(post, rates)[0].slice(2)).toEqual(["no counter"]);
    expect(rows(chain(nft(), "SWYD-ACCT"), rates)[0][4]).toBe("3.5/s");
  });

  it("iptables rules always carry counters (iptables-save -c), shown as counted", () => {
    const chains = parseIptablesSave(fixture("live-iptables-save.txt")).chains;
    const withRules = chains.filter((c) => c.rules.length > 0);
    expect(withRules.length).toBeGreaterThan(0);
    for (const c of withRules) for (const r of rows(c)) expect(r).toHaveLength(5);
    expect(ruleCounters({ spec: "x" } as { packets?: number })).toBeNull();
    expect(ruleCounters({ packets: 0, bytes: 0 })).toEqual({ packets: 0, bytes: 0 });
  });
});
