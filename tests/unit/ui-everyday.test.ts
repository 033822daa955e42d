// Pure pieces of issue 12: the literal views' parsing of captured output, the audit CSV's
// fields, the history's change summary, the apply comment's validation, next free numbers.
import { describe, expect, it } from "vitest";
import { splitRoutesByTable } from "@/lib/engine/literal";
import { chainPolicies } from "@/lib/net/parse/iptables-list";
import { csvField, parseAuditQuery } from "@/lib/data/audit-view";
import { changeSummary } from "@/lib/data/history";
import { applyBodySchema, revisionCommentSchema } from "@/lib/validation/revision";
import { nextFreeIspNumbers } from "@/lib/validation/form";
import { classicOffice } from "@/lib/examples";

// captured from the e2e lab: `ip -4 route show table all`, `iptables -t filter -L -v -n -x`
const ROUTES = `default via 203.0.113.1 dev eth0 table 100 proto 201 onlink
192.168.1.0/24 dev lan0 table 100 proto 201 scope link
default via 198.51.100.1 dev eth1 table 200 proto 201
192.168.1.0/24 dev lan0 proto kernel scope link src 192.168.1.1
local 192.168.1.1 dev lan0 table local proto kernel scope host src 192.168.1.1
`;
const FILTER = `Chain INPUT (policy ACCEPT 0 packets, 0 bytes)
    pkts      bytes target     prot opt in     out     source               destination

Chain FORWARD (policy ACCEPT 1234 packets, 567890 bytes)
    pkts      bytes target     prot opt in     out     source               destination
      42     3360 SWYD-GUARD  0    --  *      *       0.0.0.0/0            0.0.0.0/0

Chain SWYD-GUARD (1 references)
    pkts      bytes target     prot opt in     out     source               destination
`;

describe("literal views", () => {
  it("splits routes per table as `ip route show table X` prints them (main first, local last)", () => {
    const views = splitRoutesByTable(ROUTES);
    expect(views.map((v) => v.command)).toEqual([
      "ip route show table main",
      "ip route show table 100",
      "ip route show table 200",
      "ip route show table local",
    ]);
    expect(views[1].text).toBe("default via 203.0.113.1 dev eth0 proto 201 onlink\n192.168.1.0/24 dev lan0 proto 201 scope link");
    expect(splitRoutesByTable("")).toEqual([]);
  });
  it("splits IPv6 routes per table as `ip -6 route show table X` prints them", () => {
    // captured: `ip -6 route show table all` in a namespace with an ISP table 100
    const routes6 = `2001:db8:a:1::/64 dev d0 table 100 proto 201 metric 1024 pref medium
default via fe80::1 dev d0 table 100 proto 201 metric 1024 pref medium
2001:db8:a:1::/64 dev d0 proto kernel metric 256 pref medium
fe80::/64 dev d0 proto kernel metric 256 pref medium
local ::1 dev lo table local proto kernel metric 0 pref medium
multicast ff00::/8 dev d0 table local proto kernel metric 256 pref medium
`;
    const views = splitRoutesByTable(routes6, 6);
    expect(views.map((v) => v.command)).toEqual(["ip -6 route show table main", "ip -6 route show table 100", "ip -6 route show table local"]);
    expect(views[1].text).toBe("2001:db8:a:1::/64 dev d0 proto 201 metric 1024 pref medium\ndefault via fe80::1 dev d0 proto 201 metric 1024 pref medium");
  });
  it("reads the built-in chains' policy counters", () => {
    expect(chainPolicies(FILTER)).toEqual([
      { chain: "INPUT", policy: "ACCEPT", packets: 0, bytes: 0 },
      { chain: "FORWARD", policy: "ACCEPT", packets: 1234, bytes: 567890 },
    ]);
  });
});

describe("audit", () => {
  it("quotes CSV fields and defuses spreadsheet formulas", () => {
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("=HYPERLINK(1)")).toBe(`"'=HYPERLINK(1)"`);
    expect(csvField("-1")).toBe(`"'-1"`);
    expect(csvField("a,b\nc")).toBe('"a,b\nc"');
  });
  it("ignores a query it does not understand", () => {
    expect(parseAuditQuery({ kind: "login", user: "admin", page: "2" })).toEqual({ kind: "login", user: "admin", page: 2 });
    expect(parseAuditQuery({ kind: "x'; drop", page: "-3" })).toEqual({
      kind: undefined,
      user: undefined,
      page: 1,
      refused: expect.stringContaining("There is no page “-3”"),
    });
    expect(parseAuditQuery({ kind: ["a", "b"], user: "" })).toEqual({ kind: undefined, user: undefined, page: 1 });
  });
});

describe("history", () => {
  it("summarises a revision's configuration changes in one line", () => {
    expect(changeSummary([])).toBe("no configuration change");
    const changes = [
      { kind: "host" as const, op: "added" as const, name: "nas", details: ["address: 192.168.1.5"] },
      { kind: "host" as const, op: "changed" as const, name: "laptop", details: ["ISP: ISP1 → ISP2"] },
      { kind: "ISP" as const, op: "removed" as const, name: "ISP3", details: [] },
      { kind: "NAT address" as const, op: "added" as const, name: "203.0.113.11", details: [] },
    ];
    expect(changeSummary(changes)).toBe("+host nas, ~host laptop (ISP), −ISP ISP3 and 1 more");
  });
  it("validates an apply's comment: trimmed, at most 500 characters, no control characters", () => {
    expect(revisionCommentSchema.parse("  move the NAS\r\nfor backups ")).toBe("move the NAS\nfor backups");
    expect(revisionCommentSchema.safeParse("x".repeat(501)).success).toBe(false);
    expect(revisionCommentSchema.safeParse("bell\u0007").success).toBe(false);
    expect(applyBodySchema.safeParse({}).success).toBe(true);
    expect(applyBodySchema.safeParse({ comment: 5 }).success).toBe(false);
    expect(applyBodySchema.safeParse({ comment: "ok", other: 1 }).success).toBe(false);
  });
});

describe("forms", () => {
  it("offers the next free routing table (from 100) and mark", () => {
    expect(nextFreeIspNumbers(classicOffice)).toEqual({ routingTable: "101", mark: "3" });
    expect(nextFreeIspNumbers({ isps: [] })).toEqual({ routingTable: "100", mark: "1" });
  });
});
