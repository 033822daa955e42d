// For tests and benchmarks (tests/kernel/canary.test.ts, stock-sysctls.test.ts, scripts/bench-canary.ts).
// A gateway Switchyard did not build, made by hand the way an admin's box looks: other names
// and numbers than the lab (br-lan, enp1s0, wwan0, tables 7 and 9, marks 3 and 5), the
// distribution's sysctls (systemd on Debian/Ubuntu: rp_filter=2 per interface, src_valid_mark=0)
// or strict ones, bridge-nf left at the kernel's default, and foreign objects (a WireGuard-style
// fwmark rule, an nftables filter table). Each ISP is a router namespace that answers ping on
// its own address and forwards to an "internet" namespace holding two targets (192.0.2.10 runs
// the echo server: it answers each TCP connection with the address it sees). The routers
// validate sources (rp_filter=1), so a wrong SNAT fails. Everything lives in namespaces named
// <prefix>-*; nothing is sent anywhere else.
// Options for the take over tests (off by default): a second source subnet behind a tunnel
// (10.8.0.0/24 through "tun0", its host 10.8.0.10 in <prefix>-tun), and the former admin's
// multi-ISP commands (tables 7 and 9, fwmark rules, NAT without a source match).
import type { GatewayConfig } from "@/lib/model";
import { serverScript } from "@/lib/lab/server";
import { HOST, netns, run, spawnDetached } from "@/lib/net/exec";
import { confSysctl, forwardingSysctl } from "@/lib/net/family";

export const TARGETS = ["192.0.2.10", "192.0.2.20"];
export const ECHO = { address: "192.0.2.10", port: 7777 };

export interface Handmade {
  gw: string;
  ns: (role: "gw" | "ra" | "rb" | "net" | "h1" | "h2" | "h3" | "tun") => string;
  config: GatewayConfig;
  /** a TCP connection from a LAN host (h3: the guest network's, with opts.guest; tun: the tunnel's host, with opts.tunnel) to the echo server: the address it was seen as, or null */
  connect: (host: "h1" | "h2" | "h3" | "tun", timeoutSecs?: number) => Promise<string | null>;
  /** the ISP's upstream dies; its router still answers ping */
  upstream: (router: "ra" | "rb", up: boolean) => Promise<void>;
  destroy: () => Promise<void>;
}

export interface HandmadeOptions {
  /** "stock": all=0, each interface 2 (systemd's 50-default.conf); "strict": all=1 */
  rpFilter: "stock" | "strict";
  srcValidMark: 0 | 1;
  /** a guest network on a bridge of its own: br-guest 10.30.0.1/24 with host h3 (10.30.0.50); not in handmadeConfig */
  guest?: boolean;
  /** a site-to-site tunnel's subnet routed through the gateway: 10.8.0.0/24 via tun0 (host 10.8.0.10) */
  tunnel?: boolean;
  /** the former admin's setup: `-o enp1s0 -j SNAT --to-source 203.0.113.2` (iptables) or the same as a native nftables `snat to` ("nft") */
  oldAdmin?: "iptables" | "nft";
}

export const TUNNEL = { subnet: "10.8.0.0/24", host: "10.8.0.10" };

/** The former admin's commands: each ISP's table and mark rule, and NAT by outgoing interface only. */
export function oldAdminScript(kind: "iptables" | "nft"): { ip: string[]; iptables: string[][]; nft: string } {
  const ip = [
    "route add 203.0.113.0/24 dev enp1s0 table 7",
    "route add default via 203.0.113.1 dev enp1s0 table 7",
    "route add 198.51.100.0/24 dev wwan0 table 9",
    "route add default via 198.51.100.1 dev wwan0 table 9",
    "rule add fwmark 3 lookup 7 priority 3000",
    "rule add fwmark 5 lookup 9 priority 3001",
  ];
  // the phone on LTE by a mark, as the marks of the classic setup do
  const mark = ["-t", "mangle", "-A", "PREROUTING", "-i", "br-lan", "-s", "10.20.0.60", "-j", "MARK", "--set-mark", "5"];
  if (kind === "nft") {
    return {
      ip,
      iptables: [mark],
      nft: 'table ip nat {\n chain postrouting { type nat hook postrouting priority 100; oifname "enp1s0" snat to 203.0.113.2\n oifname "wwan0" masquerade\n }\n}\n',
    };
  }
  return {
    ip,
    nft: "",
    iptables: [
      mark,
      ["-t", "nat", "-A", "POSTROUTING", "-o", "enp1s0", "-j", "SNAT", "--to-source", "203.0.113.2"],
      ["-t", "nat", "-A", "POSTROUTING", "-o", "wwan0", "-j", "MASQUERADE"],
    ],
  };
}

/** The guest network of `guest: true`, as a LAN of the configuration. */
export const GUEST_LAN = { name: "guest", interface: "br-guest", subnets: ["10.30.0.1/24"] };
export const GUEST_HOST = "10.30.0.50";

export const handmadeConfig: GatewayConfig = {
  settings: { lanInterface: "br-lan", lanSubnets: ["10.20.0.1/24"], defaultIsp: "Fiber" },
  isps: [
    {
      name: "Fiber",
      wanInterface: "enp1s0",
      gatewayAddress: "203.0.113.1",
      linkAddress: "203.0.113.2",
      linkPrefix: 24,
      routingTable: 7,
      mark: 3,
      enabled: true,
      natMode: "SNAT",
    },
    {
      name: "LTE",
      wanInterface: "wwan0",
      gatewayAddress: "198.51.100.1",
      linkAddress: "198.51.100.2",
      linkPrefix: 24,
      routingTable: 9,
      mark: 5,
      enabled: true,
      natMode: "MASQUERADE",
    },
  ],
  natAddresses: [{ address: "203.0.113.2", isp: "Fiber", isDefault: true, host: null }],
  hosts: [
    { name: "desk", address: "10.20.0.50", mac: null, isp: "Fiber", notes: "" },
    { name: "phone", address: "10.20.0.60", mac: null, isp: "LTE", notes: "" },
  ],
};

const batch = (ns: string | null, lines: string[]) => run(HOST, "ip", [...(ns ? ["-n", ns] : []), "-batch", "-"], { input: `${lines.join("\n")}\n` });

export async function buildHandmade(prefix: string, opts: HandmadeOptions): Promise<Handmade> {
  const ns = (role: string) => `${prefix}-${role}`;
  const all = ["gw", "ra", "rb", "net", "h1", "h2", ...(opts.guest ? ["h3"] : []), ...(opts.tunnel ? ["tun"] : [])].map(ns);
  let server = -1;
  const destroy = async () => {
    // a process outlives its namespace: the echo server goes first
    if (server > 1) {
      try {
        process.kill(server, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await run(HOST, "ip", ["-force", "-batch", "-"], { input: `${all.map((n) => `netns del ${n}`).join("\n")}\n`, allowFailure: true });
    await run(HOST, "ip", ["netns", "del", `${ns("gw")}-canary`], { allowFailure: true });
  };
  await destroy();
  const [gw, ra, rb, net, h1, h2] = all;
  const tun = opts.tunnel ? ns("tun") : undefined;
  await batch(null, [
    ...all.map((n) => `netns add ${n}`),
    `link add enp1s0 netns ${gw} type veth peer name wan netns ${ra}`,
    `link add wwan0 netns ${gw} type veth peer name wan netns ${rb}`,
    `link add uplink netns ${ra} type veth peer name ra netns ${net}`,
    `link add uplink netns ${rb} type veth peer name rb netns ${net}`,
    `link add port-h1 netns ${gw} type veth peer name eth0 netns ${h1}`,
    `link add port-h2 netns ${gw} type veth peer name eth0 netns ${h2}`,
    ...(tun ? [`link add tun0 netns ${gw} type veth peer name eth0 netns ${tun}`] : []),
  ]);
  // sysctls before addresses: new interfaces take "default"
  const rp = opts.rpFilter === "stock" ? { all: 0, each: 2 } : { all: 1, each: 1 };
  await run(netns(gw), "sysctl", [
    "-q",
    "-w",
    `${forwardingSysctl(4)}=1`,
    `${confSysctl(4, "all", "rp_filter")}=${rp.all}`,
    `${confSysctl(4, "default", "rp_filter")}=${rp.each}`,
    `${confSysctl(4, "all", "src_valid_mark")}=${opts.srcValidMark}`,
    ...["enp1s0", "wwan0", "port-h1", "port-h2", "lo"].map((d) => `${confSysctl(4, d, "rp_filter")}=${rp.each}`),
  ]);
  for (const r of [ra, rb])
    await run(netns(r), "sysctl", [
      "-q",
      "-w",
      `${forwardingSysctl(4)}=1`,
      `${confSysctl(4, "all", "rp_filter")}=1`,
      `${confSysctl(4, "default", "rp_filter")}=1`,
      `${confSysctl(4, "wan", "rp_filter")}=1`,
      `${confSysctl(4, "uplink", "rp_filter")}=1`,
    ]);
  await batch(gw, [
    "link add br-lan type bridge",
    "addr add 10.20.0.1/24 dev br-lan",
    "link set br-lan up",
    "link set port-h1 master br-lan",
    "link set port-h2 master br-lan",
    "link set port-h1 up",
    "link set port-h2 up",
    "addr add 203.0.113.2/24 dev enp1s0",
    "addr add 198.51.100.2/24 dev wwan0",
    "link set enp1s0 up",
    "link set wwan0 up",
    "link set lo up",
    // what the DHCP client left: main's default via the fiber
    "route add default via 203.0.113.1 dev enp1s0 proto dhcp",
    // foreign: a WireGuard-style rule (its table empty: the lookup falls through)
    "rule add priority 5000 fwmark 0x10000/0x10000 lookup 51820",
  ]);
  await run(netns(gw), "sysctl", ["-q", "-w", `${confSysctl(4, "br-lan", "rp_filter")}=${rp.each}`]);
  if (opts.guest) {
    const h3 = ns("h3");
    await batch(null, [`link add port-h3 netns ${gw} type veth peer name eth0 netns ${h3}`]);
    await batch(gw, [
      "link add br-guest type bridge",
      "addr add 10.30.0.1/24 dev br-guest",
      "link set br-guest up",
      "link set port-h3 master br-guest",
      "link set port-h3 up",
    ]);
    await run(netns(gw), "sysctl", ["-q", "-w", `${confSysctl(4, "br-guest", "rp_filter")}=${rp.each}`, `${confSysctl(4, "port-h3", "rp_filter")}=${rp.each}`]);
    await batch(h3, [`addr add ${GUEST_HOST}/24 dev eth0`, "link set eth0 up", "link set lo up", "route add default via 10.30.0.1"]);
  }
  if (tun) {
    // a veth stands in for the tunnel (no wireguard module here); its far end is the other site
    await batch(gw, ["addr add 10.9.0.1/30 dev tun0", "link set tun0 up", `route add ${TUNNEL.subnet} via 10.9.0.2 dev tun0`]);
    await batch(tun, [
      "link set lo up",
      `addr add ${TUNNEL.host}/32 dev lo`,
      "addr add 10.9.0.2/30 dev eth0",
      "link set eth0 up",
      "route add default via 10.9.0.1",
    ]);
  }
  if (opts.oldAdmin) {
    const old = oldAdminScript(opts.oldAdmin);
    await batch(gw, old.ip);
    for (const args of old.iptables) await run(netns(gw), "iptables", args);
    if (old.nft) await run(netns(gw), "nft", ["-f", "-"], { input: old.nft });
  }
  await run(netns(gw), "nft", ["-f", "-"], {
    input: "table inet filter {\n chain forward { type filter hook forward priority 0; policy accept; ct state established,related accept; }\n}\n",
  });
  await batch(ra, [
    "addr add 203.0.113.1/24 dev wan",
    "addr add 10.255.1.1/30 dev uplink",
    "link set wan up",
    "link set uplink up",
    "link set lo up",
    "route add default via 10.255.1.2",
  ]);
  await batch(rb, [
    "addr add 198.51.100.1/24 dev wan",
    "addr add 10.255.2.1/30 dev uplink",
    "link set wan up",
    "link set uplink up",
    "link set lo up",
    "route add default via 10.255.2.2",
  ]);
  await batch(net, [
    "link set lo up",
    ...TARGETS.map((t) => `addr add ${t}/32 dev lo`),
    "addr add 10.255.1.2/30 dev ra",
    "addr add 10.255.2.2/30 dev rb",
    "link set ra up",
    "link set rb up",
    "route add 203.0.113.0/24 via 10.255.1.1",
    "route add 198.51.100.0/24 via 10.255.2.1",
    // the LANs' private addresses are not routed back: a packet that leaves un-NATed gets no answer
  ]);
  for (const [h, a] of [
    [h1, "10.20.0.50"],
    [h2, "10.20.0.60"],
  ])
    await batch(h, [`addr add ${a}/24 dev eth0`, "link set eth0 up", "link set lo up", "route add default via 10.20.0.1"]);
  server = spawnDetached(netns(net), "node", [serverScript, "--address", ECHO.address, "--port", String(ECHO.port), "--sink-port", "7778"]);
  // the server listens within a moment; wait for it from the internet side
  for (let i = 0; i < 100; i++) {
    const r = await run(netns(net), "nc", ["-n", "-z", "-w", "1", ECHO.address, String(ECHO.port)], { allowFailure: true });
    if (r.exitCode === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    gw,
    ns: (role) => ns(role),
    config: handmadeConfig,
    destroy,
    async connect(host, timeoutSecs = 2) {
      const from = host === "tun" ? ["-s", TUNNEL.host] : [];
      const r = await run(netns(ns(host)), "nc", ["-n", ...from, "-w", String(timeoutSecs), ECHO.address, String(ECHO.port)], {
        allowFailure: true,
        timeoutMs: (timeoutSecs + 3) * 1000,
      });
      const seen = r.stdout.trim();
      return r.exitCode === 0 && /^\d+\.\d+\.\d+\.\d+$/.test(seen) ? seen : null;
    },
    async upstream(router, upNow) {
      // the router keeps answering on its own address; only forwarding through it dies
      if (upNow) await run(netns(ns(router)), "nft", ["delete", "table", "inet", "sylab-cut"], { allowFailure: true });
      else
        await run(netns(ns(router)), "nft", ["-f", "-"], {
          input: "table inet sylab-cut { chain cut { type filter hook forward priority 0; policy drop; }\n}\n",
        });
    },
  };
}
