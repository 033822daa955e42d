// An ISP's IPv6 learned by DHCPv6-PD (lib/net/dynamic6.ts), on captured kernel output
// (tests/fixtures/pd): a real exchange in namespaces, ISC `dhcpd -6` delegating 2001:db8:a00::/56
// and radvd advertising the route, dhcpcd 9.4.1 on the gateway's WAN e24w with
// `ia_pd 1 e24lan/1/64` (it put 2001:db8:a00:1::1/64 on the LAN e24lan). route-odhcp6c.json is
// the same kernel with the source-specific default route odhcp6c/netifd install added.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { parseIpAddrJson } from "@/lib/net/parse/ip-addr";
import { parseIpRouteJson } from "@/lib/net/parse/ip-route";
import { parseDhcpcdPd, resolveDynamic6, type Observed6 } from "@/lib/net/dynamic6";
import { resolveDynamic } from "@/lib/net/dynamic";
import { validateConfig } from "@/lib/validation";

const fixture = (f: string) => readFileSync(path.resolve(import.meta.dirname, "../fixtures/pd", f), "utf8");
const links = parseIpAddrJson(fixture("addr-dhcpcd.json"));
const routes = (f: string) => parseIpRouteJson(fixture(f), undefined, 254, 6);
const GW = "fe80::a897:43ff:fe91:f1d4";

const pdConfig: GatewayConfig = {
  ...classicOffice,
  settings: { ...classicOffice.settings, lanInterface: "e24lan" },
  isps: [{ ...classicOffice.isps[0], wanInterface: "e24w", ipv6: { mode: "pd", prefix: "", gateway: "" } }, classicOffice.isps[1]],
};

const observed = (routeFile: string, dhcpcd: string | null): Observed6 => ({ links, routes6: routes(routeFile), dhcpcd: { e24w: dhcpcd } });

describe("DHCPv6-PD: what the box's client left in the kernel", () => {
  it("reads dhcpcd's delegated prefix from `dhcpcd -U -6` (its RA block first, then the DHCPv6 one)", () => {
    expect(parseDhcpcdPd(fixture("dhcpcd-U.txt"))).toBe("2001:db8:a00::/56");
    expect(parseDhcpcdPd("reason=ROUTERADVERT\nprotocol=ra\n")).toBeNull();
  });

  it("dhcpcd: the prefix from its lease, the gateway from the RA default route, the LAN /64 from the LAN's address", () => {
    const r = resolveDynamic6(pdConfig, observed("route-dhcpcd.json", fixture("dhcpcd-U.txt")));
    expect(r.problems6).toEqual([]);
    expect(r.learned6.ISP1).toEqual({ prefix: "2001:db8:a00::/56", gateway: GW, prefixFrom: "dhcpcd", lans: [{ lan: "lan", subnet: "2001:db8:a00:1::1/64" }] });
    // what render sees: a static-looking IPv6 ISP and the LAN /64, and it validates as one
    expect(r.config.isps[0].ipv6).toEqual({ mode: "pd", prefix: "2001:db8:a00::/56", gateway: GW });
    expect(r.config.settings.lanSubnets6).toEqual(["2001:db8:a00:1::1/64"]);
    expect(validateConfig(r.config).ok).toBe(true);
  });

  it("odhcp6c/netifd: the source-specific default route names the prefix, dhcpcd is not needed", () => {
    const r = resolveDynamic6(pdConfig, observed("route-odhcp6c.json", null));
    expect(r.learned6.ISP1).toMatchObject({ prefix: "2001:db8:a00::/56", gateway: GW, prefixFrom: "route" });
  });

  it("no prefix learned (dhcpcd not answering, no source route): the ISP runs without IPv6 and says why", () => {
    const r = resolveDynamic6(pdConfig, observed("route-dhcpcd.json", null));
    expect(r.config.isps[0].ipv6).toBeUndefined();
    expect(r.config.isps[0].enabled).toBe(true); // its IPv4 is not touched
    expect(r.config.settings.lanSubnets6).toBeUndefined();
    expect(r.problems6).toEqual([{ isp: "ISP1", kind: "no-prefix", message: expect.stringContaining("e24w has no delegated IPv6 prefix yet") }]);
  });

  it("no router advertisement yet: no gateway", () => {
    const r = resolveDynamic6(pdConfig, { links, routes6: [], dhcpcd: { e24w: fixture("dhcpcd-U.txt") } });
    expect(r.problems6[0]).toMatchObject({ kind: "no-gateway", message: expect.stringContaining("e24w has no IPv6 default route yet") });
  });

  it("a prefix on no LAN (the client has not assigned the /64 yet) is not used", () => {
    const r = resolveDynamic6(
      { ...pdConfig, settings: { ...pdConfig.settings, lanInterface: "lan0" } },
      observed("route-dhcpcd.json", fixture("dhcpcd-U.txt")),
    );
    expect(r.problems6[0]).toMatchObject({ kind: "no-lan-address", message: expect.stringContaining("2001:db8:a00::/56 is on no LAN yet") });
  });

  it("a new delegation is followed: dhcpcd lists the old prefix withdrawn (vltime 0), then the new one on the LAN", () => {
    // captured after the ISP's server delegated 2001:db8:b00::/56 instead (tests/kernel/pd-gateway.ts, WAN pdxwan, LAN pdxlan)
    expect(parseDhcpcdPd(fixture("dhcpcd-U-renumbered.txt"))).toBe("2001:db8:b00::/56");
    const moved = parseIpAddrJson(fixture("addr-renumbered.json").replaceAll("pdxlan", "e24lan"));
    const r = resolveDynamic6(pdConfig, { links: moved, routes6: routes("route-dhcpcd.json"), dhcpcd: { e24w: fixture("dhcpcd-U-renumbered.txt") } });
    expect(r.config.isps[0].ipv6?.prefix).toBe("2001:db8:b00::/56");
    expect(r.config.settings.lanSubnets6).toEqual(["2001:db8:b00:1::1/64"]);
  });

  it("a prefix the kernel shows that no user could type (a /40) is refused by the same schema", () => {
    const lease = fixture("dhcpcd-U.txt").replace("dhcp6_ia_pd1_prefix1_length=56", "dhcp6_ia_pd1_prefix1_length=40");
    const r = resolveDynamic6(pdConfig, observed("route-dhcpcd.json", lease));
    expect(r.problems6[0]).toMatchObject({ kind: "unusable" });
  });

  it("resolveDynamic resolves IPv6 beside IPv4; a configuration without pd ISPs is the same object", () => {
    const r = resolveDynamic(pdConfig, { links, routes: [], routes6: routes("route-dhcpcd.json"), dhcpcd: { e24w: fixture("dhcpcd-U.txt") } });
    expect(r.learned6?.ISP1?.prefix).toBe("2001:db8:a00::/56");
    expect(resolveDynamic(classicOffice, { links, routes: [] }).config).toEqual(classicOffice);
    expect(resolveDynamic6(classicOffice, observed("route-dhcpcd.json", null)).config).toBe(classicOffice);
  });

  it("a stored pd ISP validates without prefix and gateway, a static one still needs both", () => {
    expect(validateConfig(pdConfig).ok).toBe(true);
    const stat = { ...pdConfig, isps: [{ ...pdConfig.isps[0], ipv6: { prefix: "", gateway: "fe80::1" } }, pdConfig.isps[1]] };
    const v = validateConfig(stat);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.issues[0]).toMatchObject({ path: ["isps", 0, "ipv6", "prefix"] });
  });
});
