// Capture parser fixtures from the real kernel: `npx tsx scripts/capture-fixtures.ts` (as root).
//
// Builds throwaway namespaces (fx-gw: the gateway, fx-peer: the other end of
// its veth links), sets up rules, routes and iptables as Switchyard would,
// pushes a few UDP packets through (inside fx-peer/fx-gw only) so counters
// are non-zero, and writes what `ip` and `iptables-save` print to
// tests/fixtures/kernel/. Every process goes through the executor. Namespaces
// and /etc/netns/fx-gw are removed at the end, also on failure.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { run, netns, HOST, type Target } from "../lib/net/exec";

const OUT = path.resolve(import.meta.dirname, "../tests/fixtures/kernel");
const GW = netns("fx-gw");
const PEER = netns("fx-peer");
const EMPTY = netns("fx-empty");
const NAMESPACES = ["fx-gw", "fx-peer", "fx-empty"];
// `ip netns exec NAME` bind-mounts /etc/netns/NAME/* over /etc/*: a private
// rt_tables / rt_protos.d for fx-gw only, without touching the host's files.
const NETNS_ETC = "/etc/netns/fx-gw";

const ip = (t: Target, ...args: string[]) => run(t, "ip", args);
const save = (name: string, text: string) => fs.writeFileSync(path.join(OUT, name), text);

const RULES = [
  "priority 10000 to 192.168.1.0/24 lookup main",
  "priority 10050 lookup main suppress_prefixlength 0",
  "priority 10100 fwmark 0x1/0xff lookup 100",
  "priority 10101 fwmark 0x2/0xff lookup 200",
  "priority 10200 from 203.0.113.10 lookup 100",
  "priority 10201 from 198.51.100.10/32 lookup 200",
  // foreign: Tailscale-like, and rules that have no table
  "priority 5210 fwmark 0x80000/0xff0000 lookup 52",
  "priority 5220 fwmark 0x40000/0xff0000 goto 32766",
  "priority 5230 from 10.0.0.0/8 iif eth1 unreachable",
  // `not` inverts the whole match, not just `from`; lookup 52 falls through when nothing matches
  "priority 5240 not from 10.0.0.0/8 lookup 52",
];

const ROUTES = [
  "203.0.113.0/24 dev eth0 scope link src 203.0.113.10 proto 201 table 100",
  "192.168.1.0/24 dev lan0 scope link proto 201 table 100",
  "default via 203.0.113.1 dev eth0 proto 201 table 100",
  "198.51.100.0/24 dev eth1 scope link src 198.51.100.10 proto 201 table 200",
  "192.168.1.0/24 dev lan0 scope link proto 201 table 200",
  "default via 198.51.100.1 dev eth1 proto 201 table 200",
  "default via 203.0.113.1 dev eth0 proto 201 metric 100",
  // foreign
  "10.20.0.0/16 via 192.168.1.254 dev lan0 proto static",
  "10.30.0.5 via 192.168.1.254 dev lan0 proto static metric 50 table 52",
  "blackhole 10.98.0.0/16 proto static",
  "unreachable 10.99.0.0/16 proto 201 table 200",
];

const IPTABLES = `*mangle
:SWYD-PRE - [0:0]
:SWYD-MARK - [0:0]
-A PREROUTING -j SWYD-PRE
-A SWYD-PRE -i eth0 -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x1/0xff
-A SWYD-PRE -i lan0 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-PRE -i lan0 -m mark ! --mark 0x0/0xff -j RETURN
-A SWYD-PRE -i lan0 -j SWYD-MARK
-A SWYD-PRE -i lan0 -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff
-A SWYD-MARK -s 192.168.1.100/32 -j MARK --set-xmark 0x1/0xff
-A SWYD-MARK -m mark --mark 0x0/0xff -j MARK --set-xmark 0x2/0xff
COMMIT
*nat
:SWYD-POST - [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A DOCKER -i docker0 -j RETURN
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A POSTROUTING -j SWYD-POST
-A SWYD-POST -s 192.168.1.100/32 -o eth0 -j SNAT --to-source 203.0.113.11
-A SWYD-POST -s 192.168.1.0/24 -o eth0 -j SNAT --to-source 203.0.113.10
-A SWYD-POST -s 192.168.1.0/24 -o eth1 -j MASQUERADE
COMMIT
`;

// Lines 3 and 4 fail in the kernel (EINVAL: a local address as source from
// another interface; EHOSTUNREACH: an unreachable route). The last line is a
// parse error, which ends `ip -batch` even with -force.
const ROUTE_GETS = [
  "route get 198.18.0.1 from 192.168.1.100 iif lan0 mark 1",
  "route get 198.18.0.1 from 192.168.1.100 iif lan0 mark 2",
  "route get 198.18.0.1 from 203.0.113.10 iif lan0 mark 1",
  "route get 10.99.1.1 from 192.168.1.100 iif lan0 mark 2",
  "route get 198.18.0.1 from 192.168.1.100 iif lan0",
  "route get 203.0.113.50 from 192.168.1.100 iif lan0 mark 1",
  "route get 198.18.0.1 mark 2",
  "route get 198.18.0.1 from 192.168.1.100 iif lan0 mark 0x101",
  "route get notanaddress",
  "route get 198.18.0.1 from 192.168.1.100 iif lan0 mark 1",
];

// Written forms -> what iptables-save prints (rule added alone to an empty chain).
const VARIANTS: { table: "mangle" | "nat"; args: string[] }[] = [
  ...[
    "-s 192.168.1.100 -j MARK --set-mark 0x1/0xff",
    "-s 192.168.1.100/255.255.255.255 -j MARK --set-xmark 0x1/0xff",
    "-s 192.168.1.5/24 -j RETURN",
    "-d 0.0.0.0/0 -j RETURN",
    "-j MARK --set-mark 1",
    "-j MARK --set-mark 0x1",
    "-j MARK --set-mark 0x100/0xff00",
    "-j MARK --and-mark 0xff",
    "-j MARK --or-mark 0x1",
    "-m mark --mark 1/255 -j RETURN",
    "-m mark --mark 0x1 -j RETURN",
    "-m mark ! --mark 0x0/0xff -j RETURN",
    "! -m mark --mark 0x0/0xff -j RETURN",
    "-m connmark --mark 0x1/0xff -j RETURN",
    "-j CONNMARK --set-mark 0x1/0xff",
    "-j CONNMARK --set-mark 1",
    "-j CONNMARK --restore-mark --mask 0xff",
    "-j CONNMARK --save-mark --mask 0xff",
    "-j CONNMARK --restore-mark",
    "-j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff",
    "-m conntrack --ctstate NEW,ESTABLISHED -j RETURN",
    "-m conntrack --ctstate ESTABLISHED,NEW -j RETURN",
    "-m state --state NEW -j RETURN",
    "-j RETURN -i lan0 -m conntrack --ctstate NEW",
    "-o eth0 -s 192.168.1.0/24 -j RETURN",
    "--in-interface lan0 --jump RETURN",
    "-i lan+ -j RETURN",
    "-p tcp --dport 80 -j RETURN",
    "-p udp -m multiport --dports 53,123 -j RETURN",
  ].map((s) => ({ table: "mangle" as const, args: s.split(" ") })),
  { table: "mangle", args: ["-m", "comment", "--comment", "swyd rule 1", "-j", "RETURN"] },
  { table: "mangle", args: ["-m", "comment", "--comment", "swyd", "-j", "RETURN"] },
  ...[
    "-s 192.168.1.100 -o eth0 -j SNAT --to 203.0.113.11",
    "-o eth0 -s 192.168.1.100/32 -j SNAT --to-source 203.0.113.11",
    "-j SNAT --to-source 203.0.113.10-203.0.113.11",
    "-s 192.168.1.0/24 -o eth1 -j MASQUERADE --random",
  ].map((s) => ({ table: "nat" as const, args: s.split(" ") })),
];

async function cleanup() {
  for (const name of NAMESPACES) await run(HOST, "ip", ["netns", "del", name], { allowFailure: true });
  fs.rmSync(NETNS_ETC, { recursive: true, force: true });
  // remove /etc/netns only if it is empty now (we may have created it)
  try {
    fs.rmdirSync("/etc/netns");
  } catch {
    // not empty, or already gone: leave it
  }
}

async function captureEmpty() {
  await ip(HOST, "netns", "add", "fx-empty");
  save("ip-rule-empty-ns.json", (await ip(EMPTY, "-json", "rule", "show")).stdout);
  save("ip-route-empty-ns.json", (await ip(EMPTY, "-4", "-json", "route", "show", "table", "all")).stdout);
  save("iptables-save-empty-ns.txt", (await run(EMPTY, "iptables-save", ["-c"])).stdout);
  await ip(HOST, "netns", "del", "fx-empty");
}

async function buildGateway() {
  await ip(HOST, "netns", "add", "fx-gw");
  await ip(HOST, "netns", "add", "fx-peer");
  for (const t of [GW, PEER]) await ip(t, "link", "set", "lo", "up");
  // dummy interfaces are not available in this kernel; veth pairs into fx-peer
  for (const dev of ["eth0", "eth1", "lan0"]) {
    await ip(GW, "link", "add", dev, "type", "veth", "peer", "name", `p-${dev}`, "netns", "fx-peer");
    await ip(GW, "link", "set", dev, "up");
    await ip(PEER, "link", "set", `p-${dev}`, "up");
  }
  for (const [dev, addr] of [
    ["eth0", "203.0.113.10/24"],
    ["eth0", "203.0.113.11/24"],
    ["eth1", "198.51.100.10/24"],
    ["lan0", "192.168.1.1/24"],
  ]) {
    await ip(GW, "addr", "add", addr, "dev", dev);
  }
  for (const [dev, addr] of [
    ["p-eth0", "203.0.113.1/24"],
    ["p-eth1", "198.51.100.1/24"],
    ["p-lan0", "192.168.1.100/24"],
    ["p-lan0", "192.168.1.101/24"],
  ]) {
    await ip(PEER, "addr", "add", addr, "dev", dev);
  }
  await ip(PEER, "route", "add", "default", "via", "192.168.1.1", "dev", "p-lan0");
  // without forwarding, every `route get ... iif X` answers "No route to host"
  await run(GW, "sysctl", ["-w", "net.ipv4.ip_forward=1"]);
  for (const r of RULES) await ip(GW, "rule", "add", ...r.split(" "));
  for (const r of ROUTES) await ip(GW, "route", "add", ...r.split(" "));
  await run(GW, "iptables-restore", ["--noflush"], { input: IPTABLES });
}

/** UDP from two LAN hosts to 198.18.0.1: forwarded by fx-gw to fx-peer, which drops it. */
async function sendTraffic() {
  const code = `
    const dgram = require("node:dgram");
    const send = (src, n) => new Promise((ok) => {
      const s = dgram.createSocket("udp4");
      s.bind(0, src, async () => {
        for (let i = 0; i < n; i++) await new Promise((r) => s.send("fixture", 9, "198.18.0.1", r));
        s.close(ok);
      });
    });
    send("192.168.1.100", 3).then(() => send("192.168.1.101", 2)).then(() => setTimeout(() => {}, 300));`;
  await run(PEER, "node", ["-e", code]);
}

async function captureGateway() {
  save("ip-rule.json", (await ip(GW, "-json", "rule", "show")).stdout);
  save("ip-route.json", (await ip(GW, "-4", "-json", "route", "show", "table", "all")).stdout);
  save("iptables-save.txt", (await run(GW, "iptables-save", ["-c"])).stdout);

  const input = ROUTE_GETS.join("\n") + "\n";
  for (const [suffix, flags] of [
    ["", ["-force"]],
    ["-noforce", []],
  ] as const) {
    const r = await run(GW, "ip", ["-json", ...flags, "-batch", "-"], { input, allowFailure: true });
    save(`route-get-batch${suffix}.stdout.txt`, r.stdout);
    save(`route-get-batch${suffix}.stderr.txt`, r.stderr);
  }
  save("route-get-batch.input.txt", input);
}

/** The same state again, with rt_tables / rt_protos.d names that only fx-gw sees. */
async function captureNamed() {
  fs.cpSync("/etc/iproute2", path.join(NETNS_ETC, "iproute2"), { recursive: true });
  const rtTables = fs.readFileSync("/etc/iproute2/rt_tables", "utf8") + "#\n# switchyard\n#\n100\tisp1\n0xc8\tisp2 # hex works too\n";
  fs.writeFileSync(path.join(NETNS_ETC, "iproute2/rt_tables"), rtTables);
  fs.mkdirSync(path.join(NETNS_ETC, "iproute2/rt_protos.d"), { recursive: true });
  fs.writeFileSync(path.join(NETNS_ETC, "iproute2/rt_protos.d/switchyard.conf"), "201\tswitchyard\n");
  save("rt_tables", rtTables);

  save("ip-rule-named.json", (await ip(GW, "-json", "rule", "show")).stdout);
  save("ip-route-named.json", (await ip(GW, "-4", "-json", "route", "show", "table", "all")).stdout);
  save("ip-rule-numeric.json", (await ip(GW, "-N", "-json", "rule", "show")).stdout);
  save("ip-route-numeric.json", (await ip(GW, "-N", "-4", "-json", "route", "show", "table", "all")).stdout);
  save("ip-rule-details.json", (await ip(GW, "-d", "-json", "rule", "show")).stdout);
  save("ip-route-details.json", (await ip(GW, "-d", "-4", "-json", "route", "show", "table", "all")).stdout);
  const gets = ROUTE_GETS.slice(0, 2).join("\n") + "\n";
  save("route-get-batch-named.stdout.txt", (await run(GW, "ip", ["-json", "-batch", "-"], { input: gets })).stdout);
}

async function captureVariants() {
  const out: { table: string; written: string; printed: string }[] = [];
  for (const table of ["mangle", "nat"]) await run(GW, "iptables", ["-t", table, "-N", "SWYD-VAR"]);
  for (const v of VARIANTS) {
    const written = v.args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(" ");
    const add = await run(GW, "iptables", ["-t", v.table, "-A", "SWYD-VAR", ...v.args], { allowFailure: true });
    if (add.exitCode !== 0) {
      out.push({ table: v.table, written, printed: `(rejected: ${add.stderr.trim().split("\n")[0]})` });
      continue;
    }
    const dump = (await run(GW, "iptables-save", ["-t", v.table])).stdout;
    const line = dump.split("\n").find((l) => l.startsWith("-A SWYD-VAR "));
    out.push({ table: v.table, written, printed: line?.slice("-A SWYD-VAR ".length) ?? "(not found)" });
    await run(GW, "iptables", ["-t", v.table, "-F", "SWYD-VAR"]);
  }
  save("iptables-variants.json", JSON.stringify(out, null, 2) + "\n");
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error("run as root");
  fs.mkdirSync(OUT, { recursive: true });
  await cleanup();
  try {
    await captureEmpty();
    await buildGateway();
    await sendTraffic();
    await captureGateway();
    await captureNamed();
    await captureVariants();
    const versions = {
      ip: (await ip(HOST, "-V")).stdout.trim(),
      iptables: (await run(HOST, "iptables", ["-V"])).stdout.trim(),
      kernel: os.release(),
    };
    save("VERSIONS.json", JSON.stringify(versions, null, 2) + "\n");
    console.log(`fixtures written to ${OUT}`);
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
