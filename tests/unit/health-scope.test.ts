import { describe, expect, it } from "vitest";
import { linkOnlyWarning, onLink, targetScope } from "@/lib/health/scope";
import { classicOffice } from "@/lib/examples";

const isp1 = classicOffice.isps[0]; // 203.0.113.10/24 via 203.0.113.1
const ppp = { gatewayAddress: "10.64.0.1", linkAddress: "100.70.1.2", linkPrefix: 32 };

describe("targetScope: does a target see beyond the ISP's router?", () => {
  it("the ISP's router, this gateway's link address or a neighbour on the link: link only", () => {
    expect(isp1.gatewayAddress).toBe("203.0.113.1");
    expect(targetScope(isp1, { targets: ["203.0.113.1"] })).toBe("link");
    expect(targetScope(isp1, { targets: ["203.0.113.10", "203.0.113.254"] })).toBe("link");
    expect(linkOnlyWarning(isp1, { targets: ["203.0.113.1"] })).toMatch(/proves the link only, not the internet beyond it/);
  });
  it("one target beyond the router is enough for internet", () => {
    expect(targetScope(isp1, { targets: ["203.0.113.1", "198.18.0.1"] })).toBe("internet");
    expect(targetScope(isp1, { targets: ["9.9.9.9"] })).toBe("internet");
    expect(linkOnlyWarning(isp1, { targets: ["203.0.113.1", "9.9.9.9"] })).toBeNull();
  });
  it("a point-to-point link: the peer is the link, everything else is beyond it", () => {
    expect(targetScope(ppp, { targets: ["10.64.0.1"] })).toBe("link");
    expect(targetScope(ppp, { targets: ["10.64.0.2"] })).toBe("internet");
  });
  it("blocks routed to this gateway are its own addresses, not the internet", () => {
    const routed = { ...isp1, routedBlocks: ["198.51.100.8/29"] };
    expect(onLink(routed, "198.51.100.9")).toBe(true);
    expect(targetScope(routed, { targets: ["198.51.100.9"] })).toBe("link");
    expect(targetScope(routed, { targets: ["198.51.100.17"] })).toBe("internet");
  });
  it("a dynamic ISP not learned yet (no link): only its known router counts as link, never the whole internet", () => {
    const dyn = { gatewayAddress: "", linkAddress: "", linkPrefix: 0 };
    expect(targetScope(dyn, { targets: ["1.1.1.1"] })).toBe("internet");
  });
  it("no targets: nothing beyond the router is probed", () => {
    expect(targetScope(isp1, { targets: [] })).toBe("link");
    expect(linkOnlyWarning(isp1, { targets: [] })).toBeNull();
  });
});
