// The conntrack step for IPv6 (docs/ipv6.md): an IPv6 source is a host by its MAC (from the
// gateway's neighbour table), else an unlisted host of the LAN whose /64 holds it; a flow whose
// mark is not one that source may carry now is cleared, as for IPv4. Inputs are captured output
// (tests/fixtures/parse/conntrack/lan-v6.txt, ip-neigh/lan-v6.txt: a host 52:54:00:aa:00:64 with
// an address in each LAN /64, two TCP flows and a ping, all marked 2).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { staleFlowDeletes } from "@/lib/net/apply";
import { macsOf } from "@/lib/net/flows6";
import { parseConntrack, type Flow } from "@/lib/net/parse/conntrack";
import { parseIpNeighJson } from "@/lib/net/parse/ip-neigh";
import { conntrackLines, movedName, staleFlows } from "@/lib/net/plan";

const fixture = (p: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/parse", p), "utf8");
const macs = macsOf(parseIpNeighJson(fixture("ip-neigh/lan-v6.txt")));
/** The flows as the apply lists them: each IPv6 source with its MAC. */
const captured: Flow[] = parseConntrack(fixture("conntrack/lan-v6.txt")).map((f) => ({ ...f, ...(macs.has(f.src) ? { mac: macs.get(f.src) } : {}) }));
const DESK = "52:54:00:aa:00:64";

/** The classic office, dual stack as captured: ISP1 (mark 1) 2001:db8:1::/48, ISP2 (mark 2) 2001:db8:2::/48; "desk" has the captured MAC. */
function dualStack(deskIsp: string | null, over: (c: GatewayConfig) => void = () => undefined): GatewayConfig {
  const c = structuredClone(classicOffice);
  c.settings = { ...c.settings, lanSubnets6: ["2001:db8:1:1::1/64", "2001:db8:2:1::1/64"] };
  c.isps[0].ipv6 = { prefix: "2001:db8:1::/48", gateway: "fe80::1" };
  c.isps[1].ipv6 = { prefix: "2001:db8:2::/48", gateway: "fe80::1" };
  c.hosts.push({ name: "desk", address: "192.168.1.50", mac: DESK, isp: deskIsp, notes: "" });
  over(c);
  return c;
}

describe("stale IPv6 flows", () => {
  it("the neighbour table ties each captured IPv6 source to the host's MAC", () => {
    expect(captured.map((f) => [f.src, f.mac, f.mark])).toEqual([
      ["2001:db8:2:1::64", DESK, 2],
      ["2001:db8:1:1::64", DESK, 2],
      ["2001:db8:1:1::64", DESK, 2],
    ]);
  });

  it("a host moved to ISP1: its IPv6 flows with ISP2's mark are chosen, from both of its addresses, and named", () => {
    const moved = staleFlows(dualStack("ISP1"), captured);
    expect(moved).toEqual([
      { address: "2001:db8:1:1::64", name: "desk", fromMarks: [2], toMarks: [1], flows: 2 },
      { address: "2001:db8:2:1::64", name: "desk", fromMarks: [2], toMarks: [1], flows: 1 },
    ]);
    expect(staleFlowDeletes(moved)).toEqual(["-D -f ipv6 -s 2001:db8:1:1::64 --mark 2/0xff", "-D -f ipv6 -s 2001:db8:2:1::64 --mark 2/0xff"]);
    expect(conntrackLines(moved)[0].text).toBe(
      "conntrack -D -f ipv6 -s 2001:db8:1:1::64 (desk: 2 open connections with mark 0x2, now 0x1: cleared so they reconnect through the new ISP)",
    );
    expect(moved.map(movedName)).toEqual(["desk (2001:db8:1:1::64)", "desk (2001:db8:2:1::64)"]);
  });

  it("flows that already carry the host's mark are left alone", () => {
    expect(staleFlows(dualStack("ISP2"), captured)).toEqual([]);
  });

  it("a MAC no host has, or none in the table: the LAN's unlisted hosts' marks (the default ISP's)", () => {
    const unknown = captured.map((f) => ({ ...f, mac: "02:00:00:00:00:99" }));
    expect(staleFlows(dualStack("ISP2"), unknown)).toMatchObject([
      { address: "2001:db8:1:1::64", name: null, toMarks: [1], flows: 2 },
      { address: "2001:db8:2:1::64", name: null, toMarks: [1], flows: 1 },
    ]);
    const noMac = captured.map(({ src, mark }) => ({ src, mark }));
    expect(staleFlows(dualStack("ISP2"), noMac)).toHaveLength(2);
    // the default moved to ISP2: the same unlisted flows are right
    expect(
      staleFlows(
        dualStack("ISP2", (c) => (c.settings.defaultIsp = "ISP2")),
        noMac,
      ),
    ).toEqual([]);
  });

  it("failback keep: a flow on an ISP that is up stays; on a down one it is cleared", () => {
    expect(staleFlows(dualStack("ISP1"), captured, { keepOnUpIsps: true })).toEqual([]);
    const down = dualStack("ISP1", (c) => (c.health = { down: ["ISP2"] }));
    expect(staleFlows(down, captured, { keepOnUpIsps: true })).toHaveLength(2);
  });

  it("the gateway's own LAN addresses, addresses in no LAN /64, and any IPv6 without an IPv6 configuration are never touched", () => {
    const others: Flow[] = [
      { src: "2001:db8:1:1::1", mark: 0 },
      { src: "2001:db8:1:2::5", mark: 0 },
      { src: "fe80::5054:ff:feaa:64", mark: 0, mac: DESK },
    ];
    expect(staleFlows(dualStack("ISP1"), others)).toEqual([]);
    expect(staleFlows(classicOffice, captured)).toEqual([]);
  });

  it("IPv4 and IPv6 sources together: IPv4 first, as before", () => {
    const flows: Flow[] = [...captured, { src: "192.168.1.101", mark: 1 }];
    expect(staleFlows(dualStack("ISP1"), flows).map((h) => h.address)).toEqual(["192.168.1.101", "2001:db8:1:1::64", "2001:db8:2:1::64"]);
  });
});
