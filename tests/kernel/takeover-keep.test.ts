// Take over keeps what it does not cover: a former admin NATed by outgoing interface only
// (`-o enp1s0 -j SNAT --to-source 203.0.113.2`, `-o wwan0 -j MASQUERADE`), and a tunnel's subnet
// (10.8.0.0/24 via tun0) is routed out through the fiber under that rule. Switchyard's NAT covers
// the LAN only: the take over must keep the old rules (and say so in the plan) so the tunnel's
// traffic still leaves NATed, while LAN hosts get Switchyard's NAT. Real TCP from the tunnel's
// host and the LAN hosts to the echo server, which answers with the address it saw. Hand-made
// gateway "ttk-*" (lib/lab/handmade.ts); run on both backends (SWITCHYARD_FIREWALL=nftables).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inferAdoption } from "@/lib/adopt/infer";
import { readGateway } from "@/lib/adopt/read";
import { takeoverStep } from "@/lib/adopt/takeover";
import type { Adoption } from "@/lib/adopt/types";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { buildHandmade, type Handmade } from "@/lib/lab/handmade";
import { netns, run } from "@/lib/net/exec";

const nftables = process.env.SWITCHYARD_FIREWALL === "nftables";
let g: Handmade;
afterAll(() => g?.destroy());

/** The packets the old `-o enp1s0 -j SNAT` rule has NATed (nat rules see a connection's first packet only). */
async function oldRulePackets(): Promise<number | null> {
  const save = (await run(netns(g.gw), "iptables-save", ["-c", "-t", "nat"])).stdout;
  const m = /^\[(\d+):\d+\] -A POSTROUTING -o enp1s0 -j SNAT --to-source 203\.0\.113\.2$/m.exec(save);
  return m ? Number(m[1]) : null;
}

describe("a former admin's NAT without a source match, and a tunnel's subnet behind it", () => {
  let adoption: Adoption;
  beforeAll(async () => {
    g = await buildHandmade("ttk", { rpFilter: "stock", srcValidMark: 0, tunnel: true, oldAdmin: "iptables" });
  }, 60_000);

  it("before: the tunnel's host and the desk leave as 203.0.113.2, the phone as 198.51.100.2", async () => {
    expect([await g.connect("tun", 1), await g.connect("h1", 1), await g.connect("h2", 1)]).toEqual(["203.0.113.2", "203.0.113.2", "198.51.100.2"]);
  }, 30_000);

  it("adopt keeps both NAT rules through a take over, and says why", async () => {
    adoption = inferAdoption(await readGateway(netns(g.gw)));
    expect(adoption.config?.isps.map((i) => [i.wanInterface, i.natMode])).toEqual([
      ["enp1s0", "SNAT"],
      ["wwan0", "MASQUERADE"],
    ]);
    expect(adoption.config?.natAddresses).toEqual([{ address: "203.0.113.2", isp: "isp7", isDefault: true, host: null }]);
    expect(adoption.kept.map((k) => [k.iptables?.spec, k.keep])).toEqual([
      ["-o enp1s0 -j SNAT --to-source 203.0.113.2", expect.stringContaining("covers sources outside the LAN (e.g. 10.8.0.0/24 via tun0")],
      ["-o wwan0 -j MASQUERADE", expect.stringContaining("covers sources outside the LAN")],
    ]);
    expect(adoption.takeover.some((t) => t.iptables?.table === "nat")).toBe(false);
  }, 30_000);

  it("after the take over the tunnel still leaves NATed to 203.0.113.2, and the LAN hosts through Switchyard's NAT", async () => {
    const report = await applyAndVerify(adoption.config!, resolveTarget({ netns: g.gw }), {
      extension: takeoverStep({ source: `netns ${g.gw}`, items: [...adoption.takeover, ...(adoption.kept ?? [])] }),
    });
    expect(report.error).toBeUndefined();
    expect(report.result).toBe("applied");
    await run(netns(g.gw), "iptables", ["-t", "nat", "-Z", "POSTROUTING"]);
    // the tunnel's host: only the old rule NATs it (the conntrack entry's reply goes to 203.0.113.2)
    expect(await g.connect("tun", 1)).toBe("203.0.113.2");
    const flows = (await run(netns(g.gw), "conntrack", ["-L", "-s", "10.8.0.10"], { allowFailure: true })).stdout;
    expect(flows).toMatch(/src=192\.0\.2\.10 dst=203\.0\.113\.2 /);
    // the LAN hosts: Switchyard's NAT decides first, the old rule sees only the tunnel's connection
    expect([await g.connect("h1", 1), await g.connect("h2", 1)]).toEqual(["203.0.113.2", "198.51.100.2"]);
    expect(await oldRulePackets()).toBe(1);
    const own = nftables
      ? (await run(netns(g.gw), "nft", ["list", "table", "inet", "switchyard"])).stdout
      : (await run(netns(g.gw), "iptables-save", ["-t", "nat"])).stdout;
    expect(own).toMatch(
      nftables
        ? /ip saddr 10\.20\.0\.0\/24 oifname "enp1s0" .*snat (ip )?to 203\.0\.113\.2/
        : /-A SWYD-POST -s 10\.20\.0\.0\/24 -o enp1s0 -j SNAT --to-source 203\.0\.113\.2/,
    );
    // and the plan said which old rules it kept, and why
    const lines = report.planLines.filter((l) => l.kind === "takeover").map((l) => `${l.op} ${l.text}`);
    expect(lines).toContain(
      "= kept: iptables -t nat -A POSTROUTING -o enp1s0 -j SNAT --to-source 203.0.113.2: covers sources outside the LAN (e.g. 10.8.0.0/24 via tun0, 10.9.0.0/30 via tun0); Switchyard's NAT runs before it for the LAN",
    );
    expect(lines.filter((l) => l.startsWith("= kept:"))).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(/^~ replaced: iptables -t mangle -A PREROUTING -s 10\.20\.0\.60\/32 -i br-lan -j MARK/));
  }, 60_000);
});
