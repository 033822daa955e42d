import { describe, expect, it } from "vitest";
import { diffConfigs } from "@/lib/config-diff";
import { classicOffice } from "@/lib/examples";

describe("config diff", () => {
  it("no change, no lines", () => expect(diffConfigs(classicOffice, structuredClone(classicOffice))).toEqual([]));

  it("says which host moved where, and what was added or removed", () => {
    const next = structuredClone(classicOffice);
    next.hosts[0].isp = "ISP2";
    next.hosts.push({ name: "nas", address: "192.168.1.20", mac: null, isp: null, notes: "" });
    next.isps.splice(1, 1, { ...next.isps[1], name: "ISP2", gatewayAddress: "198.51.100.2" });
    next.natAddresses.pop();
    next.settings.defaultIsp = "ISP2";
    expect(diffConfigs(classicOffice, next)).toEqual([
      { kind: "ISP", op: "changed", name: "ISP2", details: ["gateway: 198.51.100.1 → 198.51.100.2"] },
      { kind: "host", op: "changed", name: "office-pc", details: ["ISP: ISP1 → ISP2"] },
      { kind: "host", op: "added", name: "nas", details: ["address: 192.168.1.20"] },
      { kind: "NAT address", op: "removed", name: "198.51.100.10", details: [] },
      { kind: "settings", op: "changed", name: "gateway", details: ["default ISP: ISP1 → ISP2"] },
    ]);
  });

  it("lists a firewall backend change in words, an absent setting reading as auto", () => {
    const nft = structuredClone(classicOffice);
    nft.settings.firewall = "nftables";
    const change = (details: string[]) => [{ kind: "settings", op: "changed", name: "gateway", details }];
    expect(diffConfigs(classicOffice, nft)).toEqual(change(["firewall backend: auto → nftables"]));
    expect(diffConfigs(nft, { ...nft, settings: { ...nft.settings, firewall: "iptables" } })).toEqual(change(["firewall backend: nftables → iptables"]));
    expect(diffConfigs(nft, classicOffice)).toEqual(change(["firewall backend: nftables → auto"]));
    // "auto" written out is the same setting as leaving it out
    expect(diffConfigs(classicOffice, { ...classicOffice, settings: { ...classicOffice.settings, firewall: "auto" } })).toEqual([]);
  });
});
