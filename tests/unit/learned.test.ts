// The learned addresses of dynamic ISPs as stored, recorded per revision and shown by status. Pure.
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { resolveDynamic, type ObservedLinks } from "@/lib/net/dynamic";
import { learnedRows, revisionLearned, type LearnedRecord } from "@/lib/data/learned";
import { learnedStatus } from "@/lib/engine/status";

const dhcp: GatewayConfig = {
  ...classicOffice,
  isps: [
    classicOffice.isps[0],
    { ...classicOffice.isps[1], wanInterface: "wan2", addressMode: "dhcp", gatewayAddress: "", linkAddress: "", linkPrefix: 0, natMode: "MASQUERADE" },
  ],
  natAddresses: [classicOffice.natAddresses[0]],
};
const withLease = (address: string): ObservedLinks => ({
  links: [{ name: "wan2", up: true, carrier: true, operstate: "UP", addresses: [{ family: 4, local: address, prefix: 24, scope: "global" }] }],
  routes: [{ family: 4, table: 254, dst: "default", gateway: "100.64.2.1", dev: "wan2", protocol: "dhcp" }],
});
const noLease: ObservedLinks = { links: [{ name: "wan2", up: true, carrier: true, operstate: "UP", addresses: [] }], routes: [] };
const T1 = new Date("2026-12-07T10:00:00Z");
const T2 = new Date("2026-12-07T10:05:00Z");

describe("learnedRows", () => {
  it("a new address is learned now; the same address seen again keeps the time it was first learned", () => {
    const first = learnedRows(dhcp, resolveDynamic(dhcp, withLease("100.64.2.100")), [], T1);
    expect(first).toEqual([
      {
        isp: "ISP2",
        mode: "dhcp",
        wan: "wan2",
        address: "100.64.2.100",
        prefix: 24,
        gateway: "100.64.2.1",
        gatewayFrom: "route",
        learnedAt: T1,
        problem: null,
        problemKind: null,
        checkedAt: T1,
      },
    ]);
    expect(learnedRows(dhcp, resolveDynamic(dhcp, withLease("100.64.2.100")), first, T2)[0]).toMatchObject({ learnedAt: T1, checkedAt: T2 });
    expect(learnedRows(dhcp, resolveDynamic(dhcp, withLease("100.64.2.150")), first, T2)[0]).toMatchObject({ address: "100.64.2.150", learnedAt: T2 });
  });
  it("the lease gone: no address, and why", () => {
    expect(learnedRows(dhcp, resolveDynamic(dhcp, noLease), [], T1)[0]).toMatchObject({
      address: null,
      learnedAt: null,
      problemKind: "no-address",
      problem: "wan2 has no IPv4 address yet (no DHCP lease)",
    });
  });
  it("static ISPs have no row", () => expect(learnedRows(classicOffice, resolveDynamic(classicOffice, noLease), [], T1)).toEqual([]));
});

describe("revisionLearned", () => {
  it("the address the revision ran with, and when it was learned; none for a configuration without dynamic ISPs", () => {
    const dyn = resolveDynamic(dhcp, withLease("100.64.2.100"));
    const rows = learnedRows(dhcp, dyn, [], T1);
    expect(revisionLearned(dyn.config, rows)).toEqual({ ISP2: { address: "100.64.2.100", prefix: 24, gateway: "100.64.2.1", learnedAt: T1.toISOString() } });
    const gone = resolveDynamic(dhcp, noLease);
    expect(revisionLearned(gone.config, learnedRows(dhcp, gone, rows, T2))).toEqual({ ISP2: { problem: "wan2 has no IPv4 address yet (no DHCP lease)" } });
    expect(revisionLearned(classicOffice, [])).toBeNull();
  });
});

describe("learnedStatus", () => {
  const rows: LearnedRecord[] = learnedRows(dhcp, resolveDynamic(dhcp, withLease("100.64.2.100")), [], T1);
  const now = T1.getTime() + 120_000;
  it("what runs and since when; nothing more while the WAN shows the same", () => {
    const [s] = learnedStatus(dhcp, rows, resolveDynamic(dhcp, withLease("100.64.2.100")), now);
    expect(s).toMatchObject({ isp: "ISP2", address: "100.64.2.100", learnedAt: T1.toISOString(), kernelNow: null });
    expect(s.line).toMatch(/^ISP2 \(DHCP on wan2\): 100\.64\.2\.100\/24 via 100\.64\.2\.1, learned \d\d:\d\d:\d\d \(2 min ago\)$/);
  });
  it("the WAN shows another lease than the one in use: said, as not applied yet", () => {
    const [s] = learnedStatus(dhcp, rows, resolveDynamic(dhcp, withLease("100.64.2.150")), now);
    expect(s.kernelNow).toBe("100.64.2.150/24 via 100.64.2.1");
    expect(s.line).toContain("; the WAN shows 100.64.2.150/24 via 100.64.2.1 now (the next apply takes it)");
  });
  it("no address yet and no such interface are told apart", () => {
    const gone = learnedRows(dhcp, resolveDynamic(dhcp, noLease), rows, T1);
    expect(learnedStatus(dhcp, gone, resolveDynamic(dhcp, noLease), now)[0]).toMatchObject({
      problemKind: "no-address",
      kernelNow: null,
      line: "ISP2 (DHCP on wan2): nothing learned: wan2 has no IPv4 address yet (no DHCP lease)",
    });
    const missing = resolveDynamic(dhcp, { links: [], routes: [] });
    expect(learnedStatus(dhcp, learnedRows(dhcp, missing, [], T1), missing, now)[0]).toMatchObject({
      problemKind: "no-interface",
      line: "ISP2 (DHCP on wan2): nothing learned: wan2: no such interface on the gateway",
    });
  });
  it("nothing stored yet", () => {
    expect(learnedStatus(dhcp, [], null, now)[0].line).toBe("ISP2 (DHCP on wan2): not learned by an apply or the monitor yet");
  });
});
