// The address library of both families (lib/net/address.ts), and ipv4.ts on top of it.
import { describe, expect, it } from "vitest";
import { canonicalAddress, familyOf, isAddress, isPrefix, networkAddress, parseAddress, parsePrefix, prefixContains, prefixesOverlap } from "@/lib/net/address";
import { IPV4_RE, isIpv4, parseCidr } from "@/lib/net/ipv4";

describe("addresses", () => {
  it("IPv4: four decimal parts, no leading zeros", () => {
    expect(parseAddress("192.168.1.7")).toEqual({ family: "ipv4", address: "192.168.1.7" });
    expect(parseAddress("0.0.0.0")?.family).toBe("ipv4");
    for (const bad of ["010.1.1.1", "256.1.1.1", "1.2.3", "1.2.3.4.5", "0x7f.0.0.1", "1.2.3.4 ", " 1.2.3.4", "", "1.2.3.-1", "1e2.0.0.1"])
      expect(parseAddress(bad), bad).toBeNull();
  });

  it("IPv6: canonical text (RFC 5952), no zone", () => {
    expect(parseAddress("2001:DB8:0:0:0:0:0:1")).toEqual({ family: "ipv6", address: "2001:db8::1" });
    expect(parseAddress("::")?.address).toBe("::");
    // an IPv4-mapped address is IPv6 (ipaddr.js writes it in hex)
    expect(parseAddress("::ffff:192.0.2.1")).toEqual({ family: "ipv6", address: "::ffff:c000:201" });
    expect(canonicalAddress("fe80:0000::0001")).toBe("fe80::1");
    for (const bad of ["fe80::1%eth0", "2001:db8::1::2", "2001:db8::g", ":::", "2001:db8:: ", "12345::1", "1:2:3:4:5:6:7:8:9"])
      expect(parseAddress(bad), bad).toBeNull();
  });

  it("family of an address or a prefix", () => {
    expect(familyOf("10.0.0.1")).toBe("ipv4");
    expect(familyOf("10.0.0.0/8")).toBe("ipv4");
    expect(familyOf("2001:db8::/32")).toBe("ipv6");
    expect(familyOf("fe80::1")).toBe("ipv6");
    expect(familyOf("example.com")).toBeNull();
    expect(familyOf("10.0.0.0/33")).toBeNull();
    expect(isAddress("10.0.0.1", "ipv6")).toBe(false);
    expect(isPrefix("2001:db8::/32", "ipv6")).toBe(true);
  });

  it("refuses what is not an address, and says which", () => {
    expect(() => canonicalAddress("nope")).toThrow('not an IP address: "nope"');
    expect(() => networkAddress("1.2.3.4", 33)).toThrow("not a prefix length of ipv4: 33");
    expect(() => prefixContains("10.0.0.0/8x", "10.1.1.1")).toThrow('not an IP prefix: "10.0.0.0/8x"');
    expect(() => prefixContains("10.0.0.0/8", "10.1.1")).toThrow('not an IP address: "10.1.1"');
  });
});

describe("prefixes", () => {
  it("parse with the network, in either family", () => {
    expect(parsePrefix("192.168.1.1/24")).toEqual({ family: "ipv4", address: "192.168.1.1", prefix: 24, network: "192.168.1.0/24" });
    expect(parsePrefix("2001:DB8:1:2::7/48")).toEqual({ family: "ipv6", address: "2001:db8:1:2::7", prefix: 48, network: "2001:db8:1::/48" });
    expect(parsePrefix("::/0")?.network).toBe("::/0");
    expect(parsePrefix("10.1.2.3/0")?.network).toBe("0.0.0.0/0");
    expect(parsePrefix("2001:db8::1/128")?.network).toBe("2001:db8::1/128");
    for (const bad of ["10.0.0.0/33", "10.0.0.0/08", "10.0.0.0/", "10.0.0.0", "2001:db8::/129", "2001:db8::/-1", "/24", "10.0.0.0/24/1", "fe80::/10%eth0"])
      expect(parsePrefix(bad), bad).toBeNull();
  });

  it("network address", () => {
    expect(networkAddress("192.168.1.200", 25)).toBe("192.168.1.128");
    expect(networkAddress("192.168.1.200", 32)).toBe("192.168.1.200");
    expect(networkAddress("2001:db8:abcd:12::1", 56)).toBe("2001:db8:abcd::");
    expect(networkAddress("2001:db8:abcd:1234::1", 62)).toBe("2001:db8:abcd:1234::");
    expect(networkAddress("2001:db8:abcd:1237::1", 62)).toBe("2001:db8:abcd:1234::");
  });

  it("containment, never across families", () => {
    expect(prefixContains("192.168.1.0/24", "192.168.1.77")).toBe(true);
    expect(prefixContains("192.168.1.0/24", "192.168.2.1")).toBe(false);
    expect(prefixContains("0.0.0.0/0", "8.8.8.8")).toBe(true);
    expect(prefixContains("2001:db8::/32", "2001:db8:ffff::1")).toBe(true);
    expect(prefixContains("2001:db8::/32", "2001:db9::1")).toBe(false);
    expect(prefixContains("::/0", "10.0.0.1")).toBe(false);
    expect(prefixContains("0.0.0.0/0", "::ffff:10.0.0.1")).toBe(false);
  });

  it("overlap, never across families", () => {
    expect(prefixesOverlap("10.0.0.0/8", "10.20.0.0/16")).toBe(true);
    expect(prefixesOverlap("10.20.0.0/16", "10.0.0.0/8")).toBe(true);
    expect(prefixesOverlap("10.0.0.0/16", "10.1.0.0/16")).toBe(false);
    expect(prefixesOverlap("2001:db8::/48", "2001:db8:0:ff::/64")).toBe(true);
    expect(prefixesOverlap("2001:db8::/48", "2001:db8:1::/48")).toBe(false);
    expect(prefixesOverlap("::/0", "0.0.0.0/0")).toBe(false);
  });
});

describe("ipv4.ts on the address library: the same answers", () => {
  const samples = [
    "1.2.3.4",
    "0.0.0.0",
    "255.255.255.255",
    "256.0.0.1",
    "01.2.3.4",
    "1.2.3",
    "a.b.c.d",
    "1.2.3.4/24",
    "",
    " 1.2.3.4",
    "1.2.3.4\n",
    "::1",
    "00.0.0.0",
    "1.02.3.4",
  ];
  it("isIpv4 is the strict regex", () => {
    for (const s of samples) expect(isIpv4(s), JSON.stringify(s)).toBe(IPV4_RE.test(s));
  });
  it("parseCidr keeps the address as written and refuses the same inputs", () => {
    expect(parseCidr("192.168.1.1/24")).toEqual({ address: "192.168.1.1", prefix: 24 });
    expect(parseCidr("10.0.0.0/0")).toEqual({ address: "10.0.0.0", prefix: 0 });
    for (const bad of ["10.0.0.0/33", "10.0.0.0/08", "10.0.0.0/", "10.0.0.0/100", "2001:db8::/32", "010.0.0.0/8", "10.0.0.0/8/8", "10.0.0.0/ 8"])
      expect(parseCidr(bad), bad).toBeNull();
  });
});
