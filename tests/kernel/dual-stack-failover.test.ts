// IPv6 failover on the hand-built dual-stack gateway (tests/kernel/handmade-dualstack.ts; issue
// 23, docs/ipv6.md): Fiber's upstream dies behind its router, which keeps answering on the link.
// The failover configuration the monitor derives (lib/engine/running.ts withHealth) moves
// laptop (placed on Fiber) to LTE: its new IPv6 connections, from its Fiber-prefix address too,
// must arrive from LTE's /64 (translated), and come back by Fiber once it recovers. Both backends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndVerify } from "@/lib/engine/run";
import { withHealth } from "@/lib/engine/running";
import { resolveTarget } from "@/lib/engine/target";
import { netns, run } from "@/lib/net/exec";
import type { GatewayConfig } from "@/lib/model";
import { addr6, buildDualStack, connect, destroyDualStack, dualStackConfig, kernelState6, NS } from "./handmade-dualstack";

const backend = process.env.SWITCHYARD_FIREWALL === "nftables" ? "nftables" : "iptables";
const managed = () => resolveTarget({ netns: NS.gw });
/**
 * Fiber's upstream, cut inside its router's namespace (a forward hook that drops everything): the
 * router and its link to the gateway stay up, as when an ISP's network fails behind its box. A
 * table of the test's own, deleted to recover (a link taken down would lose its routes for good).
 */
const fiberUpstream = async (state: "up" | "down") => {
  const ns = netns(NS.isp1);
  if (state === "up") await run(ns, "nft", ["delete", "table", "inet", "cut"], { allowFailure: true });
  else await run(ns, "nft", ["-f", "-"], { input: "table inet cut { chain cutoff { type filter hook forward priority -300; policy drop; }; }\n" });
};

beforeAll(buildDualStack, 60_000);
afterAll(async () => {
  await fiberUpstream("up").catch(() => undefined);
  await destroyDualStack();
});

describe(`IPv6 failover on the dual-stack gateway (${backend})`, () => {
  const apply = async (config: GatewayConfig) => {
    const report = await applyAndVerify(config, managed());
    const why = `${report.error ?? ""}\n${report.verification?.summary ?? ""}\n${await kernelState6()}`;
    expect(report.error, why).toBeUndefined();
    // the kernel is what was meant, and every IPv6 path is where the failover sends it
    expect(report.verification?.stateMatches, why).toBe(true);
    const v6 = report.verification?.ipv6 ?? [];
    expect(v6.length, why).toBeGreaterThan(0);
    expect(
      v6.filter((p) => !p.ok).map((p) => p.reason),
      why,
    ).toEqual([]);
    return report;
  };
  const seen = (source: string) => connect("h2", 6, source);

  it("before: laptop (on Fiber) leaves by Fiber with its own address", async () => {
    await apply(dualStackConfig);
    expect(await seen(addr6("h2", "a"))).toBe(addr6("h2", "a"));
  }, 120_000);

  it("Fiber's upstream dies: without a failover laptop's IPv6 has no way out", async () => {
    await fiberUpstream("down");
    expect(await seen(addr6("h2", "a"))).toBeNull();
  }, 30_000);

  it("the failover moves laptop to LTE: its Fiber-prefix address arrives from LTE's /64, its LTE address as itself", async () => {
    const failover = withHealth(dualStackConfig, { Fiber: { state: "down" } });
    expect(failover.health?.down).toEqual(["Fiber"]);
    await apply(failover);
    expect(await seen(addr6("h2", "a")), await kernelState6()).toBe(addr6("h2", "b"));
    expect(await seen(addr6("h2", "b"))).toBe(addr6("h2", "b"));
    // IPv4 fails over too
    expect(await connect("h2", 4)).toBe("198.51.100.2");
  }, 120_000);

  it("Fiber recovers: the user's configuration again, laptop's Fiber address leaves by Fiber as itself", async () => {
    await fiberUpstream("up");
    await apply(dualStackConfig);
    expect(await seen(addr6("h2", "a"))).toBe(addr6("h2", "a"));
  }, 120_000);
});
