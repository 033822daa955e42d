// An ISP without IPv6 (issue 23, docs/ipv6.md) on the hand-built dual-stack gateway
// (tests/kernel/handmade-dualstack.ts): in this test's configuration LTE has no IPv6 (the LAN
// carries only Fiber's /64 as Switchyard's), desk is placed on LTE. "unreachable": desk's IPv6
// is refused at once with an ICMPv6 error (no timeout: its apps fall back to IPv4 at once) while
// its IPv4 leaves by LTE; "follow": its IPv6 leaves by the ISP its source prefix belongs to.
// Both backends (SWITCHYARD_FIREWALL=nftables for the second).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { netns, run } from "@/lib/net/exec";
import type { GatewayConfig, Ipv6Hosts } from "@/lib/model";
import { validateConfig } from "@/lib/validation/config";
import { addr6, buildDualStack, connect, destroyDualStack, dualStackConfig, kernelState6, LAN6, NS, SERVER } from "./handmade-dualstack";

const backend = process.env.SWITCHYARD_FIREWALL === "nftables" ? "nftables" : "iptables";
const managed = () => resolveTarget({ netns: NS.gw });

/** dualStackConfig with LTE's IPv6 removed (and its /64 with it), LTE's hosts' IPv6 as asked */
const withoutLteV6 = (ipv6Hosts: Ipv6Hosts): GatewayConfig => ({
  ...dualStackConfig,
  settings: { ...dualStackConfig.settings, lanSubnets6: [`${LAN6.a}1/64`] },
  isps: dualStackConfig.isps.map(({ ipv6, ...i }) => (i.name === "LTE" ? { ...i, ...(ipv6Hosts === "unreachable" ? { ipv6Hosts } : {}) } : { ...i, ipv6 })),
});

beforeAll(buildDualStack, 60_000);
afterAll(destroyDualStack);

describe(`an ISP without IPv6 on the dual-stack gateway (${backend})`, () => {
  const apply = async (config: GatewayConfig) => {
    const valid = validateConfig(config);
    expect(valid.ok, JSON.stringify(valid)).toBe(true);
    const report = await applyAndVerify(config, managed());
    const why = `${report.error ?? ""}\n${report.verification?.summary ?? ""}\n${await kernelState6()}`;
    expect(report.error, why).toBeUndefined();
    expect(report.verification?.ok, why).toBe(true);
    return report;
  };

  it("unreachable: desk (on LTE) gets an ICMPv6 error for IPv6 at once (its Fiber-prefix address too, which follow would send by Fiber); its IPv4 leaves by LTE", async () => {
    const report = await apply(withoutLteV6("unreachable"));
    // verification asked the kernel: Fiber's /64 marked for LTE is refused
    const marked = report.verification?.ipv6?.find((p) => p.markedFor === "LTE");
    expect(marked).toMatchObject({ expected: null, ok: true });
    expect(marked?.predicted?.error).toBeTruthy();
    // ping: "Destination unreachable" from the gateway, not a silent loss
    const ping = await run(netns(NS.h1), "ping", ["-6", "-n", "-c", "1", "-W", "2", "-I", addr6("h1", "a"), SERVER.v6], { allowFailure: true });
    expect(ping.exitCode, ping.stdout).not.toBe(0);
    expect(ping.stdout, await kernelState6()).toMatch(/Destination unreachable/i);
    // TCP: the connect fails well before nc's 5 s timeout (the ICMPv6 error ends it)
    const started = Date.now();
    const nc = await run(netns(NS.h1), "nc", ["-n", "-s", addr6("h1", "a"), "-w", "5", SERVER.v6, String(SERVER.port)], {
      allowFailure: true,
      timeoutMs: 10_000,
    });
    expect(nc.exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await connect("h1", 4)).toBe("198.51.100.2");
    // laptop, on Fiber (with IPv6), is not touched
    expect(await connect("h2", 6, addr6("h2", "a"))).toBe(addr6("h2", "a"));
  }, 120_000);

  it("follow: desk's IPv6 leaves by its source prefix's ISP as itself; its IPv4 still by LTE", async () => {
    const report = await apply(withoutLteV6("follow"));
    expect(report.verification?.ipv6?.find((p) => p.markedFor === "LTE")).toMatchObject({ expected: { isp: "Fiber" }, ok: true });
    expect(await connect("h1", 6, addr6("h1", "a")), await kernelState6()).toBe(addr6("h1", "a"));
    expect(await connect("h1", 4)).toBe("198.51.100.2");
  }, 120_000);
});
