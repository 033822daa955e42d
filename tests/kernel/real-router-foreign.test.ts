// A real router Switchyard did not build, set up by hand here (not through lib/lab's
// builder), with what real boxes have: a metric-0 main default route from the "DHCP
// client", a site-to-site VPN rule inside 10000-10999, a foreign rule above Switchyard's
// that steals one host, a foreign full-mark mangle rule, strict rp_filter with
// src_valid_mark, a /32 onlink (PPPoE-like) ISP and a MASQUERADE ISP.
// Real TCP from each host namespace to an echo server in an "internet" namespace proves
// the address each host leaves with; where it leaves wrongly, verification must fail and
// name the foreign object. Never ok-and-wrong.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { ensureServer, stopServer, probeEgress } from "@/lib/lab/server";
import { hostNamespace } from "@/lib/lab/topology";
import { HOST, netns, run } from "@/lib/net/exec";
import type { GatewayConfig } from "@/lib/model";
import { observeKernel } from "@/lib/net/observe";
import { planChanges } from "@/lib/net/plan";
import { render } from "@/lib/net/render";
import { verifyKernel } from "@/lib/net/verify";

const P = "hr";
const nftables = process.env.SWITCHYARD_FIREWALL === "nftables";
const GW = `${P}-gw`;
const INET = `${P}-inet`;
const gw = netns(GW);
const managed = resolveTarget({ netns: GW });
const UNLISTED = "192.168.1.150";
const HOSTS = ["192.168.1.100", "192.168.1.101", "192.168.1.102", "192.168.1.103", UNLISTED];

const config: GatewayConfig = {
  settings: { lanInterface: "lan0", lanSubnets: ["192.168.1.1/24"], defaultIsp: "fiber" },
  isps: [
    {
      name: "fiber",
      wanInterface: "eth0",
      gatewayAddress: "203.0.113.1",
      linkAddress: "203.0.113.10",
      linkPrefix: 24,
      routingTable: 100,
      mark: 1,
      enabled: true,
      natMode: "SNAT",
    },
    {
      name: "cable",
      wanInterface: "eth1",
      gatewayAddress: "198.51.100.1",
      linkAddress: "198.51.100.10",
      linkPrefix: 24,
      routingTable: 200,
      mark: 2,
      enabled: true,
      natMode: "MASQUERADE",
    },
    {
      name: "pppoe",
      wanInterface: "ppp0",
      gatewayAddress: "100.64.0.1",
      linkAddress: "100.64.7.2",
      linkPrefix: 32,
      routingTable: 30,
      mark: 3,
      enabled: true,
      natMode: "MASQUERADE",
    },
  ],
  natAddresses: [{ address: "203.0.113.10", isp: "fiber", isDefault: true, host: null }],
  hosts: [
    { name: "desk", address: "192.168.1.100", mac: null, isp: "fiber", notes: "" },
    { name: "stolen", address: "192.168.1.101", mac: null, isp: "cable", notes: "" },
    { name: "ppp-user", address: "192.168.1.102", mac: null, isp: "pppoe", notes: "" },
    { name: "remarked", address: "192.168.1.103", mac: null, isp: "cable", notes: "" },
  ],
};
const EXPECTED: Record<string, string> = {
  "192.168.1.100": "203.0.113.10",
  "192.168.1.101": "198.51.100.10",
  "192.168.1.102": "100.64.7.2",
  "192.168.1.103": "198.51.100.10",
  [UNLISTED]: "203.0.113.10",
};
const STEALER = "5000";

const batch = (ns: string | null, lines: string[]) => run(HOST, "ip", [...(ns ? ["-n", ns] : []), "-batch", "-"], { input: `${lines.join("\n")}\n` });

async function cleanup() {
  await stopServer(P);
  for (const ns of [GW, INET, ...HOSTS.map((h) => hostNamespace(P, h))]) await run(HOST, "ip", ["netns", "del", ns], { allowFailure: true });
}

/** Everything not Switchyard's: rules and routes without proto 201, iptables lines outside SWYD-* (no counters). */
async function foreignState(): Promise<string> {
  const [rules, routes, ipt] = await Promise.all([
    run(gw, "ip", ["rule", "show"]),
    run(gw, "ip", ["-4", "route", "show", "table", "all"]),
    run(gw, "iptables-save", []),
  ]);
  const notOurs = (t: string) => t.split("\n").filter((l) => !/proto (201|switchyard)\b/.test(l));
  const ipt2 = ipt.stdout.split("\n").filter((l) => !l.startsWith("#") && !l.includes("SWYD-"));
  return [...notOurs(rules.stdout), "--", ...notOurs(routes.stdout), "--", ...ipt2].join("\n");
}

/** Un-NATed LAN packets that reached the internet, counted in the internet namespace. */
const leaked = async () =>
  Number(
    /^\[(\d+):/m.exec(
      (await run(netns(INET), "iptables-save", ["-c", "-t", "raw"])).stdout.split("\n").find((l) => l.includes("-s 192.168.0.0/16")) ?? "",
    )?.[1] ?? -1,
  );

beforeAll(async () => {
  await cleanup();
  await batch(
    null,
    [GW, INET, ...HOSTS.map((h) => hostNamespace(P, h))].map((n) => `netns add ${n}`),
  );
  await batch(null, [
    `link add eth0 netns ${GW} type veth peer name p0 netns ${INET}`,
    `link add eth1 netns ${GW} type veth peer name p1 netns ${INET}`,
    `link add ppp0 netns ${GW} type veth peer name p3 netns ${INET}`,
    ...HOSTS.map((h, i) => `link add lh${i} netns ${GW} type veth peer name eth0 netns ${hostNamespace(P, h)}`),
  ]);
  // the admin's hardened box: forwarding on, strict reverse-path filtering with src_valid_mark
  await run(gw, "sysctl", [
    "-q",
    "-w",
    "net.ipv4.ip_forward=1",
    "net.ipv4.conf.all.rp_filter=1",
    "net.ipv4.conf.default.rp_filter=1",
    "net.ipv4.conf.eth0.rp_filter=1",
    "net.ipv4.conf.eth1.rp_filter=1",
    "net.ipv4.conf.ppp0.rp_filter=1",
    "net.ipv4.conf.all.src_valid_mark=1",
  ]);
  await run(netns(INET), "sysctl", ["-q", "-w", "net.ipv4.conf.all.rp_filter=1", "net.ipv4.conf.default.rp_filter=1"]);
  await batch(GW, [
    "link add lan0 type bridge",
    "addr add 192.168.1.1/24 dev lan0",
    "link set lan0 up",
    ...HOSTS.map((_, i) => `link set lh${i} master lan0`),
    ...HOSTS.map((_, i) => `link set lh${i} up`),
    "addr add 203.0.113.10/24 dev eth0",
    "addr add 198.51.100.10/24 dev eth1",
    "addr add 100.64.7.2/32 dev ppp0",
    "link set eth0 up",
    "link set eth1 up",
    "link set ppp0 up",
    // the DHCP client's default route (metric 0), via the cable ISP
    "route add default via 198.51.100.1 dev eth1 proto dhcp",
    // a site-to-site VPN rule inside Switchyard's old range, and its table
    "route add 10.99.0.0/16 via 203.0.113.1 dev eth0 proto static table 250",
    "rule add priority 10500 to 10.99.0.0/16 lookup 250",
    // a leftover rule above Switchyard's that sends one host out through the fiber
    "route add default via 203.0.113.1 dev eth0 proto static table 300",
    `rule add priority ${STEALER} from 192.168.1.101 lookup 300`,
  ]);
  await run(gw, "sysctl", ["-q", "-e", "-w", "net.bridge.bridge-nf-call-iptables=0"], { allowFailure: true });
  // a foreign full-mark write in PREROUTING (Switchyard's jump will go before it)
  await run(gw, "iptables", ["-t", "mangle", "-A", "PREROUTING", "-s", "192.168.1.103", "-j", "MARK", "--set-mark", "0x100"]);
  // the admin's firewall, and a container runtime's NAT rule (not LAN traffic: no override)
  await run(gw, "iptables", ["-A", "INPUT", "-i", "eth0", "-p", "tcp", "--dport", "22", "-j", "DROP"]);
  await run(gw, "iptables", ["-t", "nat", "-A", "POSTROUTING", "-s", "172.17.0.0/16", "!", "-o", "docker0", "-j", "MASQUERADE"]);
  await batch(INET, [
    "addr add 198.18.0.1/32 dev lo",
    "link set lo up",
    "addr add 203.0.113.1/24 dev p0",
    "addr add 198.51.100.1/24 dev p1",
    "addr add 100.64.0.1/32 dev p3",
    "link set p0 up",
    "link set p1 up",
    "link set p3 up",
    "route add 100.64.7.2/32 dev p3 scope link",
  ]);
  await run(netns(INET), "iptables", ["-t", "raw", "-A", "PREROUTING", "-s", "192.168.0.0/16"]);
  for (const h of HOSTS) {
    await batch(hostNamespace(P, h), ["link set lo up", `addr add ${h}/24 dev eth0`, "link set eth0 up", "route add default via 192.168.1.1"]);
  }
  await ensureServer(P);
}, 60_000);
afterAll(cleanup, 30_000);

const probe = (a: string) => probeEgress(P, a, { timeoutMs: 2000 });

describe("a real router Switchyard did not build", () => {
  let before = "";

  it("applies beside the admin's objects; verification fails and names the rule that steals a host", async () => {
    before = await foreignState();
    const report = await applyAndVerify(config, managed, { rollbackOnVerifyFailure: false });
    // precheck: no refusal for main's default route; it says who owns it
    expect(report.steps.find((s) => s.step === "precheck" && s.state === "ok")?.detail).toMatch(
      /main's default route via 198\.51\.100\.1 dev eth1 \(proto dhcp\) stays with its owner.*leaves via eth1 \(cable\), not the default ISP fiber/,
    );
    expect(report.verification?.stateMatches).toBe(true);
    expect(report.verification?.ok).toBe(false);
    const stolen = report.verification!.hosts.find((h) => h.address === "192.168.1.101")!;
    expect(stolen.ok).toBe(false);
    expect(stolen.reason).toContain(`ip rule priority ${STEALER} from 192.168.1.101`);
    expect(report.verification!.overrides!.find((o) => o.kind === "mangle")).toMatchObject({ neutralised: true, hosts: ["192.168.1.103"] });
    const others = report.verification!.hosts.filter((h) => h.address !== "192.168.1.101");
    expect(others.map((h) => [h.address, h.ok, h.reason])).toEqual(others.map((h) => [h.address, true, undefined]));
    // the re-plan right after apply is empty
    expect(planChanges(render(config).state, await observeKernel(gw), config).empty).toBe(true);
    expect(await foreignState()).toBe(before);
    // CAPTURE=1 refreshes the parser fixture: foreign rules inside and above the range, Switchyard's tagged
    if (process.env.CAPTURE)
      fs.writeFileSync(
        path.join(import.meta.dirname, "../fixtures/kernel/ip-rule-foreign-gateway.json"),
        (await run(gw, "ip", ["-json", "rule", "show"])).stdout,
      );
  }, 60_000);

  it("real TCP: every host leaves with its ISP's address, except the stolen one, which verification names", async () => {
    const seen = Object.fromEntries(await Promise.all(HOSTS.map(async (h) => [h, await probe(h)] as const)));
    for (const h of HOSTS.filter((h) => h !== "192.168.1.101")) expect([h, seen[h]]).toEqual([h, { ok: true, seenAs: EXPECTED[h] }]);
    // the stolen host does not leave as cable's address (strict rp_filter drops its replies, or it leaves as fiber's)
    expect(seen["192.168.1.101"]).not.toEqual({ ok: true, seenAs: EXPECTED["192.168.1.101"] });
    expect(await leaked()).toBe(0);
    // conntrack evidence, read back after the traffic: each verdict agrees with what TCP showed
    const v = await verifyKernel(gw, config, render(config).state);
    for (const h of v.hosts) {
      const address = h.name === "(unlisted hosts)" ? UNLISTED : h.address;
      const tcp = seen[address];
      const right = tcp?.ok === true && tcp.seenAs === EXPECTED[address];
      if (!right) expect([h.address, h.ok]).toEqual([h.address, false]);
    }
    expect(v.hosts.find((h) => h.address === "192.168.1.100")!.flows!.checked).toBeGreaterThan(0);
    expect(v.ok).toBe(false);
  }, 60_000);

  it("without the stealing rule: verified, and TCP agrees for every host", async () => {
    await run(gw, "ip", ["rule", "del", "priority", STEALER]);
    try {
      // the flows it stole are history, and conntrack still shows them: clear them first
      await run(gw, "conntrack", ["-D", "-s", "192.168.1.101"], { allowFailure: true });
      const v = await verifyKernel(gw, config, render(config).state, probe);
      expect(v.summary).toMatch(/^5 host paths verified/);
      expect(v.ok).toBe(true);
      expect(v.hosts.filter((h) => h.seenAs).map((h) => [h.address, h.seenAs])).toEqual(HOSTS.filter((h) => h !== UNLISTED).map((h) => [h, EXPECTED[h]]));
    } finally {
      await run(gw, "ip", ["rule", "add", "priority", STEALER, "from", "192.168.1.101", "lookup", "300"]);
    }
  }, 60_000);

  it("a foreign rule appended after the re-assertion that writes Switchyard's bits fails verification by name (nftables: is undone)", async () => {
    await run(gw, "iptables", ["-t", "mangle", "-A", "PREROUTING", "-s", "192.168.1.100", "-j", "MARK", "--set-xmark", "0x2/0xff"]);
    try {
      const v = await verifyKernel(gw, config, render(config).state, nftables ? probe : undefined);
      const desk = v.hosts.find((h) => h.address === "192.168.1.100")!;
      if (nftables) {
        // nftables: Switchyard's re-assertion is a chain of its own after all of iptables' mangle
        // (priority -140), so the rule cannot move the host: the lint says so, and TCP agrees
        expect(v.overrides?.find((o) => o.object.includes("-s 192.168.1.100/32 -j MARK --set-xmark 0x2/0xff"))).toMatchObject({ neutralised: true });
        expect(desk.ok).toBe(true);
        expect(desk.seenAs).toBe(EXPECTED["192.168.1.100"]);
      } else {
        expect(desk.ok).toBe(false);
        expect(desk.reason).toContain("-s 192.168.1.100/32 -j MARK --set-xmark 0x2/0xff");
      }
    } finally {
      await run(gw, "iptables", ["-t", "mangle", "-D", "PREROUTING", "-s", "192.168.1.100", "-j", "MARK", "--set-xmark", "0x2/0xff"]);
      await run(gw, "conntrack", ["-D", "-s", "192.168.1.100"], { allowFailure: true });
    }
  }, 60_000);

  it("an ISP whose link is down: the rest applies, that ISP is reported down with the hosts that have no path", async () => {
    await run(gw, "ip", ["link", "set", "ppp0", "down"]);
    const cfg = structuredClone(config);
    cfg.hosts = cfg.hosts.filter((h) => h.address !== "192.168.1.101");
    await run(gw, "conntrack", ["-D", "-s", "192.168.1.101"], { allowFailure: true });
    const report = await applyAndVerify(cfg, managed);
    expect(report.error).toBeUndefined();
    expect(report.steps.find((s) => s.step === "precheck" && s.state === "ok")?.detail).toMatch(/pppoe is down \(link ppp0\).*no path for ppp-user/);
    expect(report.verification?.ok).toBe(true);
    expect(report.verification?.isps.find((i) => i.name === "pppoe")).toMatchObject({ down: true, ok: false });
    expect(report.verification?.hosts.find((h) => h.name === "ppp-user")).toMatchObject({ noPath: true });
    // refused with an ICMP error, not leaked out of another WAN
    expect((await probe("192.168.1.102")).ok).toBe(false);
    expect(await leaked()).toBe(0);
    await run(gw, "ip", ["link", "set", "ppp0", "up"]);
    const back = await applyAndVerify(config, managed, { rollbackOnVerifyFailure: false });
    expect(back.verification?.hosts.find((h) => h.name === "ppp-user")?.ok).toBe(true);
  }, 60_000);

  it("no usable ISP: nothing leaves un-NATed, and verification is not a pass", async () => {
    const cfg = structuredClone(config);
    for (const i of cfg.isps) i.enabled = false;
    const report = await applyAndVerify(cfg, managed, { rollbackOnVerifyFailure: false });
    expect(report.verification?.ok).toBe(false);
    expect(report.verification?.summary).toMatch(/nothing verified: no usable ISP/);
    for (const h of HOSTS) expect((await probe(h)).ok).toBe(false);
    expect(await leaked()).toBe(0);
  }, 60_000);

  it("a failed apply rolls back; foreign objects are byte-identical throughout", async () => {
    await applyAndVerify(config, managed, { rollbackOnVerifyFailure: false });
    expect(await foreignState()).toBe(before);
    const changed = structuredClone(config);
    changed.hosts[0].isp = "cable";
    const failed = await applyAndVerify(changed, managed, { fault: "cleanup" });
    expect(failed.result).toBe("rolled-back");
    expect(failed.restoredExactly).toBe(true);
    expect(await foreignState()).toBe(before);
    expect(planChanges(render(config).state, await observeKernel(gw), config).empty).toBe(true);
  }, 60_000);
});
