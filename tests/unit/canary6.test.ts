// The canary over IPv6 without a kernel (docs/canary.md "IPv6"): each slot's MAC and addresses,
// what each (slot, /64) row must leave as, the namespace's batch, and that a configuration
// without IPv6 has slots exactly as before.
import { describe, expect, it, vi } from "vitest";
import { printCanary } from "@/lib/cli/print";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { canarySlots, withCanaryHosts } from "@/lib/net/canary/slots";
import { slotDevice, slotIid, slotMac, withHostPart } from "@/lib/net/canary/slots6";
import { plan6 } from "@/lib/net/canary/prove6";
import { port6Lines } from "@/lib/net/canary/port6";
import { parseConntrack } from "@/lib/net/parse/conntrack";
import { render } from "@/lib/net/render";

const T6 = "2001:db8:ffff::80";
const targets = { ISP1: ["198.18.0.1", T6], ISP2: ["198.18.0.1", T6] };

/** The classic office, dual stack, canary on: ISP1 delegates 2001:db8:a::/48, ISP2 2001:db8:b::/48 (laptop is on ISP2). */
function dualStack(over: (c: GatewayConfig) => void = () => undefined): GatewayConfig {
  const c = structuredClone(classicOffice);
  c.settings = { ...c.settings, firewall: "nftables", canary: { enabled: true }, lanSubnets6: ["2001:db8:a:1::1/64", "2001:db8:b:1::1/64"] };
  c.isps[0].ipv6 = { prefix: "2001:db8:a::/48", gateway: "fe80::1" };
  c.isps[1].ipv6 = { prefix: "2001:db8:b::/48", gateway: "2001:db8:ffff::1" };
  over(c);
  return c;
}
const slot = (c: GatewayConfig, key: string) => canarySlots(c).find((s) => s.key === key)!;
const row = (c: GatewayConfig, key: string, owner: string, t: Record<string, string[]> = targets) =>
  plan6(c, canarySlots(c), t).find((p) => p.slot.key === key && p.a.owner === owner)!;

describe("a slot's IPv6 identity", () => {
  it("a locally administered MAC from its key, the same each time, the next one when a host has it", () => {
    const mac = slotMac("ISP2", new Set());
    expect(mac).toMatch(/^02:53:59(:[0-9a-f]{2}){3}$/);
    expect(slotMac("ISP2", new Set())).toBe(mac);
    expect(slotMac("ISP1", new Set())).not.toBe(mac);
    const other = slotMac("ISP2", new Set([mac]));
    expect(other).not.toBe(mac);
    expect(other).toMatch(/^02:53:59/);
  });

  it("an address in each LAN /64 with one interface id from its MAC, the gateway's ::1 as next hop; its host carries the MAC", () => {
    const c = dualStack();
    const s = slot(c, "ISP2");
    const iid = slotIid(s.mac!);
    expect(iid).toMatch(/^0:5359:[0-9a-f]{2}:[0-9a-f]{4}$/);
    expect(s.addresses6).toEqual([
      { address: withHostPart("2001:db8:a:1::/64", iid), network: "2001:db8:a:1::/64", owner: "ISP1", gateway: "2001:db8:a:1::1" },
      { address: withHostPart("2001:db8:b:1::/64", iid), network: "2001:db8:b:1::/64", owner: "ISP2", gateway: "2001:db8:b:1::1" },
    ]);
    expect(s.addresses6![0].address).toMatch(/^2001:db8:a:1:0:5359:/);
    expect(s.host?.mac).toBe(s.mac);
    // the default slot has a MAC too (it follows the unlisted hosts: not in the map)
    expect(slot(c, "default").mac).toMatch(/^02:53:59/);
    expect(slot(c, "default").host).toBeNull();
    // every slot its own MAC and device
    const macs = canarySlots(c).map((x) => x.mac);
    expect(new Set(macs).size).toBe(macs.length);
    expect(slotDevice(s.mac!)).toMatch(/^sy6-[0-9a-f]{6}$/);
  });

  it("a MAC a host already has is never a slot's", () => {
    const mac = slot(dualStack(), "ISP2").mac!;
    const c = dualStack((c) => (c.hosts[0].mac = mac.toUpperCase()));
    expect(canarySlots(c).map((s) => s.mac)).not.toContain(mac);
  });

  it("the slots' MACs go into the IPv6 host map (nftables), so the slot is matched as a host of its ISP", () => {
    const c = dualStack();
    const s = slot(c, "ISP2");
    expect(withCanaryHosts(c).hosts.find((h) => h.name === "canary ISP2")?.mac).toBe(s.mac);
    expect(render(c).script).toContain(`${s.mac} : jump`);
  });

  it("without IPv6 the slots are exactly as before: no MAC, no addresses", () => {
    const c = structuredClone(classicOffice);
    c.settings = { ...c.settings, canary: { enabled: true } };
    for (const s of canarySlots(c)) {
      expect(s.mac).toBeUndefined();
      expect(s.addresses6).toBeUndefined();
      expect(s.host?.mac ?? null).toBeNull();
    }
  });

  it("keeps the host part when moving an address to another /64", () => {
    expect(withHostPart("2001:db8:b:1::/64", "2001:db8:a:1:0:5359:12:3456")).toBe("2001:db8:b:1:0:5359:12:3456");
  });
});

describe("what each (slot, /64) row must leave as", () => {
  it("a slot of ISP2 sending from ISP1's /64 leaves from ISP2's, the host part kept; from its own, as itself", () => {
    const c = dualStack();
    const s = slot(c, "ISP2");
    const [a, b] = s.addresses6!.map((x) => x.address);
    expect(row(c, "ISP2", "ISP1").paths).toEqual([{ isp: "ISP2", mark: c.isps[1].mark, source: b }]);
    expect(row(c, "ISP2", "ISP2").paths).toEqual([{ isp: "ISP2", mark: c.isps[1].mark, source: b }]);
    expect(row(c, "ISP2", "ISP1").probeTarget).toBe(T6);
    expect(a).not.toBe(b);
  });

  it("with ISP2's translation off, its slot's ISP1 address leaves by ISP1 as itself (its mark still ISP2's)", () => {
    const c = dualStack((c) => (c.isps[1].ipv6!.translate = false));
    const a = slot(c, "ISP2").addresses6![0].address;
    expect(row(c, "ISP2", "ISP1").paths).toEqual([{ isp: "ISP1", mark: c.isps[1].mark, source: a }]);
    expect(row(c, "ISP2", "ISP1").marks).toEqual([c.isps[1].mark]);
  });

  it("a slot whose ISP has no IPv6 follows the source prefix", () => {
    const c = dualStack((c) => {
      delete c.isps[1].ipv6;
      c.settings.lanSubnets6 = ["2001:db8:a:1::1/64"];
    });
    const a = slot(c, "ISP2").addresses6![0].address;
    expect(row(c, "ISP2", "ISP1").paths).toEqual([{ isp: "ISP1", mark: c.isps[1].mark, source: a }]);
  });

  it("no IPv6 probe target for the ISP: the row has none (skipped with that reason, not proven)", () => {
    const c = dualStack();
    expect(row(c, "ISP2", "ISP1", { ISP1: ["198.18.0.1"], ISP2: ["198.18.0.1"] }).probeTarget).toBeUndefined();
  });
});

describe("the canary namespace's IPv6 batch", () => {
  const c = dualStack();
  const slots = canarySlots(c);
  it("makes a macvlan per slot on the LAN veth, its addresses nodad, its table and a rule per address", () => {
    const lines = port6Lines(c, slots, { links: [], rules: [] });
    const s = slot(c, "ISP2");
    const dev = slotDevice(s.mac!);
    expect(lines).toContain(`link add link lan name ${dev} address ${s.mac} type macvlan mode bridge`);
    expect(lines).toContain(`addr add ${s.addresses6![1].address}/64 dev ${dev} nodad`);
    expect(lines.filter((l) => l.startsWith("route replace default via 2001:db8:a:1::1 dev sy6-"))).toHaveLength(slots.length);
    expect(lines.filter((l) => l.startsWith("rule add from "))).toHaveLength(slots.length * 2);
  });

  it("adds nothing when the namespace already holds it all, and removes a macvlan and rule no slot has", () => {
    const first = port6Lines(c, slots, { links: [], rules: [] });
    const links = slots.map((s) => ({
      name: slotDevice(s.mac!),
      mac: s.mac,
      addresses: s.addresses6!.map((a) => ({ family: 6, local: a.address, prefix: 64, scope: "global" })),
    }));
    const rules = first
      .filter((l) => l.startsWith("rule add"))
      .map((l) => {
        const [, , , src, , table] = l.split(" ");
        return { src, table: Number(table), priority: 2000 };
      });
    const again = port6Lines(c, slots, {
      links: [...links, { name: "sy6-abcdef", mac: "02:53:59:ab:cd:ef", addresses: [] }],
      rules: [...rules, { src: "2001:db8:a:1::dead/128", table: 2009, priority: 2000 }],
    });
    expect(again.filter((l) => /^(link add|addr add|rule add)/.test(l))).toEqual([]);
    expect(again).toContain("link del dev sy6-abcdef");
    expect(again).toContain("rule del from 2001:db8:a:1::dead/128 table 2009 priority 2000");
  });
});

it("conntrack's IPv6 echo flow: the reply's destination is the translated source, the mark the ISP's", () => {
  const [f] = parseConntrack(
    "icmpv6   58 29 src=2001:db8:a:10:0:5359:12:3456 dst=2001:db8:ffff::80 type=128 code=0 id=4242 src=2001:db8:ffff::80 dst=2001:db8:b:10:0:5359:12:3456 type=129 code=0 id=4242 mark=12 use=1\n",
  );
  expect([f.family, f.proto, f.src, f.replyDst, f.mark]).toEqual([6, "icmpv6", "2001:db8:a:10:0:5359:12:3456", "2001:db8:b:10:0:5359:12:3456", 12]);
});

describe("the CLI's canary table", () => {
  const printed = (c: Parameters<typeof printCanary>[0]) => {
    const spy = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      printCanary(c);
      return spy.mock.calls.map((x) => String(x[0])).join("");
    } finally {
      spy.mockRestore();
    }
  };
  const v4 = {
    available: true,
    at: "2026-12-08T00:00:00Z",
    durationMs: 5,
    proofs: [{ target: "ISP1", kind: "isp" as const, address: "192.168.1.253", isps: ["ISP1"], expectedNat: ["203.0.113.2"], ok: true }],
  };
  const row = { target: "ISP2", kind: "isp" as const, subnet: "2001:db8:a:1::/64", owner: "ISP1", isps: ["ISP2"], probeTarget: T6 };

  it("prints no IPv6 table without IPv6 rows (IPv4-only output as before)", () => {
    expect(printed(v4)).not.toContain("IPv6");
  });

  it("prints a row per slot and /64: proven, failed with what it left as, not proven with why", () => {
    const text = printed({
      ...v4,
      ipv6: [
        { ...row, address: "2001:db8:a:1:0:5359:12:3456", expectedSource: ["2001:db8:b:1:0:5359:12:3456"], seenAs: "2001:db8:b:1:0:5359:12:3456", ok: true },
        {
          ...row,
          address: "2001:db8:a:1:0:5359:12:3456",
          expectedSource: ["2001:db8:b:1:0:5359:12:3456"],
          seenAs: "2001:db8:a:1:0:5359:12:3456",
          ok: false,
          reason: "left as 2001:db8:a:1:0:5359:12:3456, expected 2001:db8:b:1:0:5359:12:3456",
        },
        { ...row, address: "2001:db8:b:1:0:5359:12:3456", expectedSource: [], probeTarget: undefined, ok: true, skipped: true, reason: "no IPv6 probe target" },
      ],
    });
    expect(text).toContain("Canary over IPv6");
    expect(text).toMatch(/FROM \/64/);
    expect(text).toMatch(/2001:db8:a:1::\/64 \(ISP1\).*proven/);
    expect(text).toContain("FAILED: left as 2001:db8:a:1:0:5359:12:3456, expected 2001:db8:b:1:0:5359:12:3456");
    expect(text).toContain("not proven: no IPv6 probe target");
  });
});
