// A DHCP WAN that lost its IPv4 address is "no address yet", not "no such interface".
// The kernel is played by captured output (tests/fixtures/kernel/ip-addr-no-ipv4.json and
// ip-4-addr-no-ipv4.json: the same namespace printed with and without `-4`; `-4` leaves an
// interface without an IPv4 address out entirely).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";

const fixture = (f: string) => readFileSync(path.resolve(import.meta.dirname, "../fixtures/kernel", f), "utf8");

vi.mock("@/lib/net/exec", async (orig) => ({
  ...(await orig<typeof import("@/lib/net/exec")>()),
  // `ip [-4] -json addr show` as the kernel printed it; no routes
  run: vi.fn(async (_t: unknown, bin: string, args: string[]) => {
    const stdout = bin === "ip" && args.includes("addr") ? fixture(args.includes("-4") ? "ip-4-addr-no-ipv4.json" : "ip-addr-no-ipv4.json") : "[]";
    return { argv: [bin, ...args], exitCode: 0, stdout, stderr: "", durationMs: 1 };
  }),
}));

const { learnNow } = await import("@/lib/net/dynamic");

const dhcpOn = (dev: string): GatewayConfig => ({
  ...classicOffice,
  isps: [classicOffice.isps[0], { ...classicOffice.isps[1], wanInterface: dev, addressMode: "dhcp", gatewayAddress: "", linkAddress: "", linkPrefix: 0 }],
  natAddresses: [classicOffice.natAddresses[0]],
});

describe("a dynamic WAN without an IPv4 address", () => {
  it("wan2 is up with its lease gone: no address yet, not a missing interface", async () => {
    const r = await learnNow(dhcpOn("wan2"), { kind: "host" });
    expect(r.learned.ISP2).toBeNull();
    expect(r.problems).toEqual([{ isp: "ISP2", kind: "no-address", message: "wan2 has no IPv4 address yet (no DHCP lease): treated as down" }]);
  });
  it("an interface the kernel does not have: no such interface", async () => {
    const r = await learnNow(dhcpOn("wan9"), { kind: "host" });
    expect(r.problems).toEqual([{ isp: "ISP2", kind: "no-interface", message: "wan9: no such interface on the gateway: treated as down" }]);
  });
});
