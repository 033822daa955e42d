// A dual-stack gateway built by hand for the IPv6 tests (tests/kernel/dual-stack.test.ts), the
// way an OpenWrt-style box with two ISPs looks before Switchyard: names and numbers unlike the
// lab's (namespaces "dsk-*", eno1/wwan0/br-lan, tables 11 and 12), Debian's stock sysctls
// (rp_filter=2 per interface, src_valid_mark=0) plus IPv6 forwarding, and netifd's foreign
// source-specific defaults (`default from <prefix> via ...`, an unreachable route per prefix).
// Fiber (eno1) delegates 2001:db8:a::/48 with a link-local next hop (fe80::1); LTE (wwan0)
// delegates 2001:db8:b::/48 with a global one on its own link net. Each ISP drops forwarded
// packets whose source is not in its prefix (BCP 38; as an nft rule pair, the same two rules
// kernel.md gives for ip6tables, without a new binary in lib/net/exec.ts). Both reach one
// "internet" namespace whose echo server (lib/lab/echo-server.mjs on "::") answers each TCP
// connection with the source address it sees, IPv4 and IPv6. The LAN carries a /64 of each
// prefix (gateway ::1 on each); each host holds an address from each /64 with the same host
// part. Addresses are `nodad` and accept_dad=0: usable at once. Everything stays in "dsk-*".
import type { GatewayConfig } from "@/lib/model";
import { serverScript } from "@/lib/lab/server";
import { HOST, netns, run, spawnDetached } from "@/lib/net/exec";
import { confSysctl, forwardingSysctl } from "@/lib/net/family";

const P = "dsk";
export const NS = { gw: `${P}-gw`, isp1: `${P}-isp1`, isp2: `${P}-isp2`, net: `${P}-net`, h1: `${P}-h1`, h2: `${P}-h2` };
export type HostName = "h1" | "h2";

export const SERVER = { v4: "203.0.113.80", v6: "2001:db8:ffff::80", port: 7007 };
export const PREFIX = { a: "2001:db8:a::/48", b: "2001:db8:b::/48" };
/** each ISP's LAN /64 (the gateway is ::1 on each) */
export const LAN6 = { a: "2001:db8:a:10::", b: "2001:db8:b:10::" };
/** the hosts: IPv4, MAC and the host part they use in each /64 */
export const HOSTS = {
  h1: { name: "desk", v4: "10.77.0.20", mac: "02:d5:00:00:00:20", iid: "20" },
  h2: { name: "laptop", v4: "10.77.0.30", mac: "02:d5:00:00:00:30", iid: "30" },
} as const;
/** a host's address in ISP "a" or "b"'s LAN /64 */
export const addr6 = (h: HostName, isp: "a" | "b") => `${LAN6[isp]}${HOSTS[h].iid}`;

/** desk is placed on LTE (ISP2), laptop on Fiber (ISP1); both ISPs have IPv6 */
export const dualStackConfig: GatewayConfig = {
  settings: {
    lanInterface: "br-lan",
    lanSubnets: ["10.77.0.1/24"],
    lanSubnets6: [`${LAN6.a}1/64`, `${LAN6.b}1/64`],
    defaultIsp: "Fiber",
  },
  isps: [
    {
      name: "Fiber",
      wanInterface: "eno1",
      gatewayAddress: "192.0.2.1",
      linkAddress: "192.0.2.2",
      linkPrefix: 24,
      routingTable: 11,
      mark: 11,
      enabled: true,
      natMode: "SNAT",
      ipv6: { prefix: PREFIX.a, gateway: "fe80::1" },
    },
    {
      name: "LTE",
      wanInterface: "wwan0",
      gatewayAddress: "198.51.100.1",
      linkAddress: "198.51.100.2",
      linkPrefix: 24,
      routingTable: 12,
      mark: 12,
      enabled: true,
      natMode: "MASQUERADE",
      ipv6: { prefix: PREFIX.b, gateway: "2001:db8:f2::1" },
    },
  ],
  natAddresses: [{ address: "192.0.2.2", isp: "Fiber", isDefault: true, host: null }],
  hosts: [
    { name: HOSTS.h1.name, address: HOSTS.h1.v4, mac: HOSTS.h1.mac, isp: "LTE", notes: "" },
    { name: HOSTS.h2.name, address: HOSTS.h2.v4, mac: HOSTS.h2.mac, isp: "Fiber", notes: "" },
  ],
};

// `ip -batch` takes no options per line: lines starting "-6 " go to a second, `ip -6` batch after the others
async function batch(ns: string | null, lines: string[]) {
  const at = ns ? ["-n", ns] : [];
  const v6 = lines.filter((l) => l.startsWith("-6 ")).map((l) => l.slice(3));
  const rest = lines.filter((l) => !l.startsWith("-6 "));
  if (rest.length) await run(HOST, "ip", [...at, "-batch", "-"], { input: `${rest.join("\n")}\n` });
  if (v6.length) await run(HOST, "ip", [...at, "-6", "-batch", "-"], { input: `${v6.join("\n")}\n` });
}
const sysctl = (ns: string, kv: Record<string, string | number>) => run(netns(ns), "sysctl", ["-q", "-w", ...Object.entries(kv).map(([k, v]) => `${k}=${v}`)]);

let server = -1;

export async function destroyDualStack() {
  // a process outlives its namespace: the echo server goes first
  if (server > 1) {
    try {
      process.kill(server, "SIGTERM");
    } catch {
      // already gone
    }
    server = -1;
  }
  const all = [...Object.values(NS), `${NS.gw}-canary`];
  await run(HOST, "ip", ["-force", "-batch", "-"], { input: `${all.map((n) => `netns del ${n}`).join("\n")}\n`, allowFailure: true });
}

/** An ISP router: its customer side "cust", its uplink "uplink" to the internet; BCP 38 on what the customer sends. */
async function buildIsp(ns: string, n: 1 | 2, prefix: string, cust6: string[], back6: string) {
  await batch(ns, [
    ...cust6.map((a) => `addr add ${a} dev cust nodad`),
    `addr add ${n === 1 ? "192.0.2.1" : "198.51.100.1"}/24 dev cust`,
    `addr add 10.255.${n}.1/30 dev uplink`,
    `addr add 2001:db8:e${n}::1/64 dev uplink nodad`,
    "link set cust up",
    "link set uplink up",
    "link set lo up",
    `route add default via 10.255.${n}.2`,
    `-6 route add default via 2001:db8:e${n}::2 dev uplink`,
    `-6 route add ${prefix} via ${back6} dev cust`,
  ]);
  await run(netns(ns), "nft", ["-f", "-"], {
    input: `table ip6 bcp38 {\n chain forward { type filter hook forward priority 0; policy accept;\n  iifname "cust" ip6 saddr ${prefix} accept\n  iifname "cust" drop\n }\n}\n`,
  });
}

export async function buildDualStack(): Promise<void> {
  await destroyDualStack();
  const { gw, isp1, isp2, net, h1, h2 } = NS;
  await batch(
    null,
    Object.values(NS).map((n) => `netns add ${n}`),
  );
  // before any interface exists: new ones take "default" (no DAD wait, IPv6 on)
  for (const ns of Object.values(NS))
    await sysctl(ns, { [confSysctl(6, "all", "accept_dad")]: 0, [confSysctl(6, "default", "accept_dad")]: 0, [confSysctl(6, "default", "disable_ipv6")]: 0 });
  // Debian's stock sysctls (systemd's 50-default.conf), forwarding on for both families
  await sysctl(gw, {
    [forwardingSysctl(4)]: 1,
    [forwardingSysctl(6)]: 1,
    [confSysctl(4, "all", "rp_filter")]: 0,
    [confSysctl(4, "default", "rp_filter")]: 2,
    [confSysctl(4, "all", "src_valid_mark")]: 0,
  });
  for (const ns of [isp1, isp2])
    await sysctl(ns, {
      [forwardingSysctl(4)]: 1,
      [forwardingSysctl(6)]: 1,
      [confSysctl(4, "all", "rp_filter")]: 1,
      [confSysctl(4, "default", "rp_filter")]: 1,
    });
  await batch(null, [
    `link add eno1 netns ${gw} type veth peer name cust netns ${isp1}`,
    `link add wwan0 netns ${gw} type veth peer name cust netns ${isp2}`,
    `link add uplink netns ${isp1} type veth peer name isp1 netns ${net}`,
    `link add uplink netns ${isp2} type veth peer name isp2 netns ${net}`,
    `link add lan1 netns ${gw} type veth peer name eth0 netns ${h1}`,
    `link add lan2 netns ${gw} type veth peer name eth0 netns ${h2}`,
  ]);
  await batch(gw, [
    "link add br-lan type bridge",
    "addr add 10.77.0.1/24 dev br-lan",
    `addr add ${LAN6.a}1/64 dev br-lan nodad`,
    `addr add ${LAN6.b}1/64 dev br-lan nodad`,
    "link set br-lan up",
    "link set lan1 master br-lan",
    "link set lan2 master br-lan",
    "link set lan1 up",
    "link set lan2 up",
    "addr add 192.0.2.2/24 dev eno1",
    "addr add fe80::2/64 dev eno1 nodad",
    "addr add 198.51.100.2/24 dev wwan0",
    "addr add 2001:db8:f2::2/64 dev wwan0 nodad",
    "link set eno1 up",
    "link set wwan0 up",
    "link set lo up",
    // what the DHCP client left for IPv4, and what netifd leaves for IPv6: no plain default,
    // a default per delegated prefix, and an unreachable route for each prefix
    "route add default via 192.0.2.1 dev eno1 proto dhcp",
    `-6 route add default from ${PREFIX.a} via fe80::1 dev eno1 proto static metric 512`,
    `-6 route add default from ${PREFIX.b} via 2001:db8:f2::1 dev wwan0 proto static metric 512`,
    `-6 route add unreachable ${PREFIX.a} dev lo proto static metric 2147483647`,
    `-6 route add unreachable ${PREFIX.b} dev lo proto static metric 2147483647`,
  ]);
  await sysctl(gw, Object.fromEntries(["eno1", "wwan0", "br-lan", "lan1", "lan2", "lo"].map((d) => [confSysctl(4, d, "rp_filter"), 2])));
  await buildIsp(isp1, 1, PREFIX.a, ["fe80::1/64"], "fe80::2");
  await buildIsp(isp2, 2, PREFIX.b, ["2001:db8:f2::1/64"], "2001:db8:f2::2");
  await batch(net, [
    "link set lo up",
    `addr add ${SERVER.v4}/32 dev lo`,
    `addr add ${SERVER.v6}/128 dev lo nodad`,
    "addr add 10.255.1.2/30 dev isp1",
    "addr add 10.255.2.2/30 dev isp2",
    "addr add 2001:db8:e1::2/64 dev isp1 nodad",
    "addr add 2001:db8:e2::2/64 dev isp2 nodad",
    "link set isp1 up",
    "link set isp2 up",
    "route add 192.0.2.0/24 via 10.255.1.1",
    "route add 198.51.100.0/24 via 10.255.2.1",
    `-6 route add ${PREFIX.a} via 2001:db8:e1::1`,
    `-6 route add ${PREFIX.b} via 2001:db8:e2::1`,
    "-6 route add 2001:db8:f2::/64 via 2001:db8:e2::1",
    // the LAN's private IPv4 is not routed back: a packet that leaves un-NATed gets no answer
  ]);
  for (const h of ["h1", "h2"] as const)
    await batch(NS[h], [
      `link set eth0 address ${HOSTS[h].mac}`,
      `addr add ${HOSTS[h].v4}/24 dev eth0`,
      `addr add ${addr6(h, "a")}/64 dev eth0 nodad`,
      `addr add ${addr6(h, "b")}/64 dev eth0 nodad`,
      "link set eth0 up",
      "link set lo up",
      "route add default via 10.77.0.1",
      `-6 route add default via ${LAN6.a}1 dev eth0`,
    ]);
  server = spawnDetached(netns(net), "node", [serverScript, "--address", "::", "--port", String(SERVER.port), "--sink-port", String(SERVER.port + 1)]);
  for (let i = 0; i < 100; i++) {
    const r = await run(netns(net), "nc", ["-n", "-z", "-w", "1", SERVER.v6, String(SERVER.port)], { allowFailure: true });
    if (r.exitCode === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the dual-stack echo server did not start");
}

/**
 * A TCP connection from a host (or "gw") to the server, IPv4 or IPv6, from a given source
 * address (absent: the kernel's choice): the address the server saw, or null.
 */
export async function connect(from: HostName | "gw", family: 4 | 6, source?: string, timeoutSecs = 2): Promise<string | null> {
  const r = await run(
    netns(NS[from]),
    "nc",
    ["-n", ...(source ? ["-s", source] : []), "-w", String(timeoutSecs), family === 4 ? SERVER.v4 : SERVER.v6, String(SERVER.port)],
    { allowFailure: true, timeoutMs: (timeoutSecs + 3) * 1000 },
  );
  const seen = r.stdout.trim();
  return r.exitCode === 0 && seen ? seen : null;
}

/** A privacy-style address the host takes after the apply (as SLAAC's temporary addresses come and go). */
export async function addAddress(h: HostName, address: string) {
  await run(HOST, "ip", ["-n", NS[h], "addr", "add", `${address}/64`, "dev", "eth0", "nodad"]);
}

/** The gateway's state a failure report needs: IPv6 rules, all IPv6 routes, the nftables ruleset. */
export async function kernelState6(): Promise<string> {
  const t = netns(NS.gw);
  const [rules, routes, nft] = await Promise.all([
    run(t, "ip", ["-6", "rule", "show"]),
    run(t, "ip", ["-6", "route", "show", "table", "all"]),
    run(t, "nft", ["list", "ruleset"], { allowFailure: true }),
  ]);
  return `ip -6 rule:\n${rules.stdout}\nip -6 route show table all:\n${routes.stdout}\nnft list ruleset:\n${nft.stdout}`;
}

/**
 * For adopt: the former admin's IPv4 policy routing beside netifd's IPv6 (tables 11 and 12
 * with their defaults, desk sent to LTE by a source rule, MASQUERADE on both WANs). IPv6 is
 * left as netifd made it: source-specific defaults in main, an unreachable route per prefix.
 */
export async function addOldIpv4Routing(): Promise<void> {
  await batch(NS.gw, [
    "route add default via 192.0.2.1 dev eno1 table 11",
    "route add default via 198.51.100.1 dev wwan0 table 12",
    `rule add from ${HOSTS.h1.v4} lookup 12 priority 1000`,
  ]);
  for (const wan of ["eno1", "wwan0"]) await run(netns(NS.gw), "iptables", ["-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE"]);
}
