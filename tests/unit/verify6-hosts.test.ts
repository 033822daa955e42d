// Each host's IPv6 in the verification (lib/net/verify6-hosts.ts): which way it leaves, judged
// from the /64 lookups of its mark, and proven only where its target's IPv6 canary rows are.
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import type { Canary6Proof } from "@/lib/net/canary/prove6";
import { ipv6Asks, judge } from "@/lib/net/verify6";
import { hostIpv6 } from "@/lib/net/verify6-hosts";
import { lansOf } from "@/lib/net/lans";

/** office-pc on ISP1 (no MAC), laptop on ISP2 (MAC); both ISPs with IPv6 */
function dual(over: (c: GatewayConfig) => void = () => undefined): GatewayConfig {
  const c = structuredClone(classicOffice);
  c.settings = { ...c.settings, lanSubnets6: ["2001:db8:a:1::1/64", "2001:db8:b:1::1/64"] };
  c.isps[0].ipv6 = { prefix: "2001:db8:a::/48", gateway: "fe80::1" };
  c.isps[1].ipv6 = { prefix: "2001:db8:b::/48", gateway: "fe80::2" };
  c.hosts[1].mac = "02:00:5e:00:00:0b";
  over(c);
  return c;
}
/** every lookup answered as expected, but the one for `wrong` (subnet, markedFor) */
const paths = (c: GatewayConfig, wrong?: { subnet: string; markedFor?: string }) =>
  ipv6Asks(c).map((a) => {
    const bad = wrong && a.verdict.subnet === wrong.subnet && a.verdict.markedFor === wrong.markedFor;
    const e = a.verdict.expected;
    return judge(a.verdict, bad ? { table: 254, dev: "eth9" } : e ? { table: e.table, dev: e.dev } : { error: "unreachable" });
  });
const row = (over: Partial<Canary6Proof>): Canary6Proof => ({
  target: "ISP2",
  kind: "isp",
  address: "2001:db8:a:1::5359:1",
  subnet: "2001:db8:a:1::/64",
  owner: "ISP1",
  isps: ["ISP2"],
  expectedSource: [],
  ok: true,
  ...over,
});

describe("a host's IPv6 verdict", () => {
  const c = dual();
  const lan = lansOf(c)[0];
  const laptop = c.hosts[1];
  const pc = c.hosts[0];

  it("a host with a MAC leaves by its ISP from every /64 (translated); predicted only without canary rows", () => {
    expect(hostIpv6(c, laptop, lan, paths(c), undefined, null)).toEqual({ leaves: "by ISP2", proof: "predicted", ok: true });
  });

  it("proven when every canary row of its target's slot is, not when one is skipped", () => {
    const rows = [row({}), row({ address: "2001:db8:b:1::5359:1", subnet: "2001:db8:b:1::/64", owner: "ISP2" })];
    expect(hostIpv6(c, laptop, lan, paths(c), rows, "ISP2")).toMatchObject({ proof: "canary", provenBy: "ISP2", ok: true });
    expect(hostIpv6(c, laptop, lan, paths(c), [rows[0], { ...rows[1], ok: false, skipped: true }], "ISP2")).toMatchObject({ proof: "predicted", ok: true });
  });

  it("fails with the /64 that leaves wrong, or with its canary row's reason", () => {
    const v = hostIpv6(c, laptop, lan, paths(c, { subnet: "2001:db8:a:1::/64", markedFor: "ISP2" }), undefined, null);
    expect(v?.ok).toBe(false);
    expect(v?.reason).toContain("2001:db8:a:1::/64 (ISP1's prefix on lan) marked for ISP2: leaves by table 254 dev eth9");
    const w = hostIpv6(c, laptop, lan, paths(c), [row({ ok: false, reason: "left as 2001:db8:a:1::5359:1, expected 2001:db8:b:1::5359:1" })], "ISP2");
    expect(w).toMatchObject({ ok: false, proof: "predicted" });
    expect(w?.reason).toBe("the IPv6 canary for ISP2 from ISP1's /64 failed: left as 2001:db8:a:1::5359:1, expected 2001:db8:b:1::5359:1");
  });

  it("a host without a MAC goes the unlisted hosts' way (the default ISP), and says why", () => {
    expect(hostIpv6(c, pc, lan, paths(c), undefined, null)).toEqual({
      leaves: "by ISP1 (no MAC: as the unlisted hosts)",
      noMac: true,
      proof: "predicted",
      ok: true,
    });
  });

  it("translation off on its ISP: it leaves by its address's ISP, each /64 named", () => {
    const off = dual((x) => (x.isps[1].ipv6!.translate = false));
    expect(hostIpv6(off, off.hosts[1], lansOf(off)[0], paths(off), undefined, null)?.leaves).toBe(
      "by its address's ISP (ISP1's /64 by ISP1, ISP2's /64 by ISP2)",
    );
  });

  it("nothing where the LAN has no IPv6", () => {
    const v4 = structuredClone(classicOffice);
    expect(hostIpv6(v4, v4.hosts[0], lansOf(v4)[0], [], undefined, null)).toBeUndefined();
  });
});
