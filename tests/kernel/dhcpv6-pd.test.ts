// An ISP's IPv6 learned by DHCPv6-PD (docs/dynamic.md), from a real exchange
// (tests/kernel/pd-gateway.ts: ISC dhcpd -6 and radvd at the ISP, dhcpcd on the gateway's WAN).
// Switchyard runs no DHCPv6 client: the apply reads what dhcpcd left (the RA default route,
// its lease through `dhcpcd -U -6`, the LAN /64) and routes the learned prefix by the ISP's
// table. When the ISP delegates another prefix, the next apply follows it. Both backends
// (SWITCHYARD_FIREWALL=nftables for the second).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { learnNow } from "@/lib/net/dynamic";
import { netns, run } from "@/lib/net/exec";
import { buildPd, connect, delegated, destroyPd, hostAddress, lan64, NS, pdConfig, POOLS, serve, SERVER, startClient, state6, stopClient } from "./pd-gateway";

const backend = process.env.SWITCHYARD_FIREWALL === "nftables" ? "nftables" : "iptables";
const managed = () => resolveTarget({ netns: NS.gw });

beforeAll(buildPd, 90_000);
afterAll(destroyPd);

/** learn what the kernel shows now and apply it, as an apply does (lib/engine/running.ts) */
async function applyLearned() {
  const learned = await learnNow(pdConfig, managed().target);
  const report = await applyAndVerify(learned.config, managed());
  const why = `${report.error ?? ""}\n${report.verification?.summary ?? ""}\n${JSON.stringify(learned.problems6)}\n${await state6()}`;
  expect(report.error, why).toBeUndefined();
  expect(report.ok, why).toBe(true);
  return learned;
}

/** the ip -6 rules that send a source prefix to a table: "from 2001:db8:a00::/56 lookup 31" */
const sourceRules = async () =>
  (await run(netns(NS.gw), "ip", ["-6", "rule", "show"])).stdout
    .split("\n")
    .map((l) => /from (\S+) lookup (\S+)/.exec(l))
    .filter((m) => m && m[1] !== "all")
    .map((m) => `from ${m![1]} lookup ${m![2]}`);

/** which table the kernel picks for the host's packet to the server */
const leavesBy = async (source: string) => (await run(netns(NS.gw), "ip", ["-6", "route", "get", SERVER.v6, "from", source, "iif", "pdxlan"])).stdout.trim();

describe(`DHCPv6-PD learned from dhcpcd (${backend})`, () => {
  it("applies the prefix dhcpcd was delegated: its rule and table are in the kernel, and desk sends from it by Fiber", async () => {
    const learned = await applyLearned();
    expect(learned.learned6?.Fiber).toMatchObject({ prefix: POOLS.first, prefixFrom: "dhcpcd", lans: [{ lan: "lan", subnet: `${lan64(POOLS.first)}1/64` }] });
    expect(learned.learned6?.Fiber?.gateway).toMatch(/^fe80::/);
    expect(await sourceRules()).toContain(`from ${POOLS.first} lookup 31`);
    const a = await hostAddress(POOLS.first);
    expect(await leavesBy(a), await state6()).toMatch(/ table 31 /);
    expect(await connect(a), await state6()).toBe(a);
  }, 120_000);

  it("the ISP delegates another prefix: the next apply follows it, the old prefix's rule is gone", async () => {
    stopClient();
    await serve(POOLS.second);
    await startClient();
    await delegated(POOLS.second);
    const learned = await applyLearned();
    expect(learned.learned6?.Fiber?.prefix, JSON.stringify(learned.problems6)).toBe(POOLS.second);
    const rules = await sourceRules();
    expect(rules).toContain(`from ${POOLS.second} lookup 31`);
    expect(rules.join("\n")).not.toContain(POOLS.first);
    const a = await hostAddress(POOLS.second);
    expect(await leavesBy(a), await state6()).toMatch(/ table 31 /);
    expect(await connect(a), await state6()).toBe(a);
  }, 120_000);

  it("dhcpcd gone (no lease): Fiber runs without IPv6 and the apply says why, its IPv4 unchanged", async () => {
    stopClient();
    await new Promise((r) => setTimeout(r, 1000));
    const learned = await applyLearned();
    expect(learned.learned6?.Fiber).toBeNull();
    expect(learned.problems6?.[0]?.message).toMatch(/runs without IPv6$/);
    expect(learned.config.isps[0].enabled).toBe(true);
    expect((await sourceRules()).join("\n")).not.toContain("2001:db8:b00");
  }, 120_000);
});
