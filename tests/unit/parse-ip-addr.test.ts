// `ip -json addr show` (lib/net/parse/ip-addr.ts): golden pairs (a namespace with IPv4, IPv6, a PPP-style
// peer address, a bridge; `-d` adds the link kind; a DHCP WAN; a WAN whose lease is gone) and the empty output.
import { describe, expect, it } from "vitest";
import { ipv4Addresses, parseIpAddrJson } from "@/lib/net/parse/ip-addr";
import { goldenPairs, parseFixture } from "../helpers/parse-golden";

describe("ip -json addr show", () => {
  goldenPairs("ip-addr", (text) => parseIpAddrJson(text));
  it("empty output is no interfaces", () => expect(parseIpAddrJson("")).toEqual([]));
  it("every address carries its family; ipv4Addresses leaves out IPv6 and scope host", () => {
    const [lo, wan0] = parseIpAddrJson(parseFixture("ip-addr", "ns.txt"));
    expect(lo.addresses.map((a) => [a.family, a.local, a.scope])).toEqual([
      [4, "127.0.0.1", "host"],
      [6, "::1", "host"],
    ]);
    expect(ipv4Addresses(lo)).toEqual([]);
    expect(ipv4Addresses(wan0)).toEqual([{ family: 4, local: "203.0.113.10", prefix: 24, scope: "global" }]);
  });
  it("a point-to-point address keeps its peer; an interface without IPv4 is listed", () => {
    const links = parseIpAddrJson(parseFixture("ip-addr", "no-ipv4.txt"));
    expect(links.map((l) => [l.name, ipv4Addresses(l)])).toEqual([
      ["lo", []],
      ["ppp0", [{ family: 4, local: "100.65.3.2", prefix: 32, scope: "global", peer: "100.65.3.1" }]],
      ["wan2", []],
    ]);
  });
  it("with -d, the link kind", () => {
    expect(parseIpAddrJson(parseFixture("ip-addr", "details.txt")).find((l) => l.name === "lan0")?.kind).toBe("bridge");
  });
});
