// Adopt's IPv6 inference (lib/adopt/infer6.ts) on what `switchyard adopt` read from the
// hand-built dual-stack gateway (scripts/capture-adopt-fixtures.ts --only dualstack): netifd's
// source-specific defaults give each ISP's prefix and next hop, the LAN's addresses its /64s;
// what cannot be tied to an ISP is said, not guessed.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inferAdoption } from "@/lib/adopt/infer";
import { adoptInputFrom } from "@/lib/adopt/read";
import { validateConfig } from "@/lib/validation";

const dir = path.join(import.meta.dirname, "../fixtures/adopt/dualstack");
const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
const input = (over: { routes6?: string; rules6?: string } = {}) =>
  adoptInputFrom(
    {
      rules: read("ip-rule.json"),
      routes: read("ip-route.json"),
      iptables: read("iptables-save.txt"),
      addrs: read("ip-addr.json"),
      rules6: over.rules6 ?? read("ip6-rule.json"),
      routes6: over.routes6 ?? read("ip6-route.json"),
    },
    [],
  );

describe("adopt: IPv6", () => {
  it("each ISP's prefix and next hop from netifd's source-specific defaults, the LAN /64s from its addresses; the proposal validates", () => {
    const a = inferAdoption(input());
    expect(a.config!.isps.map((i) => [i.name, i.wanInterface, i.ipv6])).toEqual([
      ["isp11", "eno1", { prefix: "2001:db8:a::/48", gateway: "fe80::1" }],
      ["isp12", "wwan0", { prefix: "2001:db8:b::/48", gateway: "2001:db8:f2::1" }],
    ]);
    expect(a.config!.settings.lanSubnets6).toEqual(["2001:db8:a:10::1/64", "2001:db8:b:10::1/64"]);
    expect(a.items.find((i) => i.path === "settings.lanSubnets6")?.from).toEqual([
      "ip -6 addr: 2001:db8:a:10::1/64 dev br-lan (in isp11's 2001:db8:a::/48)",
      "ip -6 addr: 2001:db8:b:10::1/64 dev br-lan (in isp12's 2001:db8:b::/48)",
    ]);
    expect(validateConfig(a.config!).ok).toBe(true);
  });

  it("an IPv6 default with no prefix tied to it is said, and that ISP gets no IPv6; the LAN keeps only /64s of ISPs found", () => {
    const routes6 = JSON.parse(read("ip6-route.json")) as { dst: string; from?: string; dev: string }[];
    // wwan0's default without its source prefix (a DHCPv6 client that installs a plain default)
    const plain = routes6.map((r) => (r.dev === "wwan0" && r.dst === "default" ? { ...r, from: undefined } : r));
    const a = inferAdoption(input({ routes6: JSON.stringify(plain) }));
    expect(a.config!.isps.map((i) => i.ipv6 ?? null)).toEqual([{ prefix: "2001:db8:a::/48", gateway: "fe80::1" }, null]);
    expect(a.config!.settings.lanSubnets6).toEqual(["2001:db8:a:10::1/64"]);
    expect(a.notUnderstood.find((n) => n.object.includes("wwan0"))?.why).toMatch(/no prefix is tied to it .*set isp12's IPv6 prefix by hand/);
  });

  it("a prefix longer than /64 is not an ISP's delegation: said, left out", () => {
    const routes6 = (JSON.parse(read("ip6-route.json")) as { dst: string; from?: string; dev: string }[]).map((r) =>
      r.dev === "eno1" && r.dst === "default" ? { ...r, from: "2001:db8:a:10::/80" } : r,
    );
    const a = inferAdoption(input({ routes6: JSON.stringify(routes6) }));
    expect(a.config!.isps[0].ipv6).toBeUndefined();
    expect(a.notUnderstood.map((n) => n.why)).toContain("2001:db8:a:10::/80 is not a /48 to /64: set isp11's IPv6 prefix by hand");
  });

  it("without the IPv6 listings (an older capture) the proposal is IPv4 only", () => {
    const a = inferAdoption(
      adoptInputFrom({ rules: read("ip-rule.json"), routes: read("ip-route.json"), iptables: read("iptables-save.txt"), addrs: read("ip-addr.json") }, []),
    );
    expect(a.config!.isps.every((i) => i.ipv6 === undefined)).toBe(true);
    expect(a.config!.settings.lanSubnets6).toBeUndefined();
  });
});
