// A gateway Switchyard did not build: a namespace set up by hand (as an admin's router
// would be), managed through --netns. Switchyard works with the interfaces and addresses
// it finds, refuses what is missing, and leaves the admin's own routes alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { HOST, netns, run } from "@/lib/net/exec";

const NS = "tforeign-gw";
const PEER = "tforeign-peer";
const managed = resolveTarget({ netns: NS });

async function cleanup() {
  for (const ns of [NS, PEER]) await run(HOST, "ip", ["netns", "del", ns], { allowFailure: true });
}

beforeAll(async () => {
  await cleanup();
  await run(HOST, "ip", ["-batch", "-"], {
    input: [
      `netns add ${NS}`,
      `netns add ${PEER}`,
      `link add eth0 netns ${NS} type veth peer name p0 netns ${PEER}`,
      `link add eth1 netns ${NS} type veth peer name p1 netns ${PEER}`,
      `link add lan0 netns ${NS} type veth peer name p2 netns ${PEER}`,
      "",
    ].join("\n"),
  });
  await run(netns(NS), "sysctl", ["-q", "-w", "net.ipv4.ip_forward=1"]);
  await run(HOST, "ip", ["-n", NS, "-batch", "-"], {
    input: [
      "addr add 203.0.113.10/24 dev eth0",
      "addr add 198.51.100.10/24 dev eth1",
      "addr add 192.168.1.1/24 dev lan0",
      "link set eth0 up",
      "link set eth1 up",
      "link set lan0 up",
      "route add 10.50.0.0/16 via 203.0.113.254 proto static",
      "",
    ].join("\n"),
  });
  await run(HOST, "ip", ["-n", PEER, "-batch", "-"], { input: "link set p0 up\nlink set p1 up\nlink set p2 up\n" });
});
afterAll(cleanup);

describe("a gateway Switchyard did not build", () => {
  it("applies and verifies by route lookups, keeping the admin's route", async () => {
    const report = await applyAndVerify(classicOffice, managed);
    expect(report.error).toBeUndefined();
    expect(report.result).toBe("applied");
    expect(report.verification?.stateMatches).toBe(true);
    expect(report.verification?.probed).toBe(false);
    expect(report.verification?.hosts.map((h) => [h.address, h.predicted?.table, h.predicted?.dev])).toEqual([
      ["192.168.1.100", 100, "eth0"],
      ["192.168.1.101", 200, "eth1"],
      ["192.168.1.254", 100, "eth0"], // unlisted hosts: the default ISP
    ]);
    const routes = (await run(netns(NS), "ip", ["route", "show"])).stdout;
    expect(routes).toContain("10.50.0.0/16 via 203.0.113.254 dev eth0 proto static");
  });

  it("refuses an ISP whose NAT address is not on the gateway, and says which", async () => {
    const cfg = structuredClone(classicOffice);
    cfg.natAddresses.push({ address: "203.0.113.11", isp: "ISP1", isDefault: false, host: "192.168.1.100" });
    const report = await applyAndVerify(cfg, managed);
    expect(report.failedStep).toBe("precheck");
    expect(report.error).toMatch(/address 203\.0\.113\.11 is not configured on eth0/);
  });
});
