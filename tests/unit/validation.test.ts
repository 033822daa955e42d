import { describe, expect, it } from "vitest";
import { classicOffice, threeIsps } from "@/lib/examples";
import { checkbox, hostSchema, ispSchema, settingsSchema, validateConfig } from "@/lib/validation";
import type { GatewayConfig } from "@/lib/model";

const goodIsp = { ...classicOffice.isps[0] };

describe("field validation: a table of bad ISP inputs", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["empty name", { name: "" }, "name", /Enter a name/],
    ["name with a space", { name: "ISP 1" }, "name", /Start with a letter/],
    ["kernel table name", { name: "main" }, "name", /kernel's own/],
    ["numeric name", { name: "100" }, "name", /Start with a letter/],
    ["interface too long", { wanInterface: "eth0123456789012" }, "wanInterface", /at most 15/],
    ["interface with a slash", { wanInterface: "eth/0" }, "wanInterface", /Use letters/],
    ["interface with a colon", { wanInterface: "eth0:1" }, "wanInterface", /Use letters/],
    ["interface with a shell character", { wanInterface: "eth0;reboot" }, "wanInterface", /Use letters/],
    ["interface with a newline", { wanInterface: "eth0\n" }, "wanInterface", /Use letters/],
    ["interface with a unicode look-alike", { wanInterface: "еth0" }, "wanInterface", /Use letters/],
    ["gateway not an address", { gatewayAddress: "203.0.113" }, "gatewayAddress", /IPv4 address/],
    ["gateway with a leading zero", { gatewayAddress: "203.0.113.01" }, "gatewayAddress", /no leading zeros/],
    ["gateway octet > 255", { gatewayAddress: "203.0.113.256" }, "gatewayAddress", /IPv4 address/],
    ["loopback address", { linkAddress: "127.0.0.1" }, "linkAddress", /reserved/],
    ["prefix 33", { linkPrefix: 33 }, "linkPrefix", /between 8 and 32/],
    ["prefix as text", { linkPrefix: "24; ls" }, "linkPrefix", /whole number/],
    ["table 0", { routingTable: 0 }, "routingTable", /1 and 252/],
    ["table 254 (main)", { routingTable: 254 }, "routingTable", /kernel's own/],
    ["table 253 as a string", { routingTable: "253" }, "routingTable", /1 and 252/],
    ["table fractional", { routingTable: 10.5 }, "routingTable", /whole number/],
    ["mark 0", { mark: 0 }, "mark", /between 1 and 254/],
    ["mark above the mask", { mark: "0x100" }, "mark", /between 1 and 254/],
    ["nat mode unknown", { natMode: "DNAT" }, "natMode", /SNAT or MASQUERADE/],
  ];
  it.each(cases)("%s is refused at the field", (_label, patch, field, message) => {
    const r = ispSchema.safeParse({ ...goodIsp, ...patch });
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toMatch(message);
  });

  it("accepts form strings for numbers and hex marks", () => {
    const r = ispSchema.safeParse({ ...goodIsp, linkPrefix: "24", routingTable: "100", mark: "0x2", enabled: checkbox("on") });
    expect(r.success && r.data).toMatchObject({ linkPrefix: 24, routingTable: 100, mark: 2, enabled: true });
  });
});

describe("field validation: hosts and settings", () => {
  it.each([
    [{ name: "pc 1" }, "name"],
    [{ address: "192.168.1.1/24" }, "address"],
    [{ mac: "52:54:00:12:34" }, "mac"],
    [{ mac: "01:00:5e:00:00:01" }, "mac"],
    [{ notes: "ok\u0000" }, "notes"],
  ])("refuses %o", (patch, field) => {
    const r = hostSchema.safeParse({ ...classicOffice.hosts[0], ...patch });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path[0]).toBe(field);
  });

  it("normalises a MAC address and empty selects", () => {
    const r = hostSchema.parse({ name: "pc", address: "192.168.1.5", mac: "52:54:00:AB:CD:EF", isp: "", notes: "" });
    expect(r).toMatchObject({ mac: "52:54:00:ab:cd:ef", isp: null });
  });

  it("splits LAN subnets and refuses a bad one", () => {
    expect(settingsSchema.parse({ lanInterface: "lan0", lanSubnets: "192.168.1.1/24, 10.0.0.1/8", defaultIsp: "" }).lanSubnets).toEqual([
      "192.168.1.1/24",
      "10.0.0.1/8",
    ]);
    const r = settingsSchema.safeParse({ lanInterface: "lan0", lanSubnets: "192.168.1.1", defaultIsp: "" });
    expect(r.error!.issues[0].message).toMatch(/with its prefix/);
  });

  it("takes the firewall backend as auto, nftables or iptables (or absent), and says so at the field", () => {
    const base = { lanInterface: "lan0", lanSubnets: "192.168.1.1/24", defaultIsp: "" };
    for (const firewall of ["auto", "nftables", "iptables"] as const) expect(settingsSchema.parse({ ...base, firewall }).firewall).toBe(firewall);
    expect(settingsSchema.parse(base).firewall).toBeUndefined();
    for (const firewall of ["ebtables", "NFTABLES", "", 1]) {
      const r = settingsSchema.safeParse({ ...base, firewall });
      expect(r.error?.issues.map((i) => [i.path, i.message])).toEqual([[["firewall"], "Choose automatic, nftables or iptables"]]);
    }
  });
});

describe("whole-config rules", () => {
  const withChange = (f: (c: GatewayConfig) => void) => {
    const c = structuredClone(classicOffice);
    f(c);
    return validateConfig(c);
  };
  const expectIssue = (r: ReturnType<typeof validateConfig>, path: (string | number)[], message: RegExp) => {
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toContainEqual({ path, message: expect.stringMatching(message) });
  };

  it("accepts the examples", () => {
    expect(validateConfig(classicOffice).ok).toBe(true);
    expect(validateConfig(threeIsps).ok).toBe(true);
  });
  it("refuses a duplicate routing table", () =>
    expectIssue(
      withChange((c) => (c.isps[1].routingTable = 100)),
      ["isps", 1, "routingTable"],
      /already used/,
    ));
  it("refuses a duplicate mark", () =>
    expectIssue(
      withChange((c) => (c.isps[1].mark = 1)),
      ["isps", 1, "mark"],
      /already used/,
    ));
  it("refuses a duplicate WAN interface", () =>
    expectIssue(
      withChange((c) => (c.isps[1].wanInterface = "eth0")),
      ["isps", 1, "wanInterface"],
      /already used/,
    ));
  it("refuses the LAN interface as a WAN", () =>
    expectIssue(
      withChange((c) => (c.isps[0].wanInterface = "lan0")),
      ["isps", 0, "wanInterface"],
      /LAN interface/,
    ));
  it("refuses a gateway outside the link subnet", () =>
    expectIssue(
      withChange((c) => (c.isps[0].gatewayAddress = "203.0.114.1")),
      ["isps", 0, "gatewayAddress"],
      /inside the link subnet 203.0.113.0\/24/,
    ));
  it("refuses a gateway equal to the link address", () =>
    expectIssue(
      withChange((c) => (c.isps[0].gatewayAddress = "203.0.113.10")),
      ["isps", 0, "gatewayAddress"],
      /own address/,
    ));
  it("refuses overlapping link subnets", () =>
    expectIssue(
      withChange((c) => {
        c.isps[1].linkAddress = "203.0.113.20";
        c.isps[1].gatewayAddress = "203.0.113.2";
      }),
      ["isps", 1, "linkAddress"],
      /overlaps ISP1/,
    ));
  it("refuses a NAT address outside its ISP's link", () =>
    expectIssue(
      withChange((c) => (c.natAddresses[0].address = "198.51.100.99")),
      ["natAddresses", 0, "address"],
      /inside its link subnet/,
    ));
  it("refuses SNAT without a default NAT address", () =>
    expectIssue(
      withChange((c) => (c.natAddresses = c.natAddresses.slice(1))),
      ["isps", 0, "natMode"],
      /default NAT address/,
    ));
  it("refuses a host outside the LAN", () =>
    expectIssue(
      withChange((c) => (c.hosts[0].address = "10.0.0.5")),
      ["hosts", 0, "address"],
      /inside a LAN subnet/,
    ));
  it("refuses the gateway's own LAN address for a host", () =>
    expectIssue(
      withChange((c) => (c.hosts[0].address = "192.168.1.1")),
      ["hosts", 0, "address"],
      /gateway's own/,
    ));
  it("refuses a broadcast address for a host", () =>
    expectIssue(
      withChange((c) => (c.hosts[0].address = "192.168.1.255")),
      ["hosts", 0, "address"],
      /broadcast/,
    ));
  it("refuses duplicate host addresses", () =>
    expectIssue(
      withChange((c) => (c.hosts[1].address = "192.168.1.100")),
      ["hosts", 1, "address"],
      /already used/,
    ));
  it("refuses a host on an unknown ISP", () =>
    expectIssue(
      withChange((c) => (c.hosts[0].isp = "ISP9")),
      ["hosts", 0, "isp"],
      /no ISP named ISP9/,
    ));
  it("refuses an unknown default ISP", () =>
    expectIssue(
      withChange((c) => (c.settings.defaultIsp = "nope")),
      ["settings", "defaultIsp"],
      /no ISP named/,
    ));
  it("refuses an unknown firewall backend in an imported file, at its key", () =>
    expectIssue(
      withChange((c) => (c.settings.firewall = "pf" as never)),
      ["settings", "firewall"],
      /^Choose automatic, nftables or iptables$/,
    ));
  it("refuses unknown keys in an imported file", () => {
    const r = validateConfig({ ...classicOffice, extra: 1 });
    expect(r.ok).toBe(false);
  });
});

describe("gaps closed (issue 8)", () => {
  const withChange = (f: (c: GatewayConfig) => void) => {
    const c = structuredClone(classicOffice);
    f(c);
    return validateConfig(c);
  };
  const issuesAt = (r: ReturnType<typeof validateConfig>, path: (string | number)[]) =>
    r.ok ? [] : r.issues.filter((i) => JSON.stringify(i.path) === JSON.stringify(path)).map((i) => i.message);

  it.each(["lo", "all", "default"])("refuses %s as a WAN or LAN interface", (name) => {
    expect(
      issuesAt(
        withChange((c) => (c.isps[0].wanInterface = name)),
        ["isps", 0, "wanInterface"],
      ),
    ).toEqual([expect.stringMatching(/not interfaces a gateway routes through/)]);
    expect(
      issuesAt(
        withChange((c) => (c.settings.lanInterface = name)),
        ["settings", "lanInterface"],
      ),
    ).toEqual([expect.stringMatching(/not interfaces/)]);
  });
  it("still accepts names that merely contain them", () => {
    for (const name of ["lo1", "eth-all", "default0", "wlo1"]) expect(withChange((c) => (c.isps[0].wanInterface = name)).ok, name).toBe(true);
  });

  it.each(["192.168.1.0/24", "192.168.1.255/24", "10.0.0.0/8", "192.168.1.4/30", "192.168.1.7/30"])(
    "refuses the LAN address %s (the subnet's network or broadcast)",
    (lan) => {
      expect(
        issuesAt(
          withChange((c) => (c.settings.lanSubnets = [lan])),
          ["settings", "lanSubnets", 0],
        ),
      ).toEqual([expect.stringMatching(/network or broadcast/)]);
    },
  );
  it("refuses an ISP link address that is its subnet's network or broadcast address, up to /30", () => {
    for (const [addr, prefix] of [
      ["203.0.113.0", 24],
      ["203.0.113.255", 24],
      ["203.0.113.8", 30],
      ["203.0.113.11", 30],
    ] as const) {
      const r = withChange((c) => {
        c.isps[0].linkAddress = addr;
        c.isps[0].linkPrefix = prefix;
        c.isps[0].gatewayAddress = prefix === 30 ? "203.0.113.9" : "203.0.113.1";
        c.natAddresses[0].address = addr;
      });
      expect(issuesAt(r, ["isps", 0, "linkAddress"]), `${addr}/${prefix}`).toContainEqual(expect.stringMatching(/network or broadcast/));
    }
    // /31 (RFC 3021 point-to-point) has neither: both addresses are usable
    const p2p = withChange((c) => {
      c.isps[0].linkAddress = "203.0.113.10";
      c.isps[0].linkPrefix = 31;
      c.isps[0].gatewayAddress = "203.0.113.11";
    });
    expect(issuesAt(p2p, ["isps", 0, "linkAddress"])).toEqual([]);
  });

  it.each([1, 0, "yes", "no", "true", "on", null, "", [], {}])("refuses %j for enabled and isDefault in an import: booleans must be booleans", (v) => {
    const r = validateConfig({ ...structuredClone(classicOffice), isps: classicOffice.isps.map((i, n) => (n === 0 ? { ...i, enabled: v } : i)) });
    expect(issuesAt(r, ["isps", 0, "enabled"])).toEqual([expect.stringMatching(/true or false/)]);
    const r2 = validateConfig({
      ...structuredClone(classicOffice),
      natAddresses: classicOffice.natAddresses.map((x, n) => (n === 0 ? { ...x, isDefault: v } : x)),
    });
    expect(issuesAt(r2, ["natAddresses", 0, "isDefault"])).toEqual([expect.stringMatching(/true or false/)]);
  });
  it("a form checkbox is on when sent, off when absent", () => {
    expect([checkbox("on"), checkbox("true"), checkbox(undefined), checkbox(""), checkbox("off")]).toEqual([true, true, false, false, false]);
  });

  it.each(["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c"])("refuses the bidi control %s in notes", (ch) => {
    const r = hostSchema.safeParse({ ...classicOffice.hosts[0], notes: `invoice${JSON.parse(`"${ch}"`)}fdp.exe` });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toMatch(/bidirectional/);
  });
  it("stores a multi-line note from a browser (CRLF) with LF line ends", () => {
    const r = hostSchema.safeParse({ ...classicOffice.hosts[0], notes: "line one\r\nline two\rline three\nend" });
    expect(r.success && r.data.notes).toBe("line one\nline two\nline three\nend");
  });

  it("refuses a NAT address pinned to a host on a MASQUERADE ISP, with a clear message", () => {
    const r = validateConfig({
      ...threeIsps,
      natAddresses: [...threeIsps.natAddresses, { address: "100.72.0.10", isp: "lte", isDefault: false, host: "10.20.9.9" }],
    });
    expect(issuesAt(r, ["natAddresses", threeIsps.natAddresses.length, "host"])).toEqual([expect.stringMatching(/lte uses MASQUERADE.*needs SNAT/)]);
    // the same address unpinned is fine, and pinned on an SNAT ISP is fine
    expect(
      validateConfig({ ...threeIsps, natAddresses: [...threeIsps.natAddresses, { address: "100.72.0.10", isp: "lte", isDefault: false, host: null }] }).ok,
    ).toBe(true);
    expect(validateConfig(threeIsps).ok).toBe(true);
  });
});
