// A host's MAC from the gateway's neighbour table (docs/ipv6.md "A host's MAC"): which entry
// is a MAC, which of several wins, and the words a user reads when there is none.
import { describe, expect, it } from "vitest";
import { parseIpNeighJson } from "@/lib/net/parse/ip-neigh";
import { macSeen } from "@/lib/net/neigh-mac";
import { parseCli } from "@/lib/cli/args";

// as `ip -4 -json neigh show` prints them (a FAILED or INCOMPLETE entry has no lladdr)
const TABLE = JSON.stringify([
  { dst: "10.0.0.20", dev: "lan0", lladdr: "52:54:00:AA:00:20", state: ["REACHABLE"] },
  { dst: "10.0.0.21", dev: "lan0", state: ["FAILED"] },
  { dst: "10.0.0.22", dev: "lan0", state: ["INCOMPLETE"] },
  { dst: "10.0.0.23", dev: "lan1", lladdr: "52:54:00:aa:00:99", state: ["STALE"] },
  { dst: "10.0.0.23", dev: "lan0", lladdr: "52:54:00:aa:00:23", state: ["REACHABLE"] },
  { dst: "10.0.0.24", dev: "lan0", lladdr: "52:54:00:aa:00:24", state: ["STALE"] },
  { dst: "10.0.0.24", dev: "lan1", state: ["FAILED"] },
  { dst: "10.0.0.25", dev: "lan0", lladdr: "52:54:00:aa:00:25", state: ["STALE"] },
  { dst: "10.0.0.25", dev: "lan1", lladdr: "52:54:00:aa:00:52", state: ["STALE"] },
  { dst: "2001:db8::20", dev: "lan0", lladdr: "52:54:00:aa:00:77", state: ["REACHABLE"] },
]);
const table = parseIpNeighJson(TABLE);

describe("the MAC seen for an address", () => {
  it("a REACHABLE entry: its MAC, lower case, with where and how it was seen", () => {
    expect(macSeen(table, "10.0.0.20")).toEqual({ ok: true, mac: "52:54:00:aa:00:20", dev: "lan0", state: "REACHABLE" });
  });

  it("a FAILED or INCOMPLETE entry is not a MAC: the user reads why", () => {
    expect(macSeen(table, "10.0.0.21")).toEqual({ ok: false, why: "10.0.0.21 does not answer on the LAN (its neighbour entry is FAILED)" });
    expect(macSeen(table, "10.0.0.22")).toMatchObject({ ok: false, why: expect.stringContaining("INCOMPLETE") });
  });

  it("two entries for one address: the REACHABLE one; a FAILED one beside a STALE one: the STALE one's MAC", () => {
    expect(macSeen(table, "10.0.0.23")).toMatchObject({ ok: true, mac: "52:54:00:aa:00:23", dev: "lan0" });
    expect(macSeen(table, "10.0.0.24")).toMatchObject({ ok: true, mac: "52:54:00:aa:00:24", state: "STALE" });
  });

  it("two different MACs equally fresh: refused, both named", () => {
    expect(macSeen(table, "10.0.0.25")).toEqual({
      ok: false,
      why: "two machines answer for 10.0.0.25 (52:54:00:aa:00:25, 52:54:00:aa:00:52): enter the host's MAC by hand",
    });
  });

  it("no entry (an IPv6 entry is not the host's IPv4 address): says so and what to do", () => {
    expect(macSeen(table, "10.0.0.99")).toMatchObject({
      ok: false,
      why: expect.stringMatching(/^the gateway's neighbour table has no entry for 10\.0\.0\.99/),
    });
    expect(macSeen(table, "2001:db8::20")).toMatchObject({ ok: false });
    expect(macSeen(parseIpNeighJson(""), "10.0.0.20")).toMatchObject({ ok: false });
  });
});

describe("host set --mac", () => {
  it("learned, a MAC, or none", () => {
    expect(parseCli(["host", "set", "desk", "--mac", "learned"])).toMatchObject({
      ok: true,
      command: { name: "host", action: "set", host: "desk", mac: "learned" },
    });
    expect(parseCli(["host", "set", "desk", "--mac", "none"])).toMatchObject({ ok: true, command: { mac: "" } });
    expect(parseCli(["host", "set", "desk"])).toMatchObject({ ok: false, error: expect.stringMatching(/needs something to change: --mac learned/) });
    expect(parseCli(["host", "rm", "desk"])).toMatchObject({ ok: false, error: 'unknown host command "rm" (set)' });
  });
});
