// Dual stack with two ISPs, proven by real packets (issue 23, docs/ipv6.md) on a gateway built
// by hand (tests/kernel/handmade-dualstack.ts): each ISP drops sources outside its own /48, so
// what the test server sees is what the ISP let through. desk is placed on LTE, laptop on Fiber;
// both hold an address in each ISP's LAN /64 with the same host part. Run on both backends
// (SWITCHYARD_FIREWALL=nftables for the second).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { netns, run, spawnDetached } from "@/lib/net/exec";
import { conntrackListArgs } from "@/lib/net/family";
import { parseConntrack } from "@/lib/net/parse/conntrack";
import type { GatewayConfig } from "@/lib/model";
import {
  addAddress,
  addr6,
  buildDualStack,
  connect,
  destroyDualStack,
  dualStackConfig,
  HOSTS,
  kernelState6,
  LAN6,
  NS,
  PREFIX,
  SERVER,
} from "./handmade-dualstack";

const backend = process.env.SWITCHYARD_FIREWALL === "nftables" ? "nftables" : "iptables";
const managed = () => resolveTarget({ netns: NS.gw });
/** desk's privacy-style address, taken after the apply: only its MAC ties it to desk */
const PRIVACY_IID = "8a3c:1f2e:5d4b:9a01";

beforeAll(buildDualStack, 60_000);
afterAll(destroyDualStack);

describe("the hand-built dual-stack gateway, before Switchyard", () => {
  it("sends each prefix out by its own ISP (netifd's source-specific defaults), and an ISP drops the other's prefix", async () => {
    expect(await connect("h1", 6, addr6("h1", "a"))).toBe(addr6("h1", "a"));
    expect(await connect("h1", 6, addr6("h1", "b"))).toBe(addr6("h1", "b"));
    expect(await connect("gw", 6, "2001:db8:b:10::1")).toBe("2001:db8:b:10::1");
    // BCP 38: desk's LTE address sent out by Fiber gets no answer
    const detour = ["-6", "route", "add", "default", "from", `${addr6("h1", "b")}/128`, "via", "fe80::1", "dev", "eno1"];
    await run(netns(NS.gw), "ip", detour);
    try {
      expect(await connect("h1", 6, addr6("h1", "b"), 1)).toBeNull();
    } finally {
      await run(netns(NS.gw), "ip", ["-6", "route", "del", "default", "from", `${addr6("h1", "b")}/128`, "via", "fe80::1", "dev", "eno1"]);
    }
  }, 30_000);
});

describe(`Switchyard on the dual-stack gateway (${backend})`, () => {
  const apply = async (config: GatewayConfig) => {
    const report = await applyAndVerify(config, managed());
    const why = `${report.error ?? ""}\n${report.verification?.summary ?? ""}\n${await kernelState6()}`;
    expect(report.error, why).toBeUndefined();
    expect(report.ok, why).toBe(true);
    expect(report.verification?.ok, why).toBe(true);
  };
  /** what the server saw, with the gateway's IPv6 state as the message when it is not what we expected */
  const seenAs = async (host: "h1" | "h2", source: string, expected: string) => {
    const seen = await connect(host, 6, source);
    expect(seen, `${host} from ${source}\n${await kernelState6()}`).toBe(expected);
  };

  it("applies a configuration with IPv6 on both ISPs, and its verification passes", () => apply(dualStackConfig), 120_000);

  it("(a) desk, placed on LTE, sending from its Fiber address arrives from its LTE /64 with the same host part", async () => {
    await seenAs("h1", addr6("h1", "a"), addr6("h1", "b"));
  }, 30_000);

  it("(a') desk sending from its LTE address arrives with that address", async () => {
    await seenAs("h1", addr6("h1", "b"), addr6("h1", "b"));
  }, 30_000);

  it("(b) laptop, placed on Fiber, sending from its Fiber address arrives with that address", async () => {
    await seenAs("h2", addr6("h2", "a"), addr6("h2", "a"));
  }, 30_000);

  it("(d) a privacy address desk takes after the apply is matched by its MAC and leaves by LTE", async () => {
    await addAddress("h1", `2001:db8:a:10:${PRIVACY_IID}`);
    await seenAs("h1", `2001:db8:a:10:${PRIVACY_IID}`, `2001:db8:b:10:${PRIVACY_IID}`);
  }, 30_000);

  it("(e) IPv4 still leaves by each host's ISP", async () => {
    expect(await connect("h1", 4)).toBe("198.51.100.2");
    expect(await connect("h2", 4)).toBe("192.0.2.2");
  }, 30_000);

  it("(c) with LTE's translation off, desk's Fiber-prefix address leaves by Fiber as itself", async () => {
    const config: GatewayConfig = {
      ...dualStackConfig,
      isps: dualStackConfig.isps.map((i) => (i.name === "LTE" ? { ...i, ipv6: { prefix: PREFIX.b, gateway: i.ipv6!.gateway, translate: false } } : i)),
    };
    await apply(config);
    await seenAs("h1", addr6("h1", "a"), addr6("h1", "a"));
    await seenAs("h1", addr6("h1", "b"), addr6("h1", "b"));
    expect(await connect("h1", 4)).toBe("198.51.100.2");
  }, 120_000);

  it("(g) a foreign ip -6 rule that takes the Fiber /64 first fails the verification, named; removed, it passes again", async () => {
    const fiber64 = `${LAN6.a}/64`;
    await run(netns(NS.gw), "ip", ["-6", "rule", "add", "priority", "5000", "from", fiber64, "lookup", "main"]);
    try {
      const report = await applyAndVerify(dualStackConfig, managed(), { rollbackOnVerifyFailure: false });
      expect(report.verification?.ok).toBe(false);
      expect(
        report.verification?.overrides?.map((o) => o.object),
        report.verification?.summary,
      ).toContain(`ip -6 rule priority 5000 from ${fiber64} lookup 254`);
      expect(report.verification?.summary).toContain(`(decided by ip -6 rule priority 5000 from ${fiber64} lookup 254)`);
    } finally {
      await run(netns(NS.gw), "ip", ["-6", "rule", "del", "priority", "5000"]);
    }
    await apply(dualStackConfig);
  }, 120_000);

  it("(f) desk moved to Fiber by an apply: its open IPv6 connection with LTE's mark is cleared, laptop's stays", async () => {
    await apply(dualStackConfig);
    // a long-lived connection from each host's Fiber address to the server's sink (open until the client half-closes)
    const sink = String(SERVER.port + 1);
    const pids = (["h1", "h2"] as const).map((h) => spawnDetached(netns(NS[h]), "nc", ["-n", "-s", addr6(h, "a"), SERVER.v6, sink]));
    /** the gateway's open IPv6 flows to the sink: source -> mark */
    const open = async () => {
      const flows = parseConntrack((await run(netns(NS.gw), "conntrack", conntrackListArgs(6), { allowFailure: true })).stdout);
      return new Map(flows.filter((f) => f.dst === SERVER.v6 && f.state === "ESTABLISHED").map((f) => [f.src, f.mark]));
    };
    try {
      let before = await open();
      for (let i = 0; i < 50 && before.size < 2; i++, before = await open()) await new Promise((r) => setTimeout(r, 100));
      expect(Object.fromEntries(before)).toEqual({ [addr6("h1", "a")]: 12, [addr6("h2", "a")]: 11 });

      const moved: GatewayConfig = { ...dualStackConfig, hosts: dualStackConfig.hosts.map((h) => (h.name === HOSTS.h1.name ? { ...h, isp: "Fiber" } : h)) };
      const report = await applyAndVerify(moved, managed());
      expect(report.ok, report.error).toBe(true);
      const step = report.steps.find((e) => e.step === "conntrack" && e.state === "ok");
      // the earlier cases' finished connections of desk (TIME_WAIT, LTE's mark) go too; laptop's are all Fiber's
      expect(step?.detail).toMatch(/connections? of \d+ address(es)? cleared \(.*\)$/);
      expect(step?.detail).toContain(`desk (${addr6("h1", "a")})`);
      expect(step?.detail).not.toContain("laptop");
      // desk's flow with LTE's mark is gone (desk reconnects through Fiber); laptop's, already Fiber's, stays
      expect(Object.fromEntries(await open())).toEqual({ [addr6("h2", "a")]: 11 });
    } finally {
      for (const pid of pids) if (pid > 1) process.kill(pid, "SIGTERM");
    }
  }, 120_000);
});
