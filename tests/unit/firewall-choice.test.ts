// Which backend "auto" means: the gateway's own state first, then the machine.
import { afterEach, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { firewallOf, resolveFirewall, withResolvedFirewall } from "@/lib/net/firewall";
import { render } from "@/lib/net/render";
import type { FirewallSetting, GatewayConfig } from "@/lib/model";
import type { IptChain } from "@/lib/net/types";

const withSetting = (firewall?: FirewallSetting): GatewayConfig => ({
  ...classicOffice,
  settings: { ...classicOffice.settings, ...(firewall ? { firewall } : {}) },
});
const iptChain: IptChain = { table: "mangle", name: "SWYD-PRE", rules: [] };
const nftChain: IptChain = { table: "nft", name: "SWYD-PRE", rules: [] };
const env = process.env.SWITCHYARD_FIREWALL;
afterEach(() => {
  if (env === undefined) delete process.env.SWITCHYARD_FIREWALL;
  else process.env.SWITCHYARD_FIREWALL = env;
});

describe("the firewall backend", () => {
  it("a setting that names a backend wins over everything", () => {
    expect(resolveFirewall(withSetting("nftables"), { chains: [iptChain] })).toBe("nftables");
    expect(resolveFirewall(withSetting("iptables"), { chains: [nftChain] })).toBe("iptables");
    expect(firewallOf(withSetting("nftables"))).toBe("nftables");
  });

  it("auto keeps what the gateway runs: Switchyard's iptables chains keep iptables, its table keeps nftables", () => {
    delete process.env.SWITCHYARD_FIREWALL;
    expect(resolveFirewall(withSetting("auto"), { chains: [iptChain] })).toBe("iptables");
    expect(resolveFirewall(withSetting(), { chains: [nftChain] })).toBe("nftables");
    // a fresh gateway: nftables where nft is installed (it is, here)
    expect(resolveFirewall(withSetting(), { chains: [] })).toBe("nftables");
  });

  it("SWITCHYARD_FIREWALL decides what auto picks on this machine", () => {
    process.env.SWITCHYARD_FIREWALL = "iptables";
    expect(resolveFirewall(withSetting(), { chains: [nftChain] })).toBe("iptables");
    process.env.SWITCHYARD_FIREWALL = "nftables";
    expect(resolveFirewall(withSetting(), { chains: [iptChain] })).toBe("nftables");
  });

  it("render follows the resolution; a resolution once made is kept", () => {
    delete process.env.SWITCHYARD_FIREWALL;
    const resolved = withResolvedFirewall(withSetting(), { chains: [iptChain] });
    expect(resolved.firewallResolved).toBe("iptables");
    expect(render(resolved).firewall).toBe("iptables");
    expect(withResolvedFirewall(resolved, { chains: [nftChain] }).firewallResolved).toBe("iptables");
    expect(render(withResolvedFirewall(withSetting(), { chains: [] })).state.chains.every((c) => c.table === "nft")).toBe(true);
    // a named backend is never overridden
    expect(withResolvedFirewall(withSetting("iptables"), { chains: [nftChain] })).toEqual(withSetting("iptables"));
  });
});
