// The lab built dual-stack (labUp's ipv6 option, lib/lab/topology6.ts): the classic office
// with a /48 per ISP, proven by real packets at the lab's server after an apply. Before the
// apply the gateway has no IPv6 routes of its own (the lab leaves the gateway's routes to the
// product), so a host's IPv6 goes nowhere; a second labUp changes nothing.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndVerify } from "@/lib/engine/run";
import { labTarget } from "@/lib/engine/target";
import { netns, run } from "@/lib/net/exec";
import { labDown, labUp } from "@/lib/lab/lab";
import { hostNamespace, ECHO_PORT } from "@/lib/lab/topology";
import { hostAddress6, SERVER_ADDRESS6 } from "@/lib/lab/topology6";
import { probeEgress } from "@/lib/lab/server";
import type { GatewayConfig } from "@/lib/model";

const P = "dsl";
const backend = process.env.SWITCHYARD_FIREWALL === "nftables" ? "nftables" : "iptables";
const office: GatewayConfig = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/classic-office.json"), "utf8"));
const config: GatewayConfig = {
  ...office,
  settings: { ...office.settings, lanSubnets6: ["2001:db8:1:1::1/64", "2001:db8:2:1::1/64"] },
  isps: office.isps.map((isp, i) =>
    i === 0 ? { ...isp, ipv6: { prefix: "2001:db8:1::/48", gateway: "fe80::1" } } : { ...isp, ipv6: { prefix: "2001:db8:2::/48", gateway: "2001:db8:f2::1" } },
  ),
  hosts: office.hosts.map((h, i) => ({ ...h, mac: `02:00:00:00:01:0${i}` })),
};
const [pc, laptop] = office.hosts.map((h) => h.address);
const in6 = (host: string, isp: 1 | 2) => hostAddress6(`2001:db8:${isp}:1::1/64`, host);

/** What the lab's server saw of a TCP connection from a host, from a given IPv6 source; null: no answer. */
async function seen6(host: string, source: string): Promise<string | null> {
  const r = await run(netns(hostNamespace(P, host)), "nc", ["-n", "-s", source, "-w", "2", SERVER_ADDRESS6, String(ECHO_PORT)], {
    allowFailure: true,
    timeoutMs: 5000,
  });
  return r.exitCode === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

beforeAll(async () => {
  await labDown(P);
  await labUp(config, { prefix: P, ipv6: true });
}, 60_000);
afterAll(() => labDown(P));

describe(`the dual-stack lab (${backend})`, () => {
  it("gives each host an address in each ISP's LAN /64, and the gateway no IPv6 route before an apply", async () => {
    const addrs = await run(netns(hostNamespace(P, pc)), "ip", ["-6", "-o", "addr", "show", "scope", "global"]);
    expect(addrs.stdout).toContain(`${in6(pc, 1)}/64`);
    expect(addrs.stdout).toContain(`${in6(pc, 2)}/64`);
    expect(in6(pc, 1)).toBe("2001:db8:1:1::c0a8:164");
    expect(await seen6(pc, in6(pc, 1))).toBeNull();
  }, 30_000);

  it("after an apply, each host's own ISP address arrives as itself and IPv4 still works", async () => {
    const report = await applyAndVerify(config, labTarget(P));
    expect(report.error).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(await seen6(pc, in6(pc, 1))).toBe(in6(pc, 1));
    expect(await seen6(laptop, in6(laptop, 2))).toBe(in6(laptop, 2));
    expect(await probeEgress(P, pc)).toEqual({ ok: true, seenAs: "203.0.113.10" });
    expect(await probeEgress(P, laptop)).toEqual({ ok: true, seenAs: "198.51.100.10" });
  }, 120_000);

  it("the laptop, placed on ISP2, sending from its ISP1 address arrives from its ISP2 /64", async () => {
    expect(await seen6(laptop, in6(laptop, 1))).toBe(in6(laptop, 2));
  }, 30_000);

  it("a second labUp changes nothing: the hosts still reach the server over both families", async () => {
    await labUp(config, { prefix: P, ipv6: true });
    expect(await seen6(pc, in6(pc, 1))).toBe(in6(pc, 1));
    expect(await probeEgress(P, pc)).toEqual({ ok: true, seenAs: "203.0.113.10" });
  }, 60_000);
});
