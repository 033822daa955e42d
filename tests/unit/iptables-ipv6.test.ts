// The iptables backend's IPv6 part: ip6tables chains and hooks (family 6) beside IPv4's, read
// back from captured ip6tables-save output, planned by family, applied as a second transaction.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { render } from "@/lib/net/render";
import { iptables } from "@/lib/net/firewall/iptables";
import { splitFamilies, IP6_MARK } from "@/lib/net/firewall/iptables/text";
import { classifyNetfilter } from "@/lib/net/firewall/observe";
import { firewallPlanLines, planFirewall } from "@/lib/net/firewall/plan";
import { parseIptablesSave } from "@/lib/net/parse/iptables-save";
import type { IptChain, KernelState } from "@/lib/net/types";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel", name), "utf8");

/** The classic office, dual-stack: each ISP a /48, the LAN a /64 of each, the laptop known by its MAC. */
const dual: GatewayConfig = {
  ...classicOffice,
  settings: { ...classicOffice.settings, firewall: "iptables", lanSubnets6: ["2001:db8:1:1::1/64", "2001:db8:2:1::1/64"] },
  isps: classicOffice.isps.map((i, n) => ({ ...i, ipv6: { prefix: `2001:db8:${n + 1}::/48`, gateway: "fe80::1" } })),
  hosts: classicOffice.hosts.map((h) => (h.name === "laptop" ? { ...h, mac: "52:54:00:12:34:56" } : h)),
};
const v4only: GatewayConfig = { ...classicOffice, settings: { ...classicOffice.settings, firewall: "iptables" } };

const rules = (chains: IptChain[], table: string, name: string, family?: 6) =>
  chains.find((c) => c.table === table && c.name === name && c.family === family)?.rules.map((r) => r.spec);

describe("render: ip6tables chains with IPv6", () => {
  const { state, firewallInput, script } = render(dual);

  it("matches the laptop by its MAC in ip6tables' SWYD-MARK, the rest by the default", () => {
    expect(rules(state.chains, "mangle", "SWYD-MARK", 6)).toEqual([
      "-m mac --mac-source 52:54:00:12:34:56 -j SWYD-ISP200",
      "-m mark --mark 0x0/0xff -j SWYD-ISP100",
    ]);
    // IPv4 keeps matching by address
    expect(rules(state.chains, "mangle", "SWYD-MARK")).toContain("-s 192.168.1.101/32 -j SWYD-ISP200");
  });

  it("maps each LAN /64 leaving by the other ISP to that ISP's /64 with NETMAP", () => {
    expect(rules(state.chains, "nat", "SWYD-POST", 6)).toEqual([
      "-s 2001:db8:2:1::/64 -o eth0 -j NETMAP --to 2001:db8:1:1::/64",
      "-s 2001:db8:1:1::/64 -o eth1 -j NETMAP --to 2001:db8:2:1::/64",
    ]);
  });

  it("guards the WANs with an ICMPv6 reject and hooks into ip6tables' built-in chains", () => {
    expect(rules(state.chains, "filter", "SWYD-GUARD", 6)).toContain("-i lan0 -o eth0 -m mark --mark 0x0/0xff -j REJECT --reject-with icmp6-no-route");
    expect(state.hooks.filter((h) => h.family === 6).map((h) => `${h.table} ${h.chain} ${h.spec}`)).toEqual([
      "mangle PREROUTING -j SWYD-PRE",
      "mangle FORWARD -j SWYD-ACCT",
      "nat POSTROUTING -j SWYD-POST",
      "mangle PREROUTING -j SWYD-TAIL",
      "filter FORWARD -j SWYD-GUARD",
    ]);
  });

  it("writes the IPv6 part as a second restore input and ip6tables lines in the script", () => {
    const { v4, v6 } = splitFamilies(firewallInput);
    expect(v4).not.toContain("NETMAP");
    expect(v6).toContain("-A SWYD-POST -s 2001:db8:2:1::/64 -o eth0 -j NETMAP --to 2001:db8:1:1::/64");
    expect(v6).not.toContain("192.168.1.");
    expect(script).toContain("ip6tables -t nat -C POSTROUTING -j SWYD-POST 2>/dev/null || ip6tables -t nat -I POSTROUTING 1 -j SWYD-POST");
  });

  it("leaves a configuration without IPv6 as before: no family 6, no second input", () => {
    const out = render(v4only);
    expect(out.state.chains.some((c) => c.family === 6) || out.state.hooks.some((h) => h.family === 6)).toBe(false);
    expect(out.firewallInput).not.toContain(IP6_MARK);
  });

  it("hashes whole IPv6 addresses for a sticky balance", () => {
    const sticky: GatewayConfig = {
      ...dual,
      policies: [{ name: "both", sticky: true, lastResort: null, notes: "", members: dual.isps.map((i) => ({ isp: i.name, tier: 1, weight: 1 })) }],
      hosts: dual.hosts.map((h) => ({ ...h, isp: null, policy: "both" })),
    };
    const v6 = render(sticky).state.chains.find((c) => c.name.startsWith("SWYD-P-") && c.family === 6);
    expect(v6?.rules[0].spec).toContain("--hmark-src-prefix 128 --hmark-dst-prefix 128");
  });
});

describe("observe and plan: ip6tables-save, captured after an apply of the dual-stack office", () => {
  const v4 = fixture("iptables-save-dual-stack.txt");
  const v6 = fixture("ip6tables-save-dual-stack.txt");
  const observed = classifyNetfilter(v4, undefined, undefined, v6);
  const empty: KernelState = { rtTables: [], routes: [], rules: [], chains: [], hooks: [] };

  it("parses ip6tables-save's chains tagged family 6", () => {
    const { chains } = parseIptablesSave(v6, 6);
    expect(chains.every((c) => c.family === 6)).toBe(true);
    expect(rules(chains, "nat", "SWYD-POST", 6)).toEqual([
      "-s 2001:db8:2:1::/64 -o eth0 -j NETMAP --to 2001:db8:1:1::/64",
      "-s 2001:db8:1:1::/64 -o eth1 -j NETMAP --to 2001:db8:2:1::/64",
    ]);
  });

  it("owns both families' chains and hooks, and keeps a foreign ip6tables chain foreign", () => {
    expect(observed.chains.filter((c) => c.family === 6).map((c) => c.name)).toContain("SWYD-GUARD");
    expect(observed.chains.filter((c) => !c.family).map((c) => c.name)).toContain("SWYD-GUARD");
    expect(observed.hooks.filter((h) => h.family === 6)).toHaveLength(5);
    expect(observed.foreign.chains.map((c) => `${c.family} ${c.table} ${c.name}`)).toEqual(["6 filter VPN6"]);
    // the take over's built-in restore is iptables-restore input: IPv4's built-ins only
    expect(observed.builtins.some((c) => c.family === 6)).toBe(false);
  });

  it("plans nothing when the kernel runs what render says", () => {
    const p = planFirewall(render(dual).state, { ...empty, ...observed });
    expect([p.chainsToReplace, p.chainsToDelete, p.hooksToAdd, p.hooksToDelete].map((x) => x.length)).toEqual([0, 0, 0, 0]);
  });

  it("tells a v6 chain from the v4 chain of the same name: without the v6 part, it is all added", () => {
    const v4side = classifyNetfilter(v4);
    const p = planFirewall(render(dual).state, { ...empty, ...v4side });
    expect(p.chainsToReplace.every((c) => c.family === 6)).toBe(true);
    expect(p.chainsToReplace).toHaveLength(8);
    expect(p.hooksToAdd.every((h) => h.family === 6)).toBe(true);
    const lines = firewallPlanLines(p, v4side).map((l) => l.text);
    expect(lines).toContain("ip6tables -t nat -N SWYD-POST (2 rules)");
    expect(lines).toContain("ip6tables -t nat -I POSTROUTING 1 -j SWYD-POST");
    // one input per family: nothing for iptables, the whole part for ip6tables
    const { v4: in4, v6: in6 } = splitFamilies(iptables.applyInput(p, empty));
    expect(in4).toBe("");
    expect(in6).toContain("-I POSTROUTING 1 -j SWYD-POST");
  });

  it("removes the IPv6 leftovers once the configuration has no IPv6, the foreign chain left alone", () => {
    const p = planFirewall(render(v4only).state, { ...empty, ...observed });
    expect(p.chainsToDelete.map((c) => `${c.family} ${c.table} ${c.name}`).sort()).toEqual(
      ["SWYD-ACCT", "SWYD-ISP100", "SWYD-ISP200", "SWYD-MARK", "SWYD-PRE", "SWYD-TAIL"]
        .map((n) => `6 mangle ${n}`)
        .concat(["6 filter SWYD-GUARD", "6 nat SWYD-POST"])
        .sort(),
    );
    expect(p.hooksToDelete).toHaveLength(5);
    const { v4: in4, v6: in6 } = splitFamilies(iptables.applyInput(p, empty));
    expect(in4).toBe("");
    expect(in6).toContain("-X SWYD-POST");
    expect(in6).not.toContain("VPN6");
    expect(iptables.summary(p)).toContain("ip6tables: 8 chains removed");
  });

  it("rolls the IPv6 part back: a snapshot with it, a kernel without it, the v6 chains and hooks come back in ip6tables' input", () => {
    const now = { ...empty, ...classifyNetfilter(v4) };
    const back = planFirewall({ ...empty, ...observed }, now);
    expect(iptables.differs(back)).toBe(true);
    const { v4: in4, v6: in6 } = splitFamilies(iptables.restoreInput({ ...empty, ...observed }, back, now));
    expect(in4).toBe("");
    expect(in6).toContain("-A SWYD-MARK -m mac --mac-source 52:54:00:12:34:56 -j SWYD-ISP200");
    expect(in6).toContain("-I FORWARD 1 -j SWYD-GUARD");
    expect(in6).toContain("-A PREROUTING -j SWYD-TAIL");
  });
});
