// The canary's slots (pure), the Settings form's canary fields and the whole-config checks.
import { describe, expect, it } from "vitest";
import { classicOffice, threeIsps } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { canarySlots, withCanaryHosts } from "@/lib/net/canary/slots";
import { render } from "@/lib/net/render";
import { unlistedAddress } from "@/lib/net/verify";
import { canaryFromForm } from "@/lib/validation/form";
import { validateConfig } from "@/lib/validation";
import { canaryEvents } from "@/lib/health/canary-watch";
import type { CanaryProof, CanaryReport } from "@/lib/net/verify";

const on = (c: GatewayConfig, addresses?: Record<string, string>): GatewayConfig => ({
  ...c,
  settings: { ...c.settings, canary: { enabled: true, ...(addresses ? { addresses } : {}) } },
});

describe("canary slots", () => {
  it("are off unless enabled, and render nothing then", () => {
    expect(canarySlots(classicOffice)).toEqual([]);
    expect(render(classicOffice).script).not.toContain("192.168.1.253");
  });
  it("take the top of the first LAN subnet: the default first (the unlisted hosts' stand-in), then each ISP, then each policy", () => {
    const c = on({
      ...classicOffice,
      policies: [
        {
          name: "office",
          members: [
            { isp: "ISP1", tier: 1, weight: 1 },
            { isp: "ISP2", tier: 2, weight: 1 },
          ],
          sticky: false,
          lastResort: null,
          notes: "",
        },
      ],
    });
    expect(canarySlots(c).map((s) => [s.key, s.address, s.host?.isp ?? null, s.host?.policy ?? null])).toEqual([
      ["default", "192.168.1.254", null, null],
      ["ISP1", "192.168.1.253", "ISP1", null],
      ["ISP2", "192.168.1.252", "ISP2", null],
      ["policy:office", "192.168.1.251", null, "office"],
    ]);
    expect(unlistedAddress(c)).toBe("192.168.1.254");
    // in the host map like hosts: the nftables map (or the mark chain) has them
    const text = render(c).script + render(c).firewallInput;
    for (const a of ["192.168.1.253", "192.168.1.252", "192.168.1.251"]) expect(text).toContain(a);
    expect(
      withCanaryHosts(c)
        .hosts.filter((h) => h.canary)
        .map((h) => h.name),
    ).toEqual(["canary ISP1", "canary ISP2", "canary policy office"]);
  });
  it("skip the hosts' and the gateway's addresses, and keep the reserved ones", () => {
    const c = on(
      { ...classicOffice, hosts: [...classicOffice.hosts, { name: "printer", address: "192.168.1.254", mac: null, isp: null, notes: "" }] },
      { ISP2: "192.168.1.200" },
    );
    expect(canarySlots(c).map((s) => s.address)).toEqual(["192.168.1.253", "192.168.1.252", "192.168.1.200"]);
    // three ISPs, a /16 LAN
    expect(canarySlots(on(threeIsps)).map((s) => s.address)).toEqual(["10.20.255.254", "10.20.255.253", "10.20.255.252", "10.20.255.251"]);
  });
});

describe("canary settings", () => {
  it("the form's pairs become the setting", () => {
    expect(canaryFromForm("on", "default=192.168.1.250, ISP1=192.168.1.249")).toEqual({
      enabled: true,
      addresses: { default: "192.168.1.250", ISP1: "192.168.1.249" },
    });
    expect(canaryFromForm("off", "")).toEqual({ enabled: false });
  });
  it("an address outside the LAN, a host's, the gateway's or one used twice is refused at the setting", () => {
    const msg = (a: Record<string, string>) => {
      const r = validateConfig(on(classicOffice, a));
      return r.ok ? [] : r.issues.filter((i) => i.path[0] === "settings").map((i) => i.message);
    };
    expect(msg({ ISP1: "192.168.1.250" })).toEqual([]);
    expect(msg({ ISP1: "10.0.0.5" })[0]).toMatch(/Canary address for ISP1: 10\.0\.0\.5 is not inside the first subnet of its LAN/);
    expect(msg({ ISP1: "192.168.1.100" })[0]).toMatch(/is host office-pc's address/);
    expect(msg({ default: "192.168.1.1" })[0]).toMatch(/the gateway's own/);
    expect(msg({ ISP1: "192.168.1.250", ISP2: "192.168.1.250" })[0]).toMatch(/already the canary's address for ISP1/);
    expect(validateConfig(on(classicOffice, { "bad key!": "192.168.1.250" })).ok).toBe(false);
  });
});

describe("canary events between runs", () => {
  const report = (proofs: Partial<CanaryProof>[]): CanaryReport => ({
    available: true,
    at: "2026-12-07T08:00:00Z",
    proofs: proofs.map((p) => ({ target: "ISP1", kind: "isp", address: "192.168.1.253", isps: ["ISP1"], expectedNat: ["203.0.113.10"], ok: true, ...p })),
  });
  it("a target whose proof changes is an event with the reason; an unchanged one is not", () => {
    const ok = report([{ target: "ISP1", ok: true, seenAs: "203.0.113.10" }]);
    const failed = report([{ target: "ISP1", ok: false, reason: "left as 203.0.113.3, expected 203.0.113.10" }]);
    expect(canaryEvents(null, ok)).toEqual([]);
    expect(canaryEvents(ok, ok)).toEqual([]);
    expect(canaryEvents(ok, failed)).toEqual([{ isp: "canary ISP1", from: "proven", to: "failed", reason: "left as 203.0.113.3, expected 203.0.113.10" }]);
    expect(canaryEvents(failed, ok)).toEqual([{ isp: "canary ISP1", from: "failed", to: "proven", reason: "proven again: left as 203.0.113.10" }]);
    expect(canaryEvents(null, report([{ ok: false, upstreamDown: true, reason: "no internet" }]))[0]).toMatchObject({ from: "unknown", to: "no internet" });
  });
  it("an IPv6 row whose proof changes is an event of its own; a row not proven for want of an IPv6 target is none", () => {
    const row = (over: object) => ({
      target: "LTE",
      kind: "isp" as const,
      address: "2001:db8:a:10::5359:1",
      subnet: "2001:db8:a:10::/64",
      owner: "Fiber",
      isps: ["LTE"],
      expectedSource: ["2001:db8:b:10::5359:1"],
      ok: true,
      ...over,
    });
    const v4 = [{ target: "ISP1", ok: true, seenAs: "203.0.113.10" }];
    const ok = { ...report(v4), ipv6: [row({ seenAs: "2001:db8:b:10::5359:1" })] };
    const failed = { ...report(v4), ipv6: [row({ ok: false, reason: "left as 2001:db8:a:10::5359:1, expected 2001:db8:b:10::5359:1" })] };
    expect(canaryEvents(ok, failed)).toEqual([
      { isp: "canary LTE IPv6 from Fiber's /64", from: "proven", to: "failed", reason: "left as 2001:db8:a:10::5359:1, expected 2001:db8:b:10::5359:1" },
    ]);
    expect(canaryEvents(failed, ok)[0]).toMatchObject({ from: "failed", to: "proven" });
    expect(canaryEvents(ok, { ...report(v4), ipv6: [row({ ok: false, skipped: true, reason: "no IPv6 probe target" })] })).toEqual([]);
  });
});
