// The live snapshot's pure half: parsed kernel output + config -> LiveSnapshot.
// Fixtures tests/fixtures/kernel/live-* were captured from a classic-office lab (prefix
// tlive, applied by the engine) after traffic from both hosts:
//   live-ip-rule.json       ip -N -json rule show
//   live-ip-route.json      ip -N -4 -json route show table all
//   live-iptables-save.txt  iptables-save -c            (SWYD-ACCT counters; the mark chain and the
//                           unreachable-mark rule edited to the per-target chains render has since)
//   live-link-neigh-batch.txt  `ip -json -batch -` with "link show" and "neigh show": one
//                              JSON array per line; eth1's peer stopped answering ARP, so
//                              its gateway neighbour is FAILED (no lladdr)
//   live-conntrack-list.txt conntrack -L -f ipv4: one ESTABLISHED flow of 192.168.1.100,
//                           TIME_WAIT leftovers, the gateway's own SYN_SENT, an IGMP entry
import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { assembleLive, failedSnapshot, openFlows, type LiveInputs } from "@/lib/engine/live";
import { parseLinkNeighBatch } from "@/lib/net/parse/ip-batch";
import { classicOffice } from "@/lib/examples";
import { classify } from "@/lib/net/observe";
import { parseConntrack, type Flow } from "@/lib/net/parse/conntrack";
import type { GatewayConfig } from "@/lib/model";
import type { LiveSnapshot } from "@/lib/engine/live-types";
import { advance, HISTORY_LENGTH, type LiveKernelState } from "@/components/kernel/use-live-kernel";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel", name), "utf8");
const observed = () => classify(fixture("live-ip-rule.json"), fixture("live-ip-route.json"), fixture("live-iptables-save.txt"));
const batch = parseLinkNeighBatch(fixture("live-link-neigh-batch.txt"));

const inputs = (over: Partial<LiveInputs> = {}): LiveInputs => ({
  target: "lab (tlive-gw)",
  observed: observed(),
  ...batch,
  flows: openFlows(fixture("live-conntrack-list.txt")),
  config: classicOffice,
  lastGood: { id: 7, config: classicOffice },
  readMs: 12.5,
  ...over,
});

describe("ip -json -batch: link show + neigh show", () => {
  it("reads one JSON array per line: interfaces with operstate, neighbours with state", () => {
    expect(batch.links.map((l) => `${l.name}:${l.operstate}`)).toEqual(["lo:UNKNOWN", "lan0:UP", "eth0:UP", "eth1:UP", "hc0a80164:UP", "hc0a80165:UP"]);
    expect(batch.neighbours).toContainEqual(expect.objectContaining({ dst: "203.0.113.1", dev: "eth0", state: ["REACHABLE"] }));
    // a FAILED entry has no lladdr
    expect(batch.neighbours).toContainEqual({ family: 4, dst: "198.51.100.1", dev: "eth1", state: ["FAILED"] });
  });
  it("an empty namespace: lo only, no neighbours", () => {
    const lo = '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"],"operstate":"DOWN"}]';
    expect(parseLinkNeighBatch(`${lo}\n[]\n`)).toEqual({ links: [{ name: "lo", up: false, carrier: false, operstate: "DOWN" }], neighbours: [] });
  });
  it("a batch that stopped early is an error, not an empty list", () => {
    expect(() => parseLinkNeighBatch('[{"ifname":"lo","operstate":"DOWN"}]\n')).toThrow(/expected 2 JSON lines, got 1/);
  });
});

describe("conntrack: open flows", () => {
  it("leaves out TIME_WAIT and CLOSE entries", () => {
    const all = parseConntrack(fixture("live-conntrack-list.txt"));
    const open = openFlows(fixture("live-conntrack-list.txt")).map(({ src, mark }) => ({ src, mark }));
    expect(all).toHaveLength(7);
    expect(open).toEqual([
      { src: "192.168.1.100", mark: 1 }, // ESTABLISHED
      { src: "198.51.100.10", mark: 0 }, // the gateway's own SYN_SENT
      { src: "192.168.1.1", mark: 0 }, // IGMP from the gateway's LAN address
    ]);
  });
});

describe("assembleLive", () => {
  const snap = assembleLive(inputs());

  it("counts each ISP's forwarded traffic from SWYD-ACCT (-o = tx, -i = rx)", () => {
    expect(snap.ok).toBe(true);
    expect(snap.isps).toEqual([
      {
        name: "ISP1",
        wanInterface: "eth0",
        link: "UP",
        gatewayNeighbour: "REACHABLE",
        txBytes: 10588,
        rxBytes: 503,
        txPackets: 11,
        rxPackets: 9,
        flows: 1,
        routingTable: 100,
        mark: 1,
        enabled: true,
      },
      {
        name: "ISP2",
        wanInterface: "eth1",
        link: "UP",
        gatewayNeighbour: "FAILED",
        txBytes: 5536,
        rxBytes: 451,
        txPackets: 10,
        rxPackets: 8,
        flows: 0,
        routingTable: 200,
        mark: 2,
        enabled: true,
      },
    ]);
  });

  it("lists the configured hosts with their flows by ISP, not the gateway's own addresses", () => {
    expect(snap.hosts).toEqual([
      { address: "192.168.1.100", name: "office-pc", flowsByIsp: { ISP1: 1 } },
      { address: "192.168.1.101", name: "laptop", flowsByIsp: {} },
    ]);
  });

  it("maps marks by their low byte, names unmarked and unknown marks, and adds unknown LAN sources", () => {
    const flows: Flow[] = parseConntrack(fixture("conntrack-list.txt"))
      .map(({ src, mark }) => ({ src, mark }))
      .concat([
        { src: "192.168.1.77", mark: 0 },
        { src: "192.168.1.77", mark: 9 },
        { src: "10.9.9.9", mark: 2 }, // not on the LAN: counts for the ISP, is no host
      ]);
    const s = assembleLive(inputs({ flows }));
    expect(s.isps.map((i) => [i.name, i.flows])).toEqual([
      ["ISP1", 2],
      ["ISP2", 2],
    ]); // 257 & 0xff = 1
    expect(s.hosts).toEqual([
      { address: "192.168.1.100", name: "office-pc", flowsByIsp: { ISP1: 2 } },
      { address: "192.168.1.101", name: "laptop", flowsByIsp: { ISP2: 1 } },
      { address: "192.168.1.77", flowsByIsp: { unmarked: 1, "mark 0x9": 1 } },
    ]);
  });

  it("counts a host's IPv6 flows on its row by its MAC (privacy addresses too), and an unknown IPv6 LAN source on a row of its own", () => {
    const config = structuredClone(classicOffice);
    config.isps[0].ipv6 = { prefix: "2001:db8:a::/48", gateway: "fe80::1" };
    config.isps[1].ipv6 = { prefix: "2001:db8:b::/48", gateway: "fe80::1" };
    config.settings.lanSubnets6 = ["2001:db8:a:1::1/64", "2001:db8:b:1::1/64"];
    config.hosts[1].mac = "02:00:5e:00:00:0b"; // laptop, on ISP2
    const neighbour = (dst: string, mac: string) => ({ dst, dev: "lan0", lladdr: mac, state: ["REACHABLE"], family: 6 as const });
    const s = assembleLive(
      inputs({
        config,
        neighbours: [
          neighbour("2001:db8:a:1::b", "02:00:5e:00:00:0b"),
          neighbour("2001:db8:b:1::1234:5678", "02:00:5e:00:00:0b"), // a privacy address of the same host
          neighbour("2001:db8:a:1::99", "02:00:5e:00:00:99"),
        ],
        flows: [
          { src: "2001:db8:a:1::b", mark: 2 },
          { src: "2001:db8:b:1::1234:5678", mark: 2 },
          { src: "2001:db8:a:1::99", mark: 1 },
          { src: "2001:db8:a:1::1", mark: 0 }, // the gateway's own: no host row
          { src: "2001:db8:ffff::5", mark: 1 }, // not on a LAN: counts for the ISP only
        ],
      }),
    );
    expect(s.hosts).toEqual([
      { address: "192.168.1.100", name: "office-pc", flowsByIsp: {} },
      { address: "192.168.1.101", name: "laptop", flowsByIsp: { ISP2: 2 } },
      { address: "2001:db8:a:1::99", flowsByIsp: { ISP1: 1 } },
    ]);
    expect(s.isps.map((i) => [i.name, i.flows])).toEqual([
      ["ISP1", 2],
      ["ISP2", 2],
    ]);
  });

  it("passes owned, foreign and built-in state through as observed", () => {
    expect(snap.owned.rules.map((r) => r.priority)).toEqual([10000, 10050, 10100, 10101, 10199, 10200, 10201, 10900]);
    expect(snap.foreign.rules.map((r) => [r.priority, r.table])).toEqual([
      [0, 255],
      [32766, 254],
      [32767, 253],
    ]);
    expect(snap.owned.chains.map((c) => `${c.table}/${c.name}`)).toEqual([
      "mangle/SWYD-ACCT",
      "mangle/SWYD-ISP100",
      "mangle/SWYD-ISP200",
      "mangle/SWYD-MARK",
      "mangle/SWYD-PRE",
      "mangle/SWYD-TAIL",
      "nat/SWYD-POST",
      "filter/SWYD-GUARD",
    ]);
    expect(snap.builtins.find((c) => c.table === "mangle" && c.name === "FORWARD")?.rules).toEqual([{ spec: "-j SWYD-ACCT", packets: 38, bytes: 17078 }]);
    expect(snap).toMatchObject({ target: "lab (tlive-gw)", lastGoodRevision: 7, readMs: 12.5 });
  });

  it("no drift when the kernel is what the last good revision applied", () => {
    expect(snap.drift).toEqual([]);
  });

  it("drift: a Switchyard rule deleted by hand, a chain rule changed", () => {
    const o = observed();
    o.rules = o.rules.filter((r) => r.priority !== 10101);
    const mark = o.chains.find((c) => c.name === "SWYD-MARK")!;
    mark.rules = mark.rules.slice(1);
    const lines = assembleLive(inputs({ observed: o })).drift;
    expect(lines).toContainEqual({ op: "+", kind: "rule", text: "ip rule add priority 10101 fwmark 0x2/0xff lookup 200 protocol 201" });
    expect(lines).toContainEqual({ op: "+", kind: "chain", text: "-t mangle -A SWYD-MARK -s 192.168.1.100/32 -j SWYD-ISP100" });
  });

  it("counters and foreign objects are no drift", () => {
    const o = observed();
    o.chains.find((c) => c.name === "SWYD-ACCT")!.rules[0].bytes = 999_999;
    o.foreign.rules.push({ family: 4, priority: 5000, src: "10.99.0.0/16", table: 254 });
    expect(assembleLive(inputs({ observed: o })).drift).toEqual([]);
  });

  it("no drift without a last good revision (nothing applied yet), or when it no longer validates", () => {
    expect(assembleLive(inputs({ lastGood: null }))).toMatchObject({ drift: [], lastGoodRevision: null });
    expect(assembleLive(inputs({ lastGood: { id: 3, config: null } }))).toMatchObject({ drift: [], lastGoodRevision: 3 });
  });

  it("an ISP whose interface is gone: MISSING, no neighbour, zero counters; a disabled ISP says so", () => {
    const config: GatewayConfig = {
      ...classicOffice,
      isps: [
        ...classicOffice.isps,
        { ...classicOffice.isps[1], name: "ISP3", wanInterface: "eth2", gatewayAddress: "100.64.0.1", routingTable: 300, mark: 3, enabled: false },
      ],
    };
    const s = assembleLive(inputs({ config }));
    expect(s.isps[2]).toEqual({
      name: "ISP3",
      wanInterface: "eth2",
      link: "MISSING",
      gatewayNeighbour: null,
      txBytes: 0,
      rxBytes: 0,
      txPackets: 0,
      rxPackets: 0,
      flows: 0,
      routingTable: 300,
      mark: 3,
      enabled: false,
    });
  });
});

describe("failedSnapshot", () => {
  it("says why, with empty lists", () => {
    const s = failedSnapshot("lab (e2e-gw)", 'Cannot open network namespace "e2e-gw"', 3);
    expect(s).toMatchObject({
      ok: false,
      error: 'Cannot open network namespace "e2e-gw"',
      isps: [],
      hosts: [],
      drift: [],
      builtins: [],
      lastGoodRevision: null,
    });
    expect(s.owned).toEqual({ rules: [], routes: [], chains: [] });
    expect(s.foreign).toEqual({ rules: [], routes: [], chains: [] });
  });
});

describe("useLiveKernel: rates between readings", () => {
  const empty: LiveKernelState = { snapshot: null, previous: null, rates: {}, history: {}, error: null, updatedAt: null };
  const base = assembleLive(inputs());
  const at = (s: number, tx: number, rx: number): LiveSnapshot => ({
    ...base,
    observedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString(),
    isps: base.isps.map((i) => (i.name === "ISP1" ? { ...i, txBytes: tx, rxBytes: rx } : i)),
  });

  it("bytes per second from the server's timestamps; none from a first reading", () => {
    const s1 = advance(empty, at(0, 1000, 500), null, 1);
    expect(s1.rates).toEqual({});
    expect(s1.history).toEqual({ ISP1: [], ISP2: [] });
    const s2 = advance(s1, at(2, 201_000, 10_500), s1.snapshot, 2);
    expect(s2.rates.ISP1).toEqual({ txRate: 100_000, rxRate: 5_000 });
    expect(s2.rates.ISP2).toEqual({ txRate: 0, rxRate: 0 });
    expect(s2.history.ISP1).toEqual([{ at: Date.UTC(2026, 0, 1, 0, 0, 2), txRate: 100_000, rxRate: 5_000 }]);
    expect(s2).toMatchObject({ previous: s1.snapshot, updatedAt: 2, error: null });
  });

  it("counters that went backwards (chain reloaded) give no rate and keep the history", () => {
    const s1 = advance(empty, at(0, 1000, 500), null, 1);
    const s2 = advance(s1, at(2, 3000, 700), s1.snapshot, 2);
    const s3 = advance(s2, at(4, 10, 10), s2.snapshot, 3);
    expect(s3.rates.ISP1).toBeUndefined();
    expect(s3.history.ISP1).toEqual(s2.history.ISP1);
  });

  it("keeps the last HISTORY_LENGTH samples", () => {
    let s = advance(empty, at(0, 0, 0), null, 0);
    for (let i = 1; i <= HISTORY_LENGTH + 5; i++) s = advance(s, at(i, i * 100, 0), s.snapshot, i);
    expect(s.history.ISP1).toHaveLength(HISTORY_LENGTH);
    expect(s.history.ISP1[0].at).toBe(Date.UTC(2026, 0, 1, 0, 0, 6));
  });
});
