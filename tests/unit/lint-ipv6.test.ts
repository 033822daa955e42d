// The override lint for IPv6 (docs/ipv6.md): a foreign `ip -6` rule ahead of Switchyard's that
// takes LAN /64 sources is named with the /64s it takes (hosts are known by MAC, so no IPv4
// address is ever affected by it), and a wrong IPv6 path names it.
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { lintOverrides, overridesOf } from "@/lib/net/lint";
import { classify } from "@/lib/net/observe";

// captured: `ip -6 -json rule show` in a namespace with three foreign rules and one of Switchyard's
const RULES6 = `[{"priority":0,"src":"all","table":"local"},{"priority":5000,"src":"2001:db8:a:1::","srclen":64,"table":"300"},{"priority":5001,"src":"2001:db8:b::","srclen":48,"table":"301"},{"priority":5002,"src":"2001:db8:a:1::5","table":"302"},{"priority":10000,"src":"all","dst":"2001:db8:a:1::","dstlen":64,"table":"main","protocol":"201"},{"priority":32766,"src":"all","table":"main"}]`;

const dual = () => {
  const c = structuredClone(classicOffice);
  c.isps[0].ipv6 = { prefix: "2001:db8:a::/48", gateway: "fe80::1" };
  c.isps[1].ipv6 = { prefix: "2001:db8:b::/48", gateway: "fe80::1" };
  c.settings.lanSubnets6 = ["2001:db8:a:1::1/64", "2001:db8:b:1::1/64"];
  return c;
};
const observed = () => classify("[]", "[]", "", undefined, undefined, undefined, { rules: RULES6, routes: "[]" });

describe("IPv6 override lint", () => {
  it("names each foreign ip -6 rule before Switchyard's that takes LAN /64 sources, with what it takes", () => {
    const o = lintOverrides(dual(), observed());
    expect(o.map((x) => [x.object, x.hosts])).toEqual([
      ["ip -6 rule priority 5000 from 2001:db8:a:1::/64 lookup 300", ["2001:db8:a:1::/64"]],
      ["ip -6 rule priority 5001 from 2001:db8:b::/48 lookup 301", ["2001:db8:b:1::/64"]],
      ["ip -6 rule priority 5002 from 2001:db8:a:1::5/128 lookup 302", ["2001:db8:a:1::5/128"]],
    ]);
    expect(o[0].effect).toBe("decides IPv6 before Switchyard's rules (table 300)");
  });

  it("affects no host's IPv4 address, and the /64's addresses", () => {
    const o = lintOverrides(dual(), observed());
    expect(overridesOf(o, "192.168.1.100")).toEqual([]);
    expect(overridesOf(o, "2001:db8:a:1::5ca1:ab1e").map((x) => x.object)).toEqual(["ip -6 rule priority 5000 from 2001:db8:a:1::/64 lookup 300"]);
  });

  it("says nothing where Switchyard routes no IPv6", () => {
    expect(lintOverrides(structuredClone(classicOffice), observed())).toEqual([]);
  });
});
