// The gateway a former admin set up by hand, built in namespaces (prefix "ha") by running
// exactly the commands of the classic "more complete example for a multi-ISP router":
// two ISPs on eth0/eth1, tables 100 ISP1 and 200 ISP2 (named in rt_tables), `from` rules for
// the ISP addresses, `fwmark 1/2` rules, mangle marks for 192.168.1.100/.101 on lan0, SNAT to
// 203.0.113.10 and 198.51.100.10, main's default via ISP1. Plus one foreign object that is not
// part of it: a WireGuard-style rule and table (51820, dev wg0).
// Variants: "rules" (per-host `ip rule from HOST lookup T` at priorities 1000/1001 instead of
// marks), "port" (the marks plus a port-based mark no host model can express).
// rt_tables is machine-wide: the namespace gets its own through /etc/netns/ha-gw/iproute2,
// which `ip netns exec` / `ip -n` bind-mount over /etc/iproute2 (removed again by teardown).
import fs from "node:fs";
import { HOST, netns, run } from "@/lib/net/exec";
import { ensureServer, stopServer } from "@/lib/lab/server";
import { hostNamespace } from "@/lib/lab/topology";
import { sortedNftListing } from "./helpers";

export const P = "ha";
export const GW = `${P}-gw`;
export const INET = `${P}-inet`;
export const gw = netns(GW);
export const HOSTS = ["192.168.1.100", "192.168.1.101"];
export const ETC = `/etc/netns/${GW}`;

export type Variant = "marks" | "rules" | "port";

/** The admin's script, one command per line, as typed (tables by name once rt_tables has them). */
export function adminScript(variant: Variant): string[][] {
  const ip = (...a: string[]) => ["ip", ...a];
  const ipt = (...a: string[]) => ["iptables", ...a];
  const common = [
    ip("route", "add", "203.0.113.0/24", "dev", "eth0", "src", "203.0.113.10", "table", "ISP1"),
    ip("route", "add", "default", "via", "203.0.113.1", "table", "ISP1"),
    ip("route", "add", "198.51.100.0/24", "dev", "eth1", "src", "198.51.100.10", "table", "ISP2"),
    ip("route", "add", "default", "via", "198.51.100.1", "table", "ISP2"),
    ip("route", "add", "default", "via", "203.0.113.1"),
    ip("rule", "add", "from", "203.0.113.10", "table", "ISP1"),
    ip("rule", "add", "from", "198.51.100.10", "table", "ISP2"),
  ];
  const steer =
    variant === "rules"
      ? [
          ip("rule", "add", "from", "192.168.1.100", "table", "ISP1", "priority", "1000"),
          ip("rule", "add", "from", "192.168.1.101", "table", "ISP2", "priority", "1001"),
        ]
      : [
          ip("rule", "add", "fwmark", "1", "table", "ISP1"),
          ip("rule", "add", "fwmark", "2", "table", "ISP2"),
          ipt("-t", "mangle", "-A", "PREROUTING", "-i", "lan0", "-s", "192.168.1.100", "-j", "MARK", "--set-mark", "1"),
          ipt("-t", "mangle", "-A", "PREROUTING", "-i", "lan0", "-s", "192.168.1.101", "-j", "MARK", "--set-mark", "2"),
          ...(variant === "port"
            ? [ipt("-t", "mangle", "-A", "PREROUTING", "-i", "lan0", "-p", "tcp", "--dport", "443", "-j", "MARK", "--set-mark", "2")]
            : []),
        ];
  return [
    ...common,
    ...steer,
    ipt("-t", "nat", "-A", "POSTROUTING", "-o", "eth0", "-j", "SNAT", "--to-source", "203.0.113.10"),
    ipt("-t", "nat", "-A", "POSTROUTING", "-o", "eth1", "-j", "SNAT", "--to-source", "198.51.100.10"),
  ];
}

/** Not part of the multi-ISP setup: a tunnel's own table and the rule that uses it. */
export const WIREGUARD = [
  // no dummy or wireguard module on this kernel: a veth pair stands in for the tunnel device
  ["ip", "link", "add", "wg0", "type", "veth", "peer", "name", "wg0p"],
  ["ip", "addr", "add", "10.200.0.2/24", "dev", "wg0"],
  ["ip", "link", "set", "wg0", "up"],
  ["ip", "route", "add", "default", "dev", "wg0", "table", "51820"],
  ["ip", "rule", "add", "to", "10.200.0.0/16", "lookup", "51820", "priority", "900"],
];

const batch = (ns: string | null, lines: string[]) => run(HOST, "ip", [...(ns ? ["-n", ns] : []), "-batch", "-"], { input: `${lines.join("\n")}\n` });

async function runAs(cmd: string[]) {
  const [bin, ...args] = cmd;
  // `ip -n` switches the network namespace and bind-mounts /etc/netns/GW like `ip netns exec`
  if (bin === "ip") await run(HOST, "ip", ["-n", GW, ...args]);
  else await run(gw, "iptables", args);
}

export async function teardown() {
  await stopServer(P);
  for (const ns of [GW, INET, ...HOSTS.map((h) => hostNamespace(P, h))]) await run(HOST, "ip", ["netns", "del", ns], { allowFailure: true });
  fs.rmSync(ETC, { recursive: true, force: true });
}

export async function buildOldGateway(variant: Variant) {
  await teardown();
  fs.mkdirSync(`${ETC}/iproute2`, { recursive: true });
  // the admin's `echo "100 ISP1" >> /etc/iproute2/rt_tables` (and 200 ISP2), here private to the namespace
  fs.writeFileSync(`${ETC}/iproute2/rt_tables`, "255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n100 ISP1\n200 ISP2\n");
  await batch(
    null,
    [GW, INET, ...HOSTS.map((h) => hostNamespace(P, h))].map((n) => `netns add ${n}`),
  );
  await batch(null, [
    `link add eth0 netns ${GW} type veth peer name p0 netns ${INET}`,
    `link add eth1 netns ${GW} type veth peer name p1 netns ${INET}`,
    ...HOSTS.map((h, i) => `link add lh${i} netns ${GW} type veth peer name eth0 netns ${hostNamespace(P, h)}`),
  ]);
  // loose reverse-path filtering: the old setup has no connmark, so strict mode would drop ISP2's replies.
  // src_valid_mark=1: with 0, Switchyard's `from LAN iif lan0 unreachable` rule fails the loose
  // reverse-path check of every reply on this kernel (the precheck does not refuse that yet)
  await run(gw, "sysctl", [
    "-q",
    "-w",
    "net.ipv4.ip_forward=1",
    "net.ipv4.conf.all.rp_filter=2",
    "net.ipv4.conf.default.rp_filter=2",
    "net.ipv4.conf.eth0.rp_filter=2",
    "net.ipv4.conf.eth1.rp_filter=2",
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
    "link set eth0 up",
    "link set eth1 up",
  ]);
  await run(gw, "sysctl", ["-q", "-e", "-w", "net.bridge.bridge-nf-call-iptables=0"], { allowFailure: true });
  for (const cmd of [...adminScript(variant), ...WIREGUARD]) await runAs(cmd);
  await batch(INET, [
    "addr add 198.18.0.1/32 dev lo",
    "link set lo up",
    "addr add 203.0.113.1/24 dev p0",
    "addr add 198.51.100.1/24 dev p1",
    "link set p0 up",
    "link set p1 up",
  ]);
  for (const h of HOSTS) {
    await batch(hostNamespace(P, h), ["link set lo up", `addr add ${h}/24 dev eth0`, "link set eth0 up", "route add default via 192.168.1.1"]);
  }
  await ensureServer(P);
}

/**
 * Everything a user compares, byte for byte: all rules, all IPv4 routes, all iptables rules and
 * `nft list ruleset` (without counters; nft's chains in name order, see sortedNftListing). Nothing
 * is left out: an empty table or built-in chain that an apply's iptables-nft call made and its
 * rollback left behind is a difference.
 */
export async function wholeState(): Promise<string> {
  const [rules, routes, ipt, nft] = await Promise.all([
    run(gw, "ip", ["-N", "rule", "show"]),
    run(gw, "ip", ["-N", "-4", "route", "show", "table", "all"]),
    run(gw, "iptables-save", []),
    run(gw, "nft", ["-s", "list", "ruleset"]),
  ]);
  const save = ipt.stdout
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .join("\n")
    .replace(/\[\d+:\d+\]/g, "[]");
  return [rules.stdout, routes.stdout, save, sortedNftListing(nft.stdout)].join("\n----\n");
}
