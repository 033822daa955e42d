// Stored configurations (a revision's, an intent's) are read back through the schema (lib/data/stored.ts).
import { describe, expect, it } from "vitest";
import { parseStoredConfig, readStoredConfig, validateStoredConfig } from "@/lib/data/stored";
import { classicOffice } from "@/lib/examples";
import { formatIssues, issueLines } from "@/lib/validation/issues";
import { resolveDynamic } from "@/lib/net/dynamic";
import { validateConfig } from "@/lib/validation";

describe("stored configurations", () => {
  it("reads a stored config, and nothing from a broken one", () => {
    expect(readStoredConfig(JSON.stringify(classicOffice))).toEqual(classicOffice);
    expect(readStoredConfig("{not json")).toBeNull();
    expect(readStoredConfig("{}")).toBeNull();
    expect(readStoredConfig(null)).toBeNull();
  });

  it("gives back the text as stored, not the schema's output (a dynamic ISP keeps its learned addresses)", () => {
    const ran = structuredClone(classicOffice);
    Object.assign(ran.isps[0], { addressMode: "dhcp", natMode: "MASQUERADE", gatewayAddress: "203.0.113.1", linkAddress: "203.0.113.7", linkPrefix: 24 });
    ran.natAddresses = ran.natAddresses.filter((n) => n.isp !== ran.isps[0].name);
    const text = JSON.stringify(ran);
    expect(parseStoredConfig(text, "x")).toEqual(ran);
    const v = validateStoredConfig(text);
    expect(v.ok && v.config.isps[0].linkAddress).toBe("");
  });

  it("reads back what an apply ran for a SNAT-mode dynamic ISP (its learned address added as its default NAT address)", () => {
    const user = structuredClone(classicOffice);
    Object.assign(user.isps[0], { addressMode: "dhcp", natMode: "SNAT", gatewayAddress: "", linkAddress: "", linkPrefix: 24 });
    user.natAddresses = user.natAddresses.filter((n) => n.isp !== user.isps[0].name);
    expect(validateConfig(user).ok).toBe(true);
    const ran = resolveDynamic(user, {
      links: [
        {
          name: user.isps[0].wanInterface,
          up: true,
          carrier: true,
          operstate: "UP",
          addresses: [{ local: "203.0.113.7", prefix: 24, family: 4, scope: "global" }],
        },
      ],
      routes: [{ family: 4, table: 254, dst: "default", gateway: "203.0.113.1", dev: user.isps[0].wanInterface, protocol: "dhcp" }],
    }).config;
    expect(ran.natAddresses).toContainEqual({ address: "203.0.113.7", isp: user.isps[0].name, isDefault: true, host: null });
    expect(parseStoredConfig(JSON.stringify(ran), "the configuration of revision 1")).toEqual(ran);
    // a NAT address the user wrote for a dynamic ISP outside any routed block is still refused
    const bad = { ...ran, natAddresses: [...ran.natAddresses, { address: "203.0.113.9", isp: user.isps[0].name, isDefault: false, host: null }] };
    expect(() => parseStoredConfig(JSON.stringify(bad), "x")).toThrow(/routed blocks/);
  });

  it("every caller gets its own copy", () => {
    const text = JSON.stringify(classicOffice);
    const a = parseStoredConfig(text, "x");
    a.hosts.length = 0;
    expect(parseStoredConfig(text, "x").hosts.length).toBe(classicOffice.hosts.length);
  });

  it("names what it read when the text does not validate", () => {
    expect(() => parseStoredConfig("{not json", "the configuration of revision 7")).toThrow(/^the configuration of revision 7 is not JSON \(/);
    const bad = structuredClone(classicOffice);
    bad.isps[1].mark = bad.isps[0].mark;
    expect(() => parseStoredConfig(JSON.stringify(bad), "the configuration of revision 8")).toThrow(
      `the configuration of revision 8 is not a valid configuration: isps.1.mark: Firewall mark ${bad.isps[0].mark} is already used by ${bad.isps[0].name}`,
    );
  });
});

describe("formatIssues", () => {
  const issues = [
    { path: ["isps", 0, "mark"], message: "Too big" },
    { path: [], message: "Bad" },
  ];
  it("with paths (the default) and without", () => {
    expect(formatIssues(issues)).toBe("isps.0.mark: Too big; : Bad");
    expect(formatIssues(issues, { paths: false })).toBe("Too big; Bad");
    expect(issueLines(issues)).toEqual(["isps.0.mark: Too big", ": Bad"]);
  });
});
