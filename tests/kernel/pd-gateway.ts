// A gateway whose ISP delegates its IPv6 prefix by DHCPv6-PD, for tests/kernel/dhcpv6-pd.test.ts:
// a real exchange, nothing played. In the ISP's namespace ISC `dhcpd -6` delegates a /56 from a
// one-prefix pool and radvd advertises the ISP as the router (M flag); on the gateway's WAN
// dhcpcd (Debian's dhcpcd-base 9.4.1) asks for the prefix (`ia_pd 1 pdxlan/1/64`), puts its /64 on
// the LAN and installs the RA's default route. The ISP routes the delegated prefix back to the
// gateway (what its DHCPv6 relay does) and drops any other source (BCP 38); a test server on
// the ISP's side answers each TCP connection with the source address it sees.
// Everything is in namespaces "pdx-*" and /tmp; dhcpcd's only host files are its pid/socket in
// /run/dhcpcd and its lease /var/lib/dhcpcd/pdxwan.lease6 (named by the test's interface), removed
// in teardown with the DUID when the test's dhcpcd made it. Processes outlive their namespaces: each is stopped by its pid first.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { GatewayConfig } from "@/lib/model";
import { serverScript } from "@/lib/lab/server";
import { HOST, netns, run, spawnDetached } from "@/lib/net/exec";
import { confSysctl, forwardingSysctl } from "@/lib/net/family";

export const NS = { gw: "pdx-gw", isp: "pdx-isp", host: "pdx-host" };
export const WAN = "pdxwan";
export const LAN = "pdxlan";
export const SERVER = { v6: "2001:db8:ffff::80", port: 7017 };
/** the pools the ISP delegates from: one /56 each, so each lease is known in advance */
export const POOLS = { first: "2001:db8:a00::/56", second: "2001:db8:b00::/56" };
/** what dhcpcd puts on the LAN for a pool (sla 1, suffix ::1), and the host's address in it */
export const lan64 = (pool: string) => pool.replace("::/56", ":1::");
export const HOST_IID = "20";

export const pdConfig: GatewayConfig = {
  settings: { lanInterface: LAN, lanSubnets: ["10.78.0.1/24"], defaultIsp: "Fiber" },
  isps: [
    {
      name: "Fiber",
      wanInterface: WAN,
      gatewayAddress: "192.0.2.1",
      linkAddress: "192.0.2.2",
      linkPrefix: 24,
      routingTable: 31,
      mark: 31,
      enabled: true,
      natMode: "MASQUERADE",
      ipv6: { mode: "pd", prefix: "", gateway: "" },
    },
  ],
  natAddresses: [],
  hosts: [{ name: "desk", address: "10.78.0.20", mac: "02:d6:00:00:00:20", isp: "Fiber", notes: "" }],
};

let dir = "";
/** dhcpcd writes its DUID beside the leases when there is none: removed again only when the test made it */
const DUID = "/var/lib/dhcpcd/duid";
let madeDuid = false;
const pids: Record<string, number> = {};

const stop = (name: string) => {
  const pid = pids[name];
  delete pids[name];
  if (pid > 1)
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ip = (ns: string, args: string[]) => run(HOST, "ip", ["-n", ns, ...args]);
const sysctl = (ns: string, kv: Record<string, string | number>) => run(netns(ns), "sysctl", ["-q", "-w", ...Object.entries(kv).map(([k, v]) => `${k}=${v}`)]);

export async function destroyPd() {
  for (const name of Object.keys(pids)) stop(name);
  await sleep(300);
  await run(HOST, "ip", ["-force", "-batch", "-"], {
    input: `${[...Object.values(NS), `${NS.gw}-canary`].map((n) => `netns del ${n}`).join("\n")}\n`,
    allowFailure: true,
  });
  rmSync(`/var/lib/dhcpcd/${WAN}.lease6`, { force: true });
  if (madeDuid) rmSync(DUID, { force: true });
  madeDuid = false;
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** (Re)start the ISP's DHCPv6 server delegating from one pool, with a fresh lease file (it forgets earlier bindings). */
export async function serve(pool: string) {
  stop("dhcpd");
  await sleep(200);
  const [start] = pool.split("/");
  writeFileSync(
    path.join(dir, "dhcpd6.conf"),
    `default-lease-time 600;\nmax-lease-time 7200;\nsubnet6 2001:db8:ff::/64 {\n  prefix6 ${start} ${start} /56;\n}\n`,
  );
  writeFileSync(path.join(dir, "dhcpd6.leases"), "");
  pids.dhcpd = spawnDetached(netns(NS.isp), "dhcpd", [
    "-6",
    "-f",
    "-q",
    "-cf",
    path.join(dir, "dhcpd6.conf"),
    "-lf",
    path.join(dir, "dhcpd6.leases"),
    "-pf",
    path.join(dir, "dhcpd6.pid"),
    "cust",
  ]);
}

/** (Re)start dhcpcd on the gateway's WAN: it solicits a prefix and delegates its /64 to the LAN. */
export async function startClient() {
  stop("dhcpcd");
  await sleep(500);
  pids.dhcpcd = spawnDetached(netns(NS.gw), "dhcpcd", ["-B", "-6", "-f", path.join(dir, "dhcpcd.conf"), WAN]);
}

/** dhcpcd gave up its prefix (stopped): the LAN /64 and the RA route go with it. */
export const stopClient = () => stop("dhcpcd");

/** Wait until the LAN holds the /64 of a pool (dhcpcd delegated it); then route the prefix back from the ISP, as its relay would. */
export async function delegated(pool: string, timeoutMs = 30_000) {
  const want = `${lan64(pool)}1`;
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(200)) {
    const out = (await ip(NS.gw, ["-6", "-o", "addr", "show", "dev", LAN, "scope", "global"])).stdout;
    const routes = (await ip(NS.gw, ["-6", "route", "show", "default", "dev", WAN])).stdout;
    if (out.includes(`${want}/64`) && !/tentative/.test(out) && routes.includes("default via fe80::")) {
      const gwLl = (await ip(NS.gw, ["-6", "-o", "addr", "show", "dev", WAN, "scope", "link"])).stdout.match(/inet6 (fe80::[0-9a-f:]+)\//)?.[1];
      await ip(NS.isp, ["-6", "route", "replace", pool, "via", gwLl!, "dev", "cust"]);
      return;
    }
  }
  const state = `${(await ip(NS.gw, ["-6", "addr"])).stdout}\n${(await ip(NS.gw, ["-6", "route", "show", "table", "all"])).stdout}`;
  throw new Error(`dhcpcd did not delegate ${pool} to ${LAN} within ${timeoutMs} ms:\n${state}`);
}

/** The LAN host takes an address in the pool's /64 (as SLAAC would) with the gateway as its router. */
export async function hostAddress(pool: string): Promise<string> {
  const a = `${lan64(pool)}${HOST_IID}`;
  await ip(NS.host, ["-6", "addr", "flush", "dev", "eth0", "scope", "global"]);
  await ip(NS.host, ["-6", "addr", "add", `${a}/64`, "dev", "eth0", "nodad"]);
  await ip(NS.host, ["-6", "route", "replace", "default", "via", `${lan64(pool)}1`, "dev", "eth0"]);
  return a;
}

export async function buildPd(): Promise<void> {
  await destroyPd();
  dir = mkdtempSync(path.join(os.tmpdir(), "sy-pd-"));
  madeDuid = !existsSync(DUID);
  const { gw, isp, host } = NS;
  await run(HOST, "ip", ["-batch", "-"], {
    input: `${Object.values(NS)
      .map((n) => `netns add ${n}`)
      .join("\n")}\n`,
  });
  for (const ns of Object.values(NS))
    await sysctl(ns, { [confSysctl(6, "all", "accept_dad")]: 0, [confSysctl(6, "default", "accept_dad")]: 0, [confSysctl(6, "default", "disable_ipv6")]: 0 });
  await sysctl(gw, { [forwardingSysctl(4)]: 1, [forwardingSysctl(6)]: 1 });
  await sysctl(isp, { [forwardingSysctl(6)]: 1 });
  await run(HOST, "ip", ["-batch", "-"], {
    input: [`link add ${WAN} netns ${gw} type veth peer name cust netns ${isp}`, `link add ${LAN} netns ${gw} type veth peer name eth0 netns ${host}`, ""].join(
      "\n",
    ),
  });
  await run(HOST, "ip", ["-n", gw, "-batch", "-"], {
    input: [
      `addr add 10.78.0.1/24 dev ${LAN}`,
      `addr add 192.0.2.2/24 dev ${WAN}`,
      `link set ${WAN} up`,
      `link set ${LAN} up`,
      "link set lo up",
      "route add default via 192.0.2.1",
      "",
    ].join("\n"),
  });
  await run(HOST, "ip", ["-n", isp, "-batch", "-"], {
    input: ["addr add 192.0.2.1/24 dev cust", "link set cust up", "link set lo up", ""].join("\n"),
  });
  await ip(isp, ["-6", "addr", "add", "2001:db8:ff::1/64", "dev", "cust", "nodad"]);
  await ip(isp, ["-6", "addr", "add", `${SERVER.v6}/128`, "dev", "lo", "nodad"]);
  // BCP 38: the ISP forwards nothing from the gateway (and answers nothing) but its delegated pools
  await run(netns(isp), "nft", ["-f", "-"], {
    input: `table ip6 bcp38 {\n chain input { type filter hook input priority 0; policy accept;\n  iifname "cust" ip6 daddr ${SERVER.v6} ip6 saddr != { ${POOLS.first}, ${POOLS.second} } drop\n }\n}\n`,
  });
  await run(HOST, "ip", ["-n", host, "-batch", "-"], {
    input: ["link set eth0 address 02:d6:00:00:00:20", "addr add 10.78.0.20/24 dev eth0", "link set eth0 up", "link set lo up", ""].join("\n"),
  });
  writeFileSync(
    path.join(dir, "radvd.conf"),
    "interface cust {\n AdvSendAdvert on;\n MinRtrAdvInterval 3;\n MaxRtrAdvInterval 10;\n AdvManagedFlag on;\n prefix 2001:db8:ff::/64 { AdvAutonomous off; };\n};\n",
  );
  // no hooks (they would write the host's resolv.conf), no IPv4, the prefix's sla 1 on the LAN
  writeFileSync(path.join(dir, "dhcpcd.conf"), `ipv6only\nscript ""\noption rapid_commit\ninterface ${WAN}\n  ia_pd 1 ${LAN}/1/64\n`);
  pids.radvd = spawnDetached(netns(isp), "radvd", ["-n", "-C", path.join(dir, "radvd.conf"), "-p", path.join(dir, "radvd.pid"), "-m", "none"]);
  pids.server = spawnDetached(netns(isp), "node", [serverScript, "--address", "::", "--port", String(SERVER.port), "--sink-port", String(SERVER.port + 1)]);
  await serve(POOLS.first);
  await startClient();
  await delegated(POOLS.first);
}

/** A TCP connection from the LAN host to the server from `source`: the address the server saw, or null. */
export async function connect(source: string): Promise<string | null> {
  const r = await run(netns(NS.host), "nc", ["-n", "-s", source, "-w", "2", SERVER.v6, String(SERVER.port)], { allowFailure: true, timeoutMs: 5000 });
  const seen = r.stdout.trim();
  return r.exitCode === 0 && seen ? seen : null;
}

export async function state6(): Promise<string> {
  const t = netns(NS.gw);
  const [rules, routes, addrs] = await Promise.all([
    run(t, "ip", ["-6", "rule"]),
    run(t, "ip", ["-6", "route", "show", "table", "all"]),
    run(t, "ip", ["-6", "addr"]),
  ]);
  return `ip -6 rule:\n${rules.stdout}\nip -6 route:\n${routes.stdout}\nip -6 addr:\n${addrs.stdout}`;
}
