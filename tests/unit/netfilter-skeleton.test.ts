// The netfilter skeleton a rollback compares: nft's chains outside Switchyard's table, what an
// apply created and left empty (removed), and what else differs (named, never removed).
import { describe, expect, it } from "vitest";
import { parseSkeleton, skeletonCleanup, skeletonDiff, skeletonLines, tablesWithObjects } from "@/lib/net/firewall/skeleton";

const meta = { metainfo: { version: "1.0.6", json_schema_version: 1 } };
const chain = (family: string, table: string, name: string, hook?: string, prio?: number) => ({
  chain: { family, table, name, handle: 1, ...(hook ? { type: "filter", hook, prio, policy: "accept" } : {}) },
});
const rule = (family: string, table: string, c: string) => ({ rule: { family, table, chain: c, handle: 9, expr: [] } });
const json = (...items: object[]) => JSON.stringify({ nftables: [meta, ...items] });

// the old gateway: iptables-nft's nat and mangle with the rules the admin typed
const before = skeletonLines(
  parseSkeleton(json(chain("ip", "nat", "POSTROUTING", "postrouting", 100), chain("ip", "mangle", "PREROUTING", "prerouting", -150))),
);

describe("netfilter skeleton", () => {
  it("lists chains outside Switchyard's table, base chains with their hook, sorted", () => {
    const chains = parseSkeleton(
      json(
        chain("ip", "nat", "POSTROUTING", "postrouting", 100),
        chain("inet", "switchyard", "SWYD-PRE", "prerouting", -150),
        chain("ip", "filter", "SWYD-GUARD"),
      ),
    );
    expect(skeletonLines(chains)).toEqual(["ip filter SWYD-GUARD", "ip nat POSTROUTING hook postrouting priority 100 policy accept"]);
    expect(chains.every((c) => c.rules === undefined)).toBe(true); // `list chains` says nothing about rules
    expect(parseSkeleton("")).toEqual([]);
  });

  it("a rollback removes the empty filter table and mangle FORWARD chain the apply made, never a chain with rules", () => {
    const now = parseSkeleton(
      json(
        { table: { family: "ip", name: "nat" } },
        chain("ip", "nat", "POSTROUTING", "postrouting", 100),
        rule("ip", "nat", "POSTROUTING"),
        chain("ip", "mangle", "PREROUTING", "prerouting", -150),
        rule("ip", "mangle", "PREROUTING"),
        chain("ip", "mangle", "FORWARD", "forward", -150),
        chain("ip", "filter", "FORWARD", "forward", 0),
        chain("ip", "other", "fwd", "forward", 10),
        rule("ip", "other", "fwd"),
      ),
    );
    expect(skeletonDiff(before, skeletonLines(now))).toEqual([
      "+ nftables chain ip filter FORWARD hook forward priority 0 policy accept",
      "+ nftables chain ip mangle FORWARD hook forward priority -150 policy accept",
      "+ nftables chain ip other fwd hook forward priority 10 policy accept",
    ]);
    expect(skeletonCleanup(before, now, () => false)).toBe("delete chain ip mangle FORWARD\ndelete chain ip filter FORWARD\ndelete table ip filter\n");
    // a table that holds a set too stays (its empty chain goes)
    expect(skeletonCleanup(before, now, (f, t) => `${f} ${t}` === "ip filter")).toBe("delete chain ip mangle FORWARD\ndelete chain ip filter FORWARD\n");
  });

  it("nothing to clean when the skeleton is the snapshot's; a chain that is gone is named", () => {
    const same = parseSkeleton(
      json(chain("ip", "nat", "POSTROUTING", "postrouting", 100), chain("ip", "mangle", "PREROUTING", "prerouting", -150), rule("ip", "nat", "POSTROUTING")),
    );
    expect(skeletonCleanup(before, same, () => false)).toBe("");
    expect(skeletonDiff(before, skeletonLines(same))).toEqual([]);
    expect(skeletonDiff(before, ["ip nat POSTROUTING hook postrouting priority 100 policy accept"])).toEqual([
      "- nftables chain ip mangle PREROUTING hook prerouting priority -150 policy accept",
    ]);
  });

  it("finds the tables that hold sets or maps", () => {
    expect([...tablesWithObjects(json({ set: { family: "inet", table: "fw", name: "block" } }, { map: { family: "ip", table: "m", name: "x" } }))]).toEqual([
      "inet fw",
      "ip m",
    ]);
  });
});
