// The canary on a hand-made gateway (not the lab): a port on br-lan, one reserved address per
// target, real ICMP through the forward path to targets beyond each ISP. It proves the hosts
// where they work, and fails verification, naming why, where packets go otherwise: a foreign
// NAT that runs first, a foreign rule that steals a target's traffic, replies dropped by the
// reverse-path check, an upstream that died behind a router that still answers.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import type { GatewayConfig } from "@/lib/model";
import { HOST, netns, run } from "@/lib/net/exec";
import { render } from "@/lib/net/render";
import { verifyKernel } from "@/lib/net/verify";
import { resolveFirewallOn } from "@/lib/net/firewall";
import { buildHandmade, TARGETS, type Handmade } from "@/lib/lab/handmade";

let g: Handmade;
let config: GatewayConfig;
const targets = { Fiber: TARGETS, LTE: TARGETS };
const managed = () => resolveTarget({ netns: g.gw });
const verify = async () => {
  const c = await resolveFirewallOn(managed().target, config);
  return verifyKernel(managed().target, c, render(c).state, undefined, targets);
};
const proof = (r: Awaited<ReturnType<typeof verify>>, target: string) => r.canary?.proofs.find((p) => p.target === target);

beforeAll(async () => {
  g = await buildHandmade("tcanary", { rpFilter: "stock", srcValidMark: 0 });
  config = { ...g.config, settings: { ...g.config.settings, canary: { enabled: true } } };
}, 60_000);
afterAll(() => g?.destroy());

describe("the canary on a gateway Switchyard did not build", () => {
  it("proves every target by a real forwarded connection that left with the target's NAT address", async () => {
    const report = await applyAndVerify(config, managed(), { canaryTargets: targets });
    expect(report.error).toBeUndefined();
    expect(report.ok).toBe(true);
    const c = report.verification!.canary!;
    expect(c.available).toBe(true);
    expect(c.proofs.map((p) => [p.target, p.address, p.ok, p.seenAs])).toEqual([
      ["default", "10.20.0.254", true, "203.0.113.2"],
      ["Fiber", "10.20.0.253", true, "203.0.113.2"],
      ["LTE", "10.20.0.252", true, "198.51.100.2"],
    ]);
    const hosts = report.verification!.hosts.map((h) => [h.name, h.proof, h.provenBy]);
    expect(hosts).toEqual([
      ["desk", "canary", "Fiber"],
      ["phone", "canary", "LTE"],
      ["(unlisted hosts)", "canary", "default"],
    ]);
    expect(report.verification!.summary).toMatch(/3 host paths verified: 3 by the canary's connections/);
    // the hosts themselves agree
    expect(await g.connect("h1")).toBe("203.0.113.2");
    expect(await g.connect("h2")).toBe("198.51.100.2");
  });

  it("fails the target a foreign NAT rewrites first, naming the address it left with", async () => {
    await run(netns(g.gw), "ip", ["addr", "add", "203.0.113.3/24", "dev", "enp1s0"]);
    await run(netns(g.gw), "nft", ["-f", "-"], {
      input: 'table ip oldnat {\n chain post { type nat hook postrouting priority 0; oifname "enp1s0" ip saddr 10.20.0.0/24 snat to 203.0.113.3; }\n}\n',
    });
    try {
      const r = await verify();
      expect(r.ok).toBe(false);
      expect(proof(r, "Fiber")).toMatchObject({ ok: false, seenAs: "203.0.113.3" });
      expect(proof(r, "Fiber")!.reason).toMatch(/left as 203\.0\.113\.3, expected 203\.0\.113\.2/);
      expect(proof(r, "LTE")!.ok).toBe(true);
      expect(r.hosts.find((h) => h.name === "desk")).toMatchObject({ ok: false, proof: "predicted" });
      expect(r.upstreamOnly).toBeUndefined();
    } finally {
      await run(netns(g.gw), "nft", ["delete", "table", "ip", "oldnat"]);
      await run(netns(g.gw), "ip", ["addr", "del", "203.0.113.3/24", "dev", "enp1s0"]);
    }
  });

  it("fails the target whose traffic a foreign rule sends out through the other ISP", async () => {
    await run(netns(g.gw), "ip", ["-batch", "-"], {
      input: "route add default via 198.51.100.1 dev wwan0 table 60\nrule add priority 100 from 10.20.0.253 lookup 60\n",
    });
    try {
      const r = await verify();
      expect(r.ok).toBe(false);
      expect(proof(r, "Fiber")).toMatchObject({ ok: false, seenAs: "198.51.100.2" });
      expect(proof(r, "default")!.ok).toBe(true);
    } finally {
      await run(netns(g.gw), "ip", ["-batch", "-"], { input: "rule del priority 100\nroute flush table 60\n" });
    }
  });

  it("fails every target when the reverse-path check drops the replies, and says so", async () => {
    await run(netns(g.gw), "sysctl", ["-q", "-w", "net.ipv4.conf.all.src_valid_mark=0"]);
    try {
      const r = await verify();
      expect(r.ok).toBe(false);
      for (const t of ["default", "Fiber", "LTE"]) {
        expect(proof(r, t)!.ok).toBe(false);
        expect(proof(r, t)!.reason).toMatch(
          /the gateway's own probe through \w+ answers: the forwarded path drops it.*reverse-path filter dropped \d+ packets?/,
        );
      }
      // an apply puts it right again
      const again = await applyAndVerify(config, managed(), { canaryTargets: targets });
      expect(again.ok).toBe(true);
    } finally {
      await run(netns(g.gw), "sysctl", ["-q", "-w", "net.ipv4.conf.all.src_valid_mark=1"]);
    }
  });

  it("an upstream that died behind a router that still answers fails its target as no internet, and the apply is not rolled back for it", async () => {
    await g.upstream("ra", false);
    try {
      const r = await applyAndVerify(config, managed(), { canaryTargets: targets });
      expect(r.ok).toBe(false);
      expect(r.rolledBack).toBe(false);
      expect(r.error).toMatch(/upstream does not answer/);
      const v = r.verification!;
      expect(v.upstreamOnly).toBe(true);
      expect(proof(v, "Fiber")).toMatchObject({ ok: false, upstreamDown: true });
      expect(proof(v, "Fiber")!.reason).toMatch(/from the gateway itself either: Fiber's upstream \(or the target\) is down/);
      expect(proof(v, "LTE")!.ok).toBe(true);
      expect(v.hosts.find((h) => h.name === "desk")).toMatchObject({ ok: false, upstreamDown: true });
    } finally {
      await g.upstream("ra", true);
    }
  });

  it("a namespace file another service left behind (its mount private to that unit) is made anew, not trusted", async () => {
    // what an installed unit's canary leaves for everyone else: /run/netns/<ns> as an empty file
    await run(HOST, "ip", ["netns", "del", `${g.gw}-canary`], { allowFailure: true });
    fs.writeFileSync(`/run/netns/${g.gw}-canary`, "");
    const r = await applyAndVerify(config, managed(), { canaryTargets: targets });
    expect(r.verification?.canary?.available).toBe(true);
    expect(r.verification?.canary?.proofs.every((p) => p.ok)).toBe(true);
    expect(r.ok).toBe(true);
  });

  it("turned off, the canary leaves the LAN: its namespace and port are gone, and hosts say they are predicted only", async () => {
    const off = { ...config, settings: { ...config.settings, canary: { enabled: false } } };
    const r = await applyAndVerify(off, managed(), { canaryTargets: targets });
    expect(r.ok).toBe(true);
    expect(r.verification?.canary).toBeUndefined();
    expect(r.verification?.hosts.map((h) => h.proof)).toEqual(["predicted", "predicted", "predicted"]);
    expect(r.verification?.summary).toMatch(/3 predicted by route lookup only \(no canary\)/);
    expect((await run(netns(g.gw), "ip", ["link", "show", "swyd-cn0"], { allowFailure: true })).exitCode).not.toBe(0);
    expect((await run(HOST, "ip", ["netns", "list"])).stdout).not.toContain(`${g.gw}-canary`);
  });
});
