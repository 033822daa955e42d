import { describe, expect, it } from "vitest";
import { classicOffice, threeIsps } from "@/lib/examples";
import { hostSchema, ispSchema, settingsSchema, validateConfig } from "@/lib/validation";
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
    ["mark 0", { mark: 0 }, "mark", /between 1 and 255/],
    ["mark above the mask", { mark: "0x100" }, "mark", /between 1 and 255/],
    ["nat mode unknown", { natMode: "DNAT" }, "natMode", /SNAT or MASQUERADE/],
  ];
  it.each(cases)("%s is refused at the field", (_label, patch, field, message) => {
    const r = ispSchema.safeParse({ ...goodIsp, ...patch });
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toMatch(message);
  });

  it("accepts form strings for numbers and hex marks", () => {
    const r = ispSchema.safeParse({ ...goodIsp, linkPrefix: "24", routingTable: "100", mark: "0x2", enabled: "on" });
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
    expect(settingsSchema.parse({ lanInterface: "lan0", lanSubnets: "192.168.1.1/24, 10.0.0.1/8", defaultIsp: "" }).lanSubnets)
      .toEqual(["192.168.1.1/24", "10.0.0.1/8"]);
    const r = settingsSchema.safeParse({ lanInterface: "lan0", lanSubnets: "192.168.1.1", defaultIsp: "" });
    expect(r.error!.issues[0].message).toMatch(/with its prefix/);
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
  it("refuses a duplicate routing table", () => expectIssue(withChange((c) => (c.isps[1].routingTable = 100)), ["isps", 1, "routingTable"], /already used/));
  it("refuses a duplicate mark", () => expectIssue(withChange((c) => (c.isps[1].mark = 1)), ["isps", 1, "mark"], /already used/));
  it("refuses a duplicate WAN interface", () => expectIssue(withChange((c) => (c.isps[1].wanInterface = "eth0")), ["isps", 1, "wanInterface"], /already used/));
  it("refuses the LAN interface as a WAN", () => expectIssue(withChange((c) => (c.isps[0].wanInterface = "lan0")), ["isps", 0, "wanInterface"], /LAN interface/));
  it("refuses a gateway outside the link subnet", () => expectIssue(withChange((c) => (c.isps[0].gatewayAddress = "203.0.114.1")), ["isps", 0, "gatewayAddress"], /inside the link subnet 203.0.113.0\/24/));
  it("refuses a gateway equal to the link address", () => expectIssue(withChange((c) => (c.isps[0].gatewayAddress = "203.0.113.10")), ["isps", 0, "gatewayAddress"], /own address/));
  it("refuses overlapping link subnets", () => expectIssue(withChange((c) => { c.isps[1].linkAddress = "203.0.113.20"; c.isps[1].gatewayAddress = "203.0.113.2"; }), ["isps", 1, "linkAddress"], /overlaps ISP1/));
  it("refuses a NAT address outside its ISP's link", () => expectIssue(withChange((c) => (c.natAddresses[0].address = "198.51.100.99")), ["natAddresses", 0, "address"], /inside its link subnet/));
  it("refuses SNAT without a default NAT address", () => expectIssue(withChange((c) => (c.natAddresses = c.natAddresses.slice(1))), ["isps", 0, "natMode"], /default NAT address/));
  it("refuses a host outside the LAN", () => expectIssue(withChange((c) => (c.hosts[0].address = "10.0.0.5")), ["hosts", 0, "address"], /inside a LAN subnet/));
  it("refuses the gateway's own LAN address for a host", () => expectIssue(withChange((c) => (c.hosts[0].address = "192.168.1.1")), ["hosts", 0, "address"], /gateway's own/));
  it("refuses a broadcast address for a host", () => expectIssue(withChange((c) => (c.hosts[0].address = "192.168.1.255")), ["hosts", 0, "address"], /broadcast/));
  it("refuses duplicate host addresses", () => expectIssue(withChange((c) => (c.hosts[1].address = "192.168.1.100")), ["hosts", 1, "address"], /already used/));
  it("refuses a host on an unknown ISP", () => expectIssue(withChange((c) => (c.hosts[0].isp = "ISP9")), ["hosts", 0, "isp"], /no ISP named ISP9/));
  it("refuses an unknown default ISP", () => expectIssue(withChange((c) => (c.settings.defaultIsp = "nope")), ["settings", "defaultIsp"], /no ISP named/));
  it("refuses unknown keys in an imported file", () => {
    const r = validateConfig({ ...classicOffice, extra: 1 });
    expect(r.ok).toBe(false);
  });
});
