// Router advertisements by Switchyard's own radvd on the hand-built dual-stack gateway
// (tests/kernel/handmade-dualstack.ts; issue 23, docs/ipv6.md): desk (h1) forgets its static
// IPv6 and takes its addresses by SLAAC, one in each ISP's LAN /64. Fiber's upstream dies: the
// failover configuration (the one the monitor applies) deprecates Fiber's /64 on the LAN, so desk
// stops choosing its Fiber address for new connections while the address stays valid; when Fiber
// is back, the address is preferred again. RA off stops our radvd. Both backends.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndVerify, type ApplyReport } from "@/lib/engine/run";
import { withHealth } from "@/lib/engine/running";
import { resolveTarget } from "@/lib/engine/target";
import { HOST, netns, run } from "@/lib/net/exec";
import { ourRadvdPid, raFiles } from "@/lib/net/ra/apply";
import type { GatewayConfig } from "@/lib/model";
import { buildDualStack, connect, destroyDualStack, dualStackConfig, HOSTS, kernelState6, LAN6, NS, SERVER } from "./handmade-dualstack";

const backend = process.env.SWITCHYARD_FIREWALL === "nftables" ? "nftables" : "iptables";
const managed = () => resolveTarget({ netns: NS.gw });
const gw = netns(NS.gw);

/** desk is not listed (an unlisted host, on the default ISP Fiber); router advertisements on */
const raConfig: GatewayConfig = {
  ...dualStackConfig,
  settings: { ...dualStackConfig.settings, ra: { enabled: true } },
  hosts: dualStackConfig.hosts.filter((h) => h.name !== HOSTS.h1.name),
};

const fiberUpstream = async (state: "up" | "down") => {
  const ns = netns(NS.isp1);
  if (state === "up") await run(ns, "nft", ["delete", "table", "inet", "cut"], { allowFailure: true });
  else await run(ns, "nft", ["-f", "-"], { input: "table inet cut { chain cutoff { type filter hook forward priority -300; policy drop; }; }\n" });
};

interface Addr6 {
  local: string;
  preferred_life_time: number;
  valid_life_time: number;
  deprecated?: boolean;
}
/** desk's global addresses learned by SLAAC */
async function deskAddresses(): Promise<Addr6[]> {
  const r = await run(netns(NS.h1), "ip", ["-6", "-json", "addr", "show", "dev", "eth0", "scope", "global"]);
  return (JSON.parse(r.stdout) as { addr_info?: Addr6[] }[]).flatMap((i) => (i.addr_info ?? []).filter((a) => a.local)); // ip lists addresses the filter left out as {}
}
const inLan = (isp: "a" | "b") => (a: Addr6) => a.local.startsWith(LAN6[isp].replace(/::$/, ":"));

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms; last seen ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** every process that runs our radvd file for the gateway (none must be left) */
const ourProcesses = () =>
  fs.readdirSync("/proc").filter((p) => {
    try {
      return /^\d+$/.test(p) && fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0").includes(raFiles(gw).conf);
    } catch {
      return false; // ended between the listing and the read
    }
  });

beforeAll(async () => {
  await buildDualStack();
  // desk: no static IPv6, SLAAC on (the host part from its MAC, no privacy addresses)
  await run(HOST, "ip", ["-n", NS.h1, "-6", "addr", "flush", "dev", "eth0", "scope", "global"]);
  await run(HOST, "ip", ["-n", NS.h1, "-6", "route", "flush", "default"], { allowFailure: true });
  await run(netns(NS.h1), "sysctl", ["-q", "-w", "net.ipv6.conf.eth0.accept_ra=2", "net.ipv6.conf.eth0.autoconf=1", "net.ipv6.conf.eth0.use_tempaddr=0"]);
}, 60_000);
afterAll(async () => {
  const pid = ourRadvdPid(gw);
  if (pid) await run(HOST, "kill", ["-TERM", String(pid)], { allowFailure: true });
  await fiberUpstream("up").catch(() => undefined);
  await destroyDualStack();
});

describe(`router advertisements by Switchyard's radvd (${backend})`, () => {
  const apply = async (config: GatewayConfig): Promise<ApplyReport> => {
    const report = await applyAndVerify(config, managed());
    const why = `${report.error ?? ""}\n${report.verification?.summary ?? ""}\n${await kernelState6()}`;
    expect(report.error, why).toBeUndefined();
    expect(report.verification?.stateMatches, why).toBe(true);
    return report;
  };
  const raStep = (r: ApplyReport) => r.steps.filter((s) => s.step === "ra" && s.state !== "running");

  it("another radvd serves the LAN: RA off names it; RA on is refused at the ra step and rolled back, ours never starts", async () => {
    const dir = fs.mkdtempSync("/tmp/sy-foreign-radvd-");
    fs.writeFileSync(`${dir}/radvd.conf`, "interface br-lan {\n\tAdvSendAdvert on;\n\tMaxRtrAdvInterval 600;\n};\n");
    const started = await run(gw, "radvd", ["--config", `${dir}/radvd.conf`, "--pidfile", `${dir}/radvd.pid`, "--logmethod", "stderr"]);
    const foreignPid = () => Number(fs.existsSync(`${dir}/radvd.pid`) ? fs.readFileSync(`${dir}/radvd.pid`, "utf8").trim() : 0);
    try {
      await until(`the foreign radvd's pid file (${started.stderr})`, async () => foreignPid() > 0, Boolean, 10_000);
      const off = await apply({ ...raConfig, settings: { ...raConfig.settings, ra: { enabled: false } } });
      expect(raStep(off)[0]?.detail).toBe(
        `radvd (pid ${foreignPid()}) sends router advertisements on br-lan: Switchyard does not control it, a down ISP's prefix is not deprecated`,
      );
      const on = await applyAndVerify(raConfig, managed());
      expect(on.failedStep).toBe("ra");
      expect(on.error).toContain(`radvd (pid ${foreignPid()}) sends router advertisements on br-lan`);
      expect([on.rolledBack, on.restoredExactly]).toEqual([true, true]);
      expect(ourRadvdPid(gw)).toBeNull();
      expect(fs.existsSync(raFiles(gw).conf)).toBe(false);
    } finally {
      if (foreignPid() > 0) await run(HOST, "kill", ["-TERM", String(foreignPid())], { allowFailure: true });
      await until(
        "the foreign radvd gone",
        async () => fs.existsSync(`/proc/${foreignPid()}`),
        (alive) => !alive,
        5000,
      );
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("RA on: our radvd starts in the gateway's namespace and desk takes an address in each /64, both preferred", async () => {
    const report = await apply(raConfig);
    expect(raStep(report)).toMatchObject([{ state: "ok", detail: "radvd started" }]);
    expect(ourRadvdPid(gw)).not.toBeNull();
    expect(fs.readFileSync(raFiles(gw).conf, "utf8")).toContain(`prefix ${LAN6.a}/64`);
    const addrs = await until("desk's two SLAAC addresses", deskAddresses, (a) => a.filter(inLan("a")).length === 1 && a.filter(inLan("b")).length === 1);
    expect(addrs.every((a) => a.preferred_life_time > 0 && !a.deprecated)).toBe(true);
    // desk's default router is the gateway (learned from the RA), and IPv6 goes out
    expect(await connect("h1", 6)).not.toBeNull();
  }, 120_000);

  it("Fiber's upstream dies: the failover deprecates Fiber's /64, desk's new connections leave from its LTE address", async () => {
    await fiberUpstream("down");
    const failover = withHealth(raConfig, { Fiber: { state: "down" } });
    const report = await apply(failover);
    expect(raStep(report)).toMatchObject([{ state: "ok", detail: "radvd reloaded" }]);
    const started = Date.now();
    const addrs = await until("desk's Fiber address deprecated", deskAddresses, (a) => a.some((x) => inLan("a")(x) && x.preferred_life_time === 0));
    console.log(`deprecated ${Date.now() - started} ms after the apply`);
    const fiber = addrs.find(inLan("a"))!;
    const lte = addrs.find(inLan("b"))!;
    expect(fiber.valid_life_time).toBeGreaterThan(0); // still valid: open connections keep it
    expect(lte.preferred_life_time).toBeGreaterThan(0);
    // source selection (RFC 6724 rule 3): the preferred address, LTE's
    const route = await run(netns(NS.h1), "ip", ["-6", "route", "get", SERVER.v6]);
    expect(route.stdout).toContain(`src ${lte.local}`);
    expect(await connect("h1", 6)).toBe(lte.local);
  }, 120_000);

  it("Fiber recovers: its /64 is preferred again", async () => {
    await fiberUpstream("up");
    await apply(raConfig);
    const addrs = await until("desk's Fiber address preferred again", deskAddresses, (a) => a.some((x) => inLan("a")(x) && x.preferred_life_time > 0));
    expect(addrs.filter((a) => a.deprecated)).toEqual([]);
  }, 120_000);

  it("RA off: our radvd stops, its file is gone, no process is left", async () => {
    const report = await apply({ ...raConfig, settings: { ...raConfig.settings, ra: { enabled: false } } });
    expect(raStep(report)).toMatchObject([{ state: "ok", detail: "Switchyard's radvd stopped" }]);
    expect(ourRadvdPid(gw)).toBeNull();
    expect(fs.existsSync(raFiles(gw).conf)).toBe(false);
    expect(ourProcesses()).toEqual([]);
  }, 120_000);
});
