// IPv6 settings (docs/ipv6.md): each field refused at the field with a message that says what
// was meant, the cross-entity rules naming the ISPs and LANs involved, canonical forms stored.
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { ispSchema, settingsSchema, validateConfig } from "@/lib/validation";
import type { GatewayConfig, IspConfig } from "@/lib/model";

const isp1 = classicOffice.isps[0];
const v6 = (prefix: unknown, gateway: unknown, translate?: unknown) => ({
  ...isp1,
  ipv6: { prefix, gateway, ...(translate === undefined ? {} : { translate }) },
});

function issueAt(r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, path: string) {
  expect(r.success).toBe(false);
  return r.error!.issues.find((i) => i.path.join(".") === path)?.message;
}

describe("an ISP's IPv6 fields", () => {
  it.each([
    ["not a prefix", "2001:db8:1::", "prefix", /network\/length/],
    ["an IPv4 block", "198.51.100.0/24", "prefix", /network\/length/],
    ["a /32 (too large)", "2001:db8::/32", "prefix", /between \/48 and \/64/],
    ["a /80 (too small)", "2001:db8:1::/80", "prefix", /between \/48 and \/64/],
    ["link-local", "fe80::/64", "prefix", /not a global prefix/],
    ["multicast", "ff02::/64", "prefix", /not a global prefix/],
  ])("%s is refused at the prefix", (_l, prefix, field, message) => {
    expect(issueAt(ispSchema.safeParse(v6(prefix, "fe80::1")), `ipv6.${field}`)).toMatch(message);
  });

  it("host bits set: says which network was meant", () => {
    expect(issueAt(ispSchema.safeParse(v6("2001:db8:1::5/48", "fe80::1")), "ipv6.prefix")).toBe(
      "2001:db8:1::5/48 has host bits set: enter the network, 2001:db8:1::/48",
    );
  });

  it.each([
    ["an IPv4 gateway", "203.0.113.1", /Enter an IPv6 address/],
    ["a zone", "fe80::1%eth0", /Enter an IPv6 address/],
    ["with a length", "fe80::1/64", /Enter an IPv6 address/],
    ["multicast", "ff02::1", /cannot be a next hop/],
    ["unspecified", "::", /cannot be a next hop/],
  ])("%s is refused at the gateway", (_l, gateway, message) => {
    expect(issueAt(ispSchema.safeParse(v6("2001:db8:1::/48", gateway)), "ipv6.gateway")).toMatch(message);
  });

  it("a prefix needs a gateway, and a gateway needs a prefix", () => {
    expect(issueAt(ispSchema.safeParse(v6("2001:db8:1::/48", "")), "ipv6.gateway")).toMatch(/Enter the ISP's IPv6 gateway/);
    expect(issueAt(ispSchema.safeParse(v6("", "fe80::1")), "ipv6.prefix")).toMatch(/a gateway alone does nothing/);
  });

  it("stores canonical text, link-local gateways allowed, translate only when off", () => {
    const r = ispSchema.safeParse(v6("2001:DB8:1:0::/48", "FE80:0::1", true));
    expect(r.success && r.data.ipv6).toEqual({ prefix: "2001:db8:1::/48", gateway: "fe80::1" });
    const off = ispSchema.safeParse(v6("2001:db8:1::/48", "fe80::1", false));
    expect(off.success && off.data.ipv6).toEqual({ prefix: "2001:db8:1::/48", gateway: "fe80::1", translate: false });
    expect(issueAt(ispSchema.safeParse(v6("2001:db8:1::/48", "fe80::1", "yes")), "ipv6.translate")).toMatch(/true or false/);
  });

  it("an empty prefix and gateway is IPv6 off: no ipv6 key at all", () => {
    const r = ispSchema.safeParse(v6("", ""));
    expect(r.success && "ipv6" in r.data).toBe(false);
    const plain = ispSchema.safeParse(isp1);
    expect(plain.success && JSON.stringify(plain.data)).toBe(JSON.stringify(isp1));
  });
});

describe("a LAN's IPv6 subnets", () => {
  const settings = (lanSubnets6: unknown) => settingsSchema.safeParse({ ...classicOffice.settings, lanSubnets6 });
  it.each([
    ["the network itself", ["2001:db8:1:1::/64"], /is the network itself: enter the gateway's own address in it, like 2001:db8:1:1::1\/64/],
    ["a /56", ["2001:db8:1:1::1/56"], /a LAN's IPv6 subnet is a \/64/],
    ["no length", ["2001:db8:1:1::1"], /with \/64/],
    ["link-local", ["fe80::1/64"], /not a global address/],
  ])("%s is refused", (_l, list, message) => {
    expect(issueAt(settings(list), "lanSubnets6.0")).toMatch(message);
  });
  it("a form's text is split and made canonical", () => {
    const r = settings("2001:DB8:1:1:0::1/64, 2001:db8:2:1::1/64");
    expect(r.success && r.data.lanSubnets6).toEqual(["2001:db8:1:1::1/64", "2001:db8:2:1::1/64"]);
  });
});

describe("IPv6 across the configuration", () => {
  const withV6 = (patch: (c: GatewayConfig) => void): GatewayConfig => {
    const c: GatewayConfig = structuredClone(classicOffice);
    (c.isps[0] as IspConfig).ipv6 = { prefix: "2001:db8:1::/48", gateway: "fe80::1" };
    (c.isps[1] as IspConfig).ipv6 = { prefix: "2001:db8:2::/48", gateway: "fe80::2" };
    c.settings.lanSubnets6 = ["2001:db8:1:1::1/64", "2001:db8:2:1::1/64"];
    patch(c);
    return c;
  };
  const messages = (c: GatewayConfig) => {
    const r = validateConfig(c);
    return r.ok ? [] : r.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  const [a, b] = classicOffice.isps.map((i) => i.name);

  it("a dual-stack office is valid and comes back as it went in", () => {
    const c = withV6(() => {});
    const r = validateConfig(c);
    expect(r.ok && r.config).toEqual(c);
  });

  it("overlapping ISP prefixes name both ISPs", () => {
    expect(messages(withV6((c) => (c.isps[1].ipv6!.prefix = "2001:db8:1:ff00::/56")))).toContain(
      `isps.1.ipv6.prefix: ${b}'s IPv6 prefix 2001:db8:1:ff00::/56 overlaps ${a}'s 2001:db8:1::/48: each ISP delegates its own prefix`,
    );
  });

  it("a LAN /64 outside every ISP prefix lists the prefixes", () => {
    expect(messages(withV6((c) => (c.settings.lanSubnets6 = ["2001:db8:9:1::1/64"])))).toContain(
      `settings.lanSubnets6: 2001:db8:9:1::1/64 is inside no ISP's IPv6 prefix (${a} 2001:db8:1::/48, ${b} 2001:db8:2::/48)`,
    );
  });

  it("a LAN /64 when no ISP has IPv6", () => {
    const c = structuredClone(classicOffice);
    c.settings.lanSubnets6 = ["2001:db8:1:1::1/64"];
    expect(messages(c).join("\n")).toMatch(/no ISP has an IPv6 prefix yet/);
  });

  it("two /64s of one ISP on a LAN", () => {
    expect(messages(withV6((c) => (c.settings.lanSubnets6 = ["2001:db8:1:1::1/64", "2001:db8:1:2::1/64"])))).toContain(
      `settings.lanSubnets6: 2001:db8:1:2::1/64 and 2001:db8:1:1::1/64 are both in ${a}'s prefix 2001:db8:1::/48: one /64 per ISP on a LAN`,
    );
  });

  it("one /64 on two LANs", () => {
    const c = withV6((c) => (c.settings.lans = [{ name: "guest", interface: "lan9", subnets: ["10.9.0.1/24"], subnets6: ["2001:db8:1:1::2/64"] }]));
    expect(messages(c)).toContain("settings.lans.0.subnets6: 2001:db8:1:1::/64 is already on LAN lan: each /64 is on one LAN");
  });

  it("an ISP's next hop inside a delegated prefix", () => {
    expect(messages(withV6((c) => (c.isps[0].ipv6!.gateway = "2001:db8:1::1")))).toContain(
      "isps.0.ipv6.gateway: The IPv6 gateway 2001:db8:1::1 is inside this ISP's own prefix 2001:db8:1::/48, which is routed to this gateway: the ISP's next hop lies outside it (often fe80::1)",
    );
  });

  it("a host's MAC is still checked (its IPv6 identity)", () => {
    const c = withV6((c) => (c.hosts[0].mac = "01:00:5e:00:00:01"));
    expect(messages(c).join("\n")).toMatch(/multicast MAC/);
  });
});

describe("IPv6 in the staged changes", () => {
  it("names an ISP's IPv6 and a LAN's /64s; a configuration without IPv6 shows no change", async () => {
    const { diffConfigs } = await import("@/lib/config-diff");
    expect(diffConfigs(classicOffice, structuredClone(classicOffice))).toEqual([]);
    const after: GatewayConfig = structuredClone(classicOffice);
    after.isps[0].ipv6 = { prefix: "2001:db8:1::/48", gateway: "fe80::1", translate: false };
    after.settings.lanSubnets6 = ["2001:db8:1:1::1/64"];
    const words = diffConfigs(classicOffice, after).flatMap((c) => c.details);
    expect(words).toContain("IPv6: (none) → 2001:db8:1::/48 via fe80::1, not translated");
    expect(words).toContain("LAN IPv6 subnets: (none) → 2001:db8:1:1::1/64");
  });
});
