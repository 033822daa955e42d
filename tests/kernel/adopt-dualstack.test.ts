// Adopt on a dual-stack gateway Switchyard did not build (tests/kernel/handmade-dualstack.ts:
// OpenWrt-style netifd IPv6, with the former admin's IPv4 tables added): the proposal carries
// each ISP's prefix and next hop read from netifd's source-specific defaults and the LAN's /64s
// from its addresses; applied as proposed it verifies, and each prefix leaves by its own ISP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inferAdoption } from "@/lib/adopt/infer";
import { readGateway } from "@/lib/adopt/read";
import { takeoverStep } from "@/lib/adopt/takeover";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { netns } from "@/lib/net/exec";
import { validateConfig } from "@/lib/validation";
import { addOldIpv4Routing, addr6, buildDualStack, connect, destroyDualStack, kernelState6, LAN6, NS, PREFIX } from "./handmade-dualstack";

beforeAll(async () => {
  await buildDualStack();
  await addOldIpv4Routing();
}, 60_000);
afterAll(destroyDualStack);

describe("adopt on a hand-built dual-stack gateway", () => {
  it("proposes each ISP's IPv6 prefix and next hop and the LAN's /64s, saying what each was read from", async () => {
    const a = inferAdoption(await readGateway(netns(NS.gw)));
    expect(a.config, a.nothing).not.toBeNull();
    const byWan = Object.fromEntries(a.config!.isps.map((i) => [i.wanInterface, i.ipv6]));
    expect(byWan).toEqual({ eno1: { prefix: PREFIX.a, gateway: "fe80::1" }, wwan0: { prefix: PREFIX.b, gateway: "2001:db8:f2::1" } });
    expect(a.config!.settings.lanSubnets6).toEqual([`${LAN6.a}1/64`, `${LAN6.b}1/64`]);
    const item = a.items.find((i) => i.label === `IPv6 of ${a.config!.isps.find((x) => x.wanInterface === "eno1")!.name}`);
    // as `ip -N` prints it (adopt reads numbers, not names): proto 4 is "static"
    expect(item?.from).toEqual([`ip -6 route default from ${PREFIX.a} via fe80::1 dev eno1 proto 4 metric 512 table 254`]);
    expect(validateConfig(a.config!).ok).toBe(true);
  }, 60_000);

  it("applied as proposed with the take over, it verifies; a host without a MAC is an unlisted host for IPv6: both its addresses leave by the default ISP (eno1), the other prefix's translated", async () => {
    const a = inferAdoption(await readGateway(netns(NS.gw)));
    // with the take over, as the adopt page offers it: the old IPv4 rule would decide before Switchyard's
    const report = await applyAndVerify(a.config!, resolveTarget({ netns: NS.gw }), {
      extension: takeoverStep({ source: `netns ${NS.gw}`, items: a.takeover }),
    });
    const why = `${report.error ?? ""}\n${report.verification?.summary ?? ""}\n${await kernelState6()}`;
    expect(report.ok, why).toBe(true);
    expect(report.verification?.ipv6?.length, why).toBeGreaterThan(0);
    expect(await connect("h1", 6, addr6("h1", "a"))).toBe(addr6("h1", "a"));
    expect(a.config!.settings.defaultIsp).toBe(a.config!.isps.find((i) => i.wanInterface === "eno1")!.name);
    expect(await connect("h1", 6, addr6("h1", "b"))).toBe(addr6("h1", "a"));
  }, 120_000);
});
