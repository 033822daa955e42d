// ISPs without IPv6 (issue 23, docs/ipv6.md "An ISP without IPv6"): their hosts' IPv6 follows
// its address (the default, as before) or is refused at once (ipv6Hosts "unreachable"): an
// `ip -6 rule fwmark <its mark> unreachable` on both backends, verified as refused, said on the
// board's cards, set from the form, the CLI and the file, refused together with a prefix.
import { describe, expect, it } from "vitest";
import { render } from "@/lib/net/render";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { ipv6Asks } from "@/lib/net/verify6";
import { ispSchema } from "@/lib/validation";
import { validateConfigFile } from "@/lib/validation/config-file";
import { ipv6Line } from "@/lib/board/ipv6-line";
import { parseCli } from "@/lib/cli/args";
import { ipv6FromForm, ispValues } from "@/components/isps/fields";
import { ipv6OfRow, ispRow } from "@/lib/data/config";
import { diffConfigs } from "@/lib/config-diff";

/** The classic office with IPv6 on ISP1 only; ISP2 has none (and refuses its hosts' IPv6 when asked). */
function oneV6(ipv6Hosts?: "follow" | "unreachable", firewall: "nftables" | "iptables" = "nftables"): GatewayConfig {
  const c = structuredClone(classicOffice);
  c.settings = { ...c.settings, firewall, lanSubnets6: ["2001:db8:a:1::1/64"] };
  c.isps[0].ipv6 = { prefix: "2001:db8:a::/48", gateway: "fe80::1" };
  if (ipv6Hosts) c.isps[1].ipv6Hosts = ipv6Hosts;
  c.hosts[1].mac = "02:00:5e:00:00:0b";
  return c;
}
const rules6 = (c: GatewayConfig) =>
  render(c)
    .script.split("\n")
    .filter((l) => l.startsWith("ip -6 rule"));

describe("render", () => {
  it("unreachable: ISP2's mark is refused for IPv6 at ISP2's mark slot, on both backends", () => {
    for (const backend of ["nftables", "iptables"] as const) {
      const rules = rules6(oneV6("unreachable", backend));
      expect(rules).toContain("ip -6 rule add priority 10101 fwmark 0x2/0xff unreachable protocol 201");
      // ISP1's own mark rule is still there, before it
      expect(rules.indexOf("ip -6 rule add priority 10100 fwmark 0x1/0xff lookup ISP1 protocol 201")).toBeLessThan(
        rules.indexOf("ip -6 rule add priority 10101 fwmark 0x2/0xff unreachable protocol 201"),
      );
    }
  });

  it("follow and absent render the same as before: no rule for ISP2's mark", () => {
    expect(rules6(oneV6("follow"))).toEqual(rules6(oneV6()));
    expect(rules6(oneV6()).some((l) => l.includes("fwmark 0x2/"))).toBe(false);
  });

  it("a disabled ISP, or a configuration without any IPv6, renders no IPv6 rule for it", () => {
    const off = oneV6("unreachable");
    off.isps[1].enabled = false;
    expect(rules6(off).some((l) => l.includes("fwmark 0x2/"))).toBe(false);
    const noV6 = structuredClone(classicOffice);
    noV6.isps[1].ipv6Hosts = "unreachable";
    expect(render(noV6).script).toBe(render(classicOffice).script);
  });
});

describe("verification", () => {
  it("the /64 marked for a refusing ISP must be refused; following: it leaves by its own ISP", () => {
    const marked = (c: GatewayConfig) => ipv6Asks(c).find((a) => a.verdict.markedFor === "ISP2")!;
    expect(marked(oneV6("unreachable")).verdict.expected).toBeNull();
    expect(marked(oneV6("unreachable")).mark).toBe(2);
    expect(marked(oneV6("follow")).verdict.expected).toMatchObject({ isp: "ISP1", dev: "eth0" });
  });
});

describe("the board's card line", () => {
  const v6 = [{ name: "ISP1", translate: true }];
  it("a host on the refusing ISP: IPv6 refused, naming the ISP", () => {
    expect(ipv6Line(true, ["ISP2"], v6, ["ISP2"])).toBe("IPv6 refused (ISP2 has no IPv6)");
    expect(ipv6Line(true, ["ISP2"], v6)).toBe("IPv6 follows its address");
    expect(ipv6Line(true, ["ISP1"], v6, ["ISP2"])).toBe("v4 and v6");
  });
  it("a policy over both: some connections refused", () => {
    expect(ipv6Line(true, ["ISP1", "ISP2"], v6, ["ISP2"])).toBe("IPv6 refused via ISP2, else follows its address");
  });
});

describe("validation, storage and the file", () => {
  it("unreachable with an IPv6 prefix is refused at the field", () => {
    const isp = { ...oneV6().isps[0], ipv6Hosts: "unreachable" };
    const r = ispSchema.safeParse(isp);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["ipv6Hosts", 'An ISP with IPv6 routes its hosts\' IPv6 itself: "unreachable" is only for an ISP without IPv6 (clear the prefix, or choose follow)'],
    ]);
    expect(ispSchema.safeParse({ ...isp, ipv6Hosts: "drop" }).error?.issues[0].message).toBe('IPv6 of its hosts must be "follow" or "unreachable"');
  });

  it('"follow" is the default and never written; "unreachable" is kept', () => {
    const isp = classicOffice.isps[1];
    expect(ispSchema.parse({ ...isp, ipv6Hosts: "follow" })).toEqual(isp);
    expect(ispSchema.parse({ ...isp, ipv6Hosts: "unreachable" })).toEqual({ ...isp, ipv6Hosts: "unreachable" });
    expect(ispRow({ ...isp, ipv6Hosts: "unreachable" }).ipv6Hosts).toBe("unreachable");
    expect(ispRow(isp).ipv6Hosts).toBe("follow");
    expect(ipv6OfRow({ ipv6Prefix: "", ipv6Gateway: "", ipv6Translate: true, ipv6Hosts: "follow" })).toEqual({});
    expect(ipv6OfRow({ ipv6Prefix: "", ipv6Gateway: "", ipv6Translate: true, ipv6Hosts: "unreachable" })).toEqual({ ipv6Hosts: "unreachable" });
  });

  it("an export with it imports as it was; the staged changes name it", () => {
    const c = oneV6("unreachable");
    const r = validateConfigFile(JSON.parse(JSON.stringify(c)));
    expect(r.ok && r.config.isps[1]).toEqual(c.isps[1]);
    expect(
      diffConfigs(oneV6(), c)
        .map((x) => JSON.stringify(x))
        .join("\n"),
    ).toContain("its hosts' IPv6 refused");
  });

  it("the form: the choice counts only while the prefix is empty", () => {
    expect(ipv6FromForm({ name: "x", ipv6Prefix: "", ipv6Gateway: "", ipv6Hosts: "unreachable" })).toMatchObject({ ipv6Hosts: "unreachable" });
    expect(ipv6FromForm({ name: "x", ipv6Prefix: "2001:db8:b::/48", ipv6Gateway: "fe80::1", ipv6Hosts: "unreachable" })).not.toHaveProperty("ipv6Hosts");
    expect(ispValues(oneV6("unreachable").isps[1]).ipv6Hosts).toBe("unreachable");
    expect(ispValues(classicOffice.isps[1]).ipv6Hosts).toBe("follow");
  });
});

describe("the CLI", () => {
  it("isp set NAME --ipv6-hosts follow|unreachable", () => {
    expect(parseCli(["isp", "set", "ISP2", "--ipv6-hosts", "unreachable"])).toMatchObject({
      ok: true,
      command: { isp: "ISP2", ipv6: { hosts: "unreachable" } },
    });
    expect(parseCli(["isp", "set", "ISP2", "--ipv6-hosts", "drop"])).toMatchObject({ ok: false, error: '--ipv6-hosts: "drop" is not follow or unreachable' });
  });
});
