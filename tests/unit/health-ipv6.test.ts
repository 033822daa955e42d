// Health probes over IPv6 (issue 23, docs/health.md): what the schema lets through to ping's
// command line, where an IPv6 target is refused and with what message, where each probe leaves
// from, and that the reasons name the target at fault.
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { checkedHealthFieldsSchema, healthFieldsSchema, healthTargetIssues } from "@/lib/validation/health";
import { ispExtrasSchema } from "@/lib/validation/isp-extras";
import { validateConfigFile } from "@/lib/validation/config-file";
import { defaultHealthSettings, thresholdsOf } from "@/lib/health/store";
import { probeFrom } from "@/lib/health/probe-source";
import { pingArgs } from "@/lib/health/probe";
import { parsePingLine } from "@/lib/net/parse/ping";
import { initialHealth, recordProbe } from "@/lib/health/state";
import { targetScope } from "@/lib/health/scope";

const targets = (v: unknown) => healthFieldsSchema.shape.targets.safeParse(v);
const messages = (v: unknown) => {
  const r = targets(v);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

/** The classic office, dual stack: ISP1 2001:db8:a::/48, ISP2 2001:db8:b::/48, the main LAN a /64 of each. */
function dualStack(over: (c: GatewayConfig) => void = () => undefined): GatewayConfig {
  const c = structuredClone(classicOffice);
  c.settings = { ...c.settings, lanSubnets6: ["2001:db8:a:1::1/64", "2001:db8:b:1::1/64"] };
  c.isps[0].ipv6 = { prefix: "2001:db8:a::/48", gateway: "fe80::1" };
  c.isps[1].ipv6 = { prefix: "2001:db8:b::/48", gateway: "2001:db8:ffff::1" };
  over(c);
  return c;
}

describe("IPv6 probe targets: the schema", () => {
  it("takes IPv6 beside IPv4, stored lower-case compressed (RFC 5952); two spellings of one address are one target", () => {
    expect(targets("9.9.9.9, 2620:FE:0:0::FE").data).toEqual(["9.9.9.9", "2620:fe::fe"]);
    expect(targets(["2001:0db8:0000:0000:0000:0000:0000:0080"]).data).toEqual(["2001:db8::80"]);
    expect(messages("2620:fe::fe 2620:FE::fe")).toEqual(["Each probe target only once"]);
  });
  it("refuses link-local, multicast, unspecified and loopback, saying why at the field", () => {
    expect(messages("fe80::1")).toEqual(["fe80::1 is link-local, not a global IPv6 address: probe one beyond the ISP's router, like 2620:fe::fe"]);
    expect(messages("9.9.9.9 ff02::1")[0]).toMatch(/^ff02::1 is multicast, not a global IPv6 address/);
    expect(messages("::")[0]).toMatch(/^:: is the unspecified address/);
    expect(messages("::1")[0]).toMatch(/^::1 is loopback/);
  });
  it("refuses a prefix, a zone or an option, and nothing but addresses reaches ping", () => {
    for (const v of ["2001:db8::1/64", "fe80::1%eth0", "2001:db8::1 -f", "-6", "2001:db8::g", ":::"]) expect(targets(v).success, v).toBe(false);
    expect(messages("2001:db8::1/64")[0]).toMatch(/is not an IPv6 address: enter one like 2620:fe::fe \(no \/length, no %interface\)/);
    // IPv4 keeps its own messages
    expect(messages("010.1.1.1")[0]).toMatch(/^Enter an IPv4 address like/);
  });
  it("the defaults: a real router's are IPv4 only; a dual-stack lab ISP's add the test server's IPv6 address, reliability 1", () => {
    const [isp1] = dualStack().isps;
    expect(defaultHealthSettings(isp1, { lab: false }).targets).toEqual(["1.1.1.1", "8.8.8.8", "9.9.9.9"]);
    expect(defaultHealthSettings(classicOffice.isps[0], { lab: true }).targets).toEqual(["198.18.0.1"]);
    const lab6 = defaultHealthSettings(isp1, { lab: true });
    expect([lab6.targets, lab6.reliability]).toEqual([["198.18.0.1", "2001:2::1"], 1]);
    // translation off: no mark rule for the probe, so no IPv6 default target
    expect(defaultHealthSettings({ ...isp1, ipv6: { ...isp1.ipv6!, translate: false } }, { lab: true }).targets).toEqual(["198.18.0.1"]);
    const { isp: _isp, ...fields } = lab6;
    expect(checkedHealthFieldsSchema.safeParse(fields).success).toBe(true);
    expect(healthTargetIssues(isp1, lab6.targets)).toEqual([]);
  });
});

describe("an IPv6 target needs its ISP's IPv6", () => {
  const v6 = ["9.9.9.9", "2620:fe::fe"];
  it("refused, named, at the field: no IPv6, or translation off", () => {
    expect(healthTargetIssues({ name: "DSL" }, v6)).toEqual([
      { path: ["targets"], message: "2620:fe::fe: DSL has no IPv6 (set its IPv6 prefix first), so an IPv6 target cannot be probed through it" },
    ]);
    expect(healthTargetIssues({ name: "DSL", ipv6: { translate: false } }, v6)[0].message).toMatch(/IPv6 targets need DSL's IPv6 translation on/);
    expect(healthTargetIssues({ name: "DSL", ipv6: { translate: true } }, v6)).toEqual([]);
    expect(healthTargetIssues({ name: "DSL" }, ["9.9.9.9"])).toEqual([]);
  });
  const fields = { ...defaultHealthSettings({ name: "x" }, { lab: false }), isp: undefined, targets: "9.9.9.9, 2620:fe::fe" };
  delete (fields as { isp?: string }).isp;
  it("the ISP form: against the IPv6 the same form gives the ISP", () => {
    const off = ispExtrasSchema.safeParse({ health: fields, cap: undefined, isp: { name: "DSL", ipv6: null } });
    expect(off.success).toBe(false);
    expect(off.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["targets", "2620:fe::fe: DSL has no IPv6 (set its IPv6 prefix first), so an IPv6 target cannot be probed through it"],
    ]);
    expect(ispExtrasSchema.safeParse({ health: fields, cap: undefined, isp: { name: "DSL", ipv6: { translate: true } } }).success).toBe(true);
    expect(checkedHealthFieldsSchema.safeParse(fields).success).toBe(true);
  });
  it("an import file: at healthChecks.ISP.targets, against the file's own ISP", () => {
    const file = (c: GatewayConfig) => ({ ...c, healthChecks: { ISP1: { ...fields, targets: ["9.9.9.9", "2620:fe::fe"] } } });
    const bad = validateConfigFile(file(classicOffice));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.path.join("."))).toEqual(["healthChecks.ISP1.targets"]);
    const good = validateConfigFile(file(dualStack()));
    expect(good.ok && good.healthChecks?.ISP1.targets).toEqual(["9.9.9.9", "2620:fe::fe"]);
  });
});

describe("where a probe leaves from", () => {
  it("IPv4: the ISP's link address, ping's arguments as before", () => {
    const c = dualStack();
    expect(probeFrom(c, c.isps[0], "9.9.9.9")).toEqual({ source: "203.0.113.10" });
    expect(pingArgs({ isp: "ISP1", source: "203.0.113.10", target: "9.9.9.9", intervalMs: 1000, timeoutMs: 500 })).toEqual([
      "-n",
      "-O",
      "-i",
      "1",
      "-W",
      "0.5",
      "-I",
      "203.0.113.10",
      "9.9.9.9",
    ]);
  });
  it("IPv6: ping -6 from the gateway's address in the main LAN's /64 of the ISP, with the ISP's mark", () => {
    const c = dualStack();
    const from = probeFrom(c, c.isps[1], "2620:fe::fe");
    expect(from).toEqual({ source: "2001:db8:b:1::1", mark: 2 });
    expect(pingArgs({ isp: "ISP2", ...(from as { source: string; mark: number }), target: "2620:fe::fe", intervalMs: 1000, timeoutMs: 1000 })).toEqual([
      "-6",
      "-n",
      "-O",
      "-i",
      "1",
      "-W",
      "1",
      "-I",
      "2001:db8:b:1::1",
      "-m",
      "2",
      "2620:fe::fe",
    ]);
  });
  it("another LAN's /64 of the ISP when the main LAN has none", () => {
    const c = dualStack((c) => {
      c.settings.lanSubnets6 = ["2001:db8:a:1::1/64"];
      c.settings.lans = [{ name: "guest", interface: "lan1", subnets: ["10.9.0.1/24"], subnets6: ["2001:db8:b:9::1/64"], defaultIsp: "ISP2" }];
    });
    expect(probeFrom(c, c.isps[1], "2620:fe::fe")).toEqual({ source: "2001:db8:b:9::1", mark: 2 });
  });
  it("no LAN /64 of the ISP, no IPv6, translation off: a clear reason instead of a probe", () => {
    const none = dualStack((c) => (c.settings.lanSubnets6 = ["2001:db8:a:1::1/64"]));
    expect(probeFrom(none, none.isps[1], "2620:fe::fe")).toEqual({
      why: "2620:fe::fe cannot be probed: no LAN has an IPv6 /64 of ISP2's prefix, so the gateway has no address to send from",
    });
    expect(probeFrom(classicOffice, classicOffice.isps[0], "2620:fe::fe")).toEqual({ why: "2620:fe::fe cannot be probed: ISP1 has no IPv6" });
    const off = dualStack((c) => (c.isps[0].ipv6!.translate = false));
    expect("why" in probeFrom(off, off.isps[0], "2620:fe::fe")).toBe(true);
  });
  it("an IPv6 reply is read (the sender's colons are not the end of it)", () => {
    expect(parsePingLine("64 bytes from 2001:db8:ffff::80: icmp_seq=7 ttl=62 time=0.098 ms")).toEqual({ kind: "reply", seq: 7, rttMs: 0.098 });
    expect(parsePingLine("64 bytes from 9.9.9.9: icmp_seq=3 ttl=57 time=12.3 ms")).toEqual({ kind: "reply", seq: 3, rttMs: 12.3 });
  });
});

describe("the reasons name the target at fault", () => {
  const t = { ...thresholdsOf({ ...defaultHealthSettings({ name: "x" }, { lab: false }), downAfter: 3, lossWindow: 5, recoverWindow: 5 }), reliability: 2 };
  it("both required, the IPv6 one unanswered: down, naming it (mwan3's reliability across families)", () => {
    let h = initialHealth(0, true, ["9.9.9.9", "2620:fe::fe"]);
    for (let i = 0; i < 3; i++) {
      h = recordProbe(h, "9.9.9.9", true, 10, i * 1000, t).health;
      h = recordProbe(h, "2620:fe::fe", false, undefined, i * 1000, t).health;
    }
    expect(h.state).toBe("down");
    expect(h.reason).toBe("1 of 2 targets unanswered 3 times in a row: 2620:fe::fe (2 must answer)");
  });
  it("one of two required: the IPv6 one dying is not down", () => {
    let h = initialHealth(0, true, ["9.9.9.9", "2620:fe::fe"]);
    for (let i = 0; i < 10; i++) {
      h = recordProbe(h, "9.9.9.9", true, 10, i * 1000, { ...t, reliability: 1 }).health;
      h = recordProbe(h, "2620:fe::fe", false, undefined, i * 1000, { ...t, reliability: 1 }).health;
    }
    expect(h.state).toBe("up");
  });
});

describe("scope", () => {
  const isp = dualStack().isps[0];
  it("an IPv6 target beyond the router sees the internet; one in the ISP's own prefix proves the link only", () => {
    expect(targetScope(isp, { targets: ["2620:fe::fe"] })).toBe("internet");
    expect(targetScope(isp, { targets: ["2001:db8:a:1::1"] })).toBe("link");
  });
});
