// The IPv6 flags of the command line (docs/ipv6.md): isp set --ipv6-*, lan add|set --subnets6.
import { describe, expect, it } from "vitest";
import { parseCli } from "@/lib/cli/args";

describe("isp set --ipv6-*", () => {
  it("takes a prefix, a gateway and translation on or off", () => {
    expect(parseCli(["isp", "set", "ISP1", "--ipv6-prefix", "2001:db8:1::/48", "--ipv6-gateway", "fe80::1", "--ipv6-translate", "off"])).toMatchObject({
      ok: true,
      command: { name: "isp", action: "set", isp: "ISP1", ipv6: { prefix: "2001:db8:1::/48", gateway: "fe80::1", translate: false } },
    });
    expect(parseCli(["isp", "set", "ISP1", "--ipv6-translate", "on"])).toMatchObject({ ok: true, command: { ipv6: { translate: true } } });
  });
  it("none (or an empty prefix) turns IPv6 off", () => {
    expect(parseCli(["isp", "set", "ISP1", "--ipv6-prefix", "none"])).toMatchObject({ ok: true, command: { ipv6: { prefix: "" } } });
    expect(parseCli(["isp", "set", "ISP1", "--ipv6-prefix="])).toMatchObject({ ok: true, command: { ipv6: { prefix: "" } } });
  });
  it("says what is wrong", () => {
    expect(parseCli(["isp", "set", "ISP1", "--ipv6-translate", "yes"])).toMatchObject({ ok: false, error: '--ipv6-translate: "yes" is not on or off' });
    expect(parseCli(["isp", "set", "ISP1"])).toMatchObject({ ok: false, error: expect.stringMatching(/needs something to change/) });
    expect(parseCli(["isp", "set"])).toMatchObject({ ok: false, error: expect.stringMatching(/needs the ISP's name/) });
    expect(parseCli(["plan", "--ipv6-prefix", "x"])).toMatchObject({ ok: false, error: "option --ipv6-prefix does not apply to plan" });
  });
});

describe("lan --subnets6", () => {
  it("a guest LAN's and the main LAN's /64s; none clears them", () => {
    expect(parseCli(["lan", "set", "guest", "--subnets6", "2001:db8:1:2::1/64"])).toMatchObject({
      ok: true,
      command: { fields: { subnets6: "2001:db8:1:2::1/64" } },
    });
    expect(parseCli(["lan", "set", "lan", "--subnets6", "none"])).toMatchObject({ ok: true, command: { lan: "lan", fields: { subnets6: "" } } });
  });
  it("the main LAN takes only --subnets6 here", () => {
    expect(parseCli(["lan", "set", "lan", "--interface", "eth9"])).toMatchObject({ ok: false, error: expect.stringMatching(/takes only --subnets6/) });
  });
});
