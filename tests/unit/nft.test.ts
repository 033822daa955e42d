// The nftables backend without a kernel: the renderer against golden files, the JSON printer
// against what nft itself printed for the same table (captured: tests/fixtures/kernel/nft-*),
// and the transaction the planner writes.
import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { render } from "@/lib/net/render";
import { classicOffice, threeIsps } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { parseNftTableJson, parseNftTables } from "@/lib/net/parse/nft-json";
import { planChanges } from "@/lib/net/plan";
import { nftInput } from "@/lib/net/firewall/nftables";
import type { KernelState } from "@/lib/net/types";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", "kernel", name), "utf8");
const golden = (name: string, actual: string) => {
  const file = path.join(import.meta.dirname, "..", "golden", name);
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, "utf8"));
};
const nft = (c: GatewayConfig): GatewayConfig => ({ ...structuredClone(c), settings: { ...c.settings, firewall: "nftables" } });

/** The configuration the captured table was applied from: the classic office, a balanced and a sticky policy. */
function capturedConfig(): GatewayConfig {
  const c = nft(classicOffice);
  c.policies = [
    {
      name: "bal",
      members: [
        { isp: "ISP1", tier: 1, weight: 2 },
        { isp: "ISP2", tier: 1, weight: 1 },
      ],
      sticky: false,
      lastResort: null,
      notes: "",
    },
    {
      name: "stk",
      members: [
        { isp: "ISP1", tier: 1, weight: 1 },
        { isp: "ISP2", tier: 1, weight: 3 },
      ],
      sticky: true,
      lastResort: null,
      notes: "",
    },
  ];
  c.hosts[0] = { ...c.hosts[0], isp: null, policy: "bal" };
  return c;
}

const empty: KernelState & { nftTable: boolean } = { rtTables: [], routes: [], rules: [], chains: [], hooks: [], sets: [], nftTable: false };
const firewallOnly = (s: KernelState): KernelState => ({ ...s, routes: [], rules: [] });

describe("nftables render", () => {
  it("matches the golden script and nft -f input byte for byte", () => {
    const out = render(nft(classicOffice));
    expect(out.firewall).toBe("nftables");
    golden("classic-office-nft.sh", out.script);
    golden("classic-office.nft", out.firewallInput);
    golden("three-isps.nft", render(nft(threeIsps)).firewallInput);
  });

  it("puts hosts in one verdict map and hooks nothing of anyone else's", () => {
    const out = render(nft(classicOffice));
    const hosts = out.state.sets!.find((s) => s.name === "SWYD-HOSTS")!;
    expect(hosts).toMatchObject({ type: "ipv4_addr", map: "verdict", counter: true });
    expect(hosts.elements).toEqual([
      { key: "192.168.1.100", value: "jump SWYD-ISP100" },
      { key: "192.168.1.101", value: "jump SWYD-ISP200" },
    ]);
    expect(out.state.hooks).toEqual([]);
    expect(out.state.chains.every((c) => c.table === "nft")).toBe(true);
    // one rule looks every host up, whatever their number
    expect(out.state.chains.find((c) => c.name === "SWYD-MARK")!.rules.map((r) => r.spec)).toEqual([
      "ip saddr vmap @SWYD-HOSTS",
      "meta mark & 0x000000ff == 0x00000000 jump SWYD-ISP100",
    ]);
    expect(out.firewallInput).not.toMatch(/flush ruleset|table ip /);
  });

  it("balances with numgen and sticks with jhash, each picking a chain that keeps the other mark bits", () => {
    const s = render(capturedConfig()).state;
    expect(s.chains.find((c) => c.name === "SWYD-P-bal")!.rules[0].spec).toBe("numgen random mod 3 vmap { 0-1 : jump SWYD-M1, 2 : jump SWYD-M2 }");
    expect(s.chains.find((c) => c.name === "SWYD-P-stk")!.rules[0].spec).toBe(
      "jhash ip saddr . ip daddr mod 4 seed 0x5759 vmap { 0 : jump SWYD-M1, 1-3 : jump SWYD-M2 }",
    );
    expect(s.chains.find((c) => c.name === "SWYD-M1")!.rules[0].spec).toBe("meta mark set meta mark & 0xffffff01 | 0x00000001");
  });
});

describe("nft -j list table: parsed and printed as nft prints it", () => {
  const parsed = parseNftTableJson(fixture("nft-table.json"));
  const listing = fixture("nft-table.txt")
    .split("\n")
    .map((l) => l.trim().replace(/ counter packets \d+ bytes \d+/g, " counter"));

  it("prints every rule exactly as nft list prints it (counters apart)", () => {
    const rules = parsed.chains.flatMap((c) => c.rules.map((r) => r.spec));
    expect(rules.length).toBeGreaterThan(20);
    for (const spec of rules) expect(listing).toContain(spec);
  });

  it("reads base chains, sets with their elements and counters", () => {
    expect(parsed.chains.find((c) => c.name === "SWYD-POST")!.base).toEqual({ type: "nat", hook: "postrouting", priority: 95, policy: "accept" });
    expect(parsed.chains.find((c) => c.name === "SWYD-MARK")!.base).toBeUndefined();
    const hosts = parsed.sets.find((s) => s.name === "SWYD-HOSTS")!;
    expect(hosts.elements[0]).toEqual({ key: "192.168.1.100", value: "jump SWYD-P-bal", packets: 0, bytes: 0 });
    expect(parsed.sets.find((s) => s.name === "SWYD-RESTORE")!.elements.map((e) => e.key)).toEqual(["0x00000001", "0x00000002", "0x000000ff"]);
  });

  it("equals the rendered state: the plan against it is empty", () => {
    const p = planChanges(firewallOnly(render(capturedConfig()).state), { ...empty, ...parsed, nftTable: true });
    expect(p.lines).toEqual([]);
  });

  it("never passes an expression it does not know for Switchyard's", () => {
    const j = JSON.parse(fixture("nft-table.json"));
    const rule = j.nftables.find((o: { rule?: { chain: string } }) => o.rule?.chain === "SWYD-ISP100");
    rule.rule.expr.unshift({ match: { op: "==", left: { osf: { key: "name" } }, right: "Linux" } });
    const changed = parseNftTableJson(JSON.stringify(j)).chains.find((c) => c.name === "SWYD-ISP100")!;
    expect(changed.rules[0].spec).toMatch(/^json:/);
    const p = planChanges(firewallOnly(render(capturedConfig()).state), { ...empty, ...parseNftTableJson(JSON.stringify(j)), nftTable: true });
    expect(p.lines.map((l) => l.text)).toContain("nft flush chain inet switchyard SWYD-ISP100: refilled in the same transaction");
    // and the refill never writes what it could not read
    expect(nftInput(p, { ...empty, ...parseNftTableJson(JSON.stringify(j)) })).not.toContain("json:");
  });

  it("lists the other tables, and an empty answer as none", () => {
    expect(parseNftTables(fixture("nft-tables.json"))).toEqual(["inet switchyard", "ip foreign-fw"]);
    expect(parseNftTables("")).toEqual([]);
    expect(parseNftTableJson('{"nftables": [{"metainfo": {"version": "1.0.6"}}]}')).toEqual({ chains: [], sets: [] });
  });
});

describe("the nft -f transaction", () => {
  const desired = firewallOnly(render(nft(classicOffice)).state);

  it("creates the whole table on a gateway without it: objects, then elements, then rules", () => {
    const text = nftInput(planChanges(desired, empty), empty);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("add table inet switchyard");
    const firstElement = lines.findIndex((l) => l.startsWith("add element"));
    const firstRule = lines.findIndex((l) => l.startsWith("add rule"));
    expect(lines.slice(0, firstElement).every((l) => /^add (table|chain|map) /.test(l))).toBe(true);
    expect(firstRule).toBeGreaterThan(firstElement);
    expect(lines).toContain("add chain inet switchyard SWYD-PRE { type filter hook prerouting priority -150; policy accept; }");
  });

  it("moves a host by its map element alone, keeping every other element and its counters", () => {
    const moved = structuredClone(classicOffice);
    moved.hosts[1].isp = "ISP1";
    const observed = { ...desired, nftTable: true };
    const p = planChanges(firewallOnly(render(nft(moved)).state), observed);
    expect(nftInput(p, observed)).toBe(
      "delete element inet switchyard SWYD-HOSTS { 192.168.1.101 }\nadd element inet switchyard SWYD-HOSTS { 192.168.1.101 : jump SWYD-ISP100 }\n",
    );
  });

  it("switching back to iptables deletes the table, and only it", () => {
    const iptables = render({ ...structuredClone(classicOffice), settings: { ...classicOffice.settings, firewall: "iptables" } }).state;
    const observed = { ...desired, nftTable: true };
    const p = planChanges(firewallOnly(iptables), observed);
    expect(nftInput(p, observed)).toBe("delete table inet switchyard\n");
    expect(p.chainsToReplace.every((c) => c.table !== "nft")).toBe(true);
    expect(p.lines.map((l) => l.text)).toContain("nft delete table inet switchyard (14 chains, 3 sets)");
  });

  it("a base chain whose hook changed is deleted and added again in the same file", () => {
    const observed = {
      ...desired,
      nftTable: true,
      chains: desired.chains.map((c) => (c.name === "SWYD-POST" ? { ...c, base: { ...c.base!, priority: 100 } } : c)),
    };
    const text = nftInput(planChanges(desired, observed), observed);
    expect(text).toMatch(
      /flush chain inet switchyard SWYD-POST\ndelete chain inet switchyard SWYD-POST\nadd chain inet switchyard SWYD-POST \{ type nat hook postrouting priority 95; policy accept; \}/,
    );
  });
});
