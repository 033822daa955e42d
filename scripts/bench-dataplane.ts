// npm run bench:dataplane [-- --runs 3] [-- --seconds 5] [-- --hosts 1000] [-- --ipv6] [-- --json]
//
// What Switchyard's ruleset costs the traffic it routes: TCP throughput (iperf3) from a LAN
// host through the lab gateway to a server in the lab's internet namespace, in one run for:
//   none      the gateway with plain routing and NAT: the main table's default route via the
//             test host's ISP and one MASQUERADE rule per WAN (iptables), no Switchyard;
//   iptables  Switchyard applied for N hosts with the iptables backend;
//   nftables  the same with the nftables backend (skipped, saying so, where it does not apply).
// A Switchyard case is just its config value (settings.firewall); each case has its own lab
// (namespaces tdp<case>-*, built side by side) so the runs can be interleaved round by round
// and the machine's drift (2 shared cores) falls on every case alike.
// The test host is the last of the N hosts (its rule is the last of the iptables host list);
// only it has a namespace, the other hosts exist in the gateway's rules.
// Every case is measured twice: with the veth defaults (GSO/TSO/GRO on: a packet through the
// gateway is up to 64 KiB, so per-packet costs hide) and with those offloads off on the
// gateway's interfaces and the test host's, so every packet netfilter sees is MTU-sized. The
// sender's too: a veth hands its super-packets to the gateway as they are, and a gateway WAN
// without TSO cuts them only after netfilter (measured: the gateway's off alone changes nothing).
// The lab and one iperf3 run: scripts/dataplane-lab.ts. This prints figures; it is not a test.
// --ipv6: the same over IPv6 with the dual-stack bench config (every host by MAC); Switchyard's
// test host sends from the other ISP's /64, so its packets take the prefix translation too.
// All traffic stays inside the lab's namespaces.
import os from "node:os";
import { labDown } from "@/lib/lab/lab";
import { HOST, run } from "@/lib/net/exec";
import { dataplaneBench, hostEntry, iperf, setOffloads, setUpCase, type CaseId, type CaseState, type DataplaneCase, type Sample } from "./dataplane-lab";

// ---------- arguments ----------
const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const positive = (name: string, fallback: number) => {
  const v = Number(option(name) ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} needs a positive integer`);
  return v;
};
const RUNS = positive("runs", 3);
const SECONDS = positive("seconds", 5);
const HOSTS = positive("hosts", 1000);
const JSON_OUT = process.argv.includes("--json");
const FAMILY = process.argv.includes("--ipv6") ? 6 : 4;
const GOAL = 0.95;
const log = (m: string) => process.stderr.write(`${m}\n`);

// ---------- the cases ----------
const CASES: DataplaneCase[] = [
  { id: "none", prefix: "tdpnone" },
  ...(FAMILY === 6 ? [{ id: "conntrack" as const, prefix: "tdpct" }] : []),
  { id: "iptables", prefix: "tdpipt", firewall: "iptables" },
  { id: "nftables", prefix: "tdpnft", firewall: "nftables" },
];
const bench = dataplaneBench(HOSTS, FAMILY);
const { testHost, testIsp, expectedSource } = bench;

// ---------- the figures ----------
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
interface CaseResult {
  case: CaseId;
  samples: Sample[];
  medianMbps: number;
  minMbps: number;
  maxMbps: number;
  /** median of this case / median of no rules */
  ratio: number;
}
interface ModeResult {
  offloads: "on" | "off";
  results: CaseResult[];
}

async function measureMode(states: CaseState[], on: boolean): Promise<ModeResult> {
  const mode = on ? "on" : "off";
  for (const s of states) await setOffloads(bench, s.prefix, on);
  // warm-up, not recorded: ARP, the first connection's conntrack/NAT entries, caches
  for (const s of states) await iperf(bench, s, 1);
  const samples = new Map<CaseId, Sample[]>(states.map((s) => [s.id, []]));
  for (let r = 0; r < RUNS; r++) {
    // each round in another order: no case always runs first after a pause
    const order = states.map((_, i) => states[(i + r) % states.length]);
    for (const s of order) {
      const x = await iperf(bench, s, SECONDS);
      samples.get(s.id)!.push(x);
      log(
        `  offloads ${mode}, run ${r + 1}/${RUNS}, ${s.id}: ${x.mbps.toFixed(0)} Mbit/s, ${x.retransmits} retransmits, ${x.gatewayPacketBytes} bytes/packet into the gateway`,
      );
    }
  }
  const base = median(samples.get("none")!.map((x) => x.mbps));
  return {
    offloads: mode,
    results: states.map((s) => {
      const xs = samples.get(s.id)!;
      const mbps = xs.map((x) => x.mbps);
      return { case: s.id, samples: xs, medianMbps: median(mbps), minMbps: Math.min(...mbps), maxMbps: Math.max(...mbps), ratio: median(mbps) / base };
    }),
  };
}

function table(m: ModeResult, states: CaseState[]): string {
  const title =
    m.offloads === "on" ? "Offloads on (the veth defaults: GSO/TSO/GRO on)" : "Offloads off (GSO/TSO/GRO off on the gateway's interfaces and the sender's)";
  const rows = m.results.map((r) => {
    const s = states.find((x) => x.id === r.case)!;
    const bytes = median(r.samples.map((x) => x.gatewayPacketBytes));
    const retr = median(r.samples.map((x) => x.retransmits));
    return `| ${s.label} | ${r.medianMbps.toFixed(0)} | ${r.minMbps.toFixed(0)}-${r.maxMbps.toFixed(0)} | ${r.ratio.toFixed(3)} | ${retr} | ${bytes} |`;
  });
  const skipped =
    states.length < CASES.length
      ? CASES.filter((c) => !states.some((s) => s.id === c.id)).map((c) => `| Switchyard, ${HOSTS} hosts, ${c.id}: backend not available | - | - | - | - | - |`)
      : [];
  return [
    title,
    "",
    "| case | Mbit/s (median) | min-max | ratio to no rules | retransmits (median) | bytes/packet into the gateway |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows,
    ...skipped,
  ].join("\n");
}

function verdicts(modes: ModeResult[]): string[] {
  return modes.flatMap((m) =>
    m.results
      .filter((r) => r.case !== "none" && r.case !== "conntrack")
      .map(
        (r) =>
          `Goal "ratio ${GOAL} or better at ${HOSTS} hosts", ${r.case}, offloads ${m.offloads}: ${r.ratio >= GOAL ? "MET" : "NOT MET"} (${r.ratio.toFixed(3)})`,
      ),
  );
}

// ---------- main ----------
const all: CaseState[] = [];
let cleaning: Promise<unknown> | undefined;
let interrupted = false;
const cleanup = () =>
  (cleaning ??= (async () => {
    for (const s of all) s.stopping = true;
    for (const s of all) await s.server?.stop().catch(() => {});
    for (const c of CASES) await labDown(c.prefix).catch((e: Error) => log(`cleanup of ${c.prefix}-* failed: ${e.message}`));
  })());
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    interrupted = true;
    log(`\n${sig}: stopping the iperf3 servers, removing the tdp*-* namespaces`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  const started = performance.now();
  log(
    `bench:dataplane: IPv${FAMILY}, ${RUNS} x ${SECONDS} s per case and offload setting, ${HOSTS} hosts, test host ${testHost.name} (${testHost.address}, ${testHost.isp})`,
  );
  for (const c of CASES) all.push(await setUpCase(bench, c, log));
  const states = all.filter((s) => s.available);
  const modes = [await measureMode(states, true), await measureMode(states, false)];
  // the host's entry again: the runs' connections each matched it once (connmark does the rest)
  for (const s of states) if (s.firewall) s.hostEntry = await hostEntry(bench, s);
  const version = async (bin: "iptables" | "nft", arg: string) => (await run(HOST, bin, [arg], { allowFailure: true })).stdout.trim();
  const meta = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    kernel: os.release(),
    node: process.version,
    iptables: await version("iptables", "-V"),
    nft: await version("nft", "-v"),
    runs: RUNS,
    seconds: SECONDS,
    hosts: HOSTS,
    family: FAMILY,
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
    testHost: { ...testHost, serverSawAs: expectedSource },
  };
  const cases = all.map(({ id, label, available, reason, hostEntry: entry }) => ({ id, label, available, reason, hostEntry: entry }));
  if (JSON_OUT) {
    console.log(JSON.stringify({ meta, cases, modes }, null, 2));
    return;
  }
  console.log(
    `\nDataplane benchmark, IPv${FAMILY} (iperf3, one TCP stream, LAN host -> gateway -> ${testIsp.name} -> internet namespace) — ${meta.date.slice(0, 10)}, ${meta.cpus} cores, kernel ${meta.kernel}`,
  );
  console.log(`${meta.iptables}, ${meta.nft}; median of ${RUNS} runs of ${SECONDS} s (first second omitted) per case, interleaved`);
  console.log(`test host ${testHost.name} ${testHost.address}, the last of ${HOSTS}; the server saw it as ${expectedSource} in every run\n`);
  for (const m of modes) console.log(`${table(m, states)}\n`);
  for (const s of all) {
    if (!s.available) console.log(`${s.firewall} backend not available: ${s.reason}`);
    else if (s.hostEntry)
      console.log(
        `${s.id}: the test host's entry is ${s.hostEntry.position}; it matched ${s.hostEntry.packets} packets (${FAMILY === 6 ? "its new connections and its neighbour discovery" : "one per new connection"}: the connection mark carries the rest)`,
      );
    else if (s.firewall) console.log(`${s.id}: the test host's entry was not found`);
  }
  console.log("");
  for (const v of verdicts(modes)) console.log(v);
  console.log(`\n(${meta.wallSeconds} s wall time; the machine is shared: compare ratios within one run, not Mbit/s across runs)`);
}

main()
  .then(() => cleanup())
  .then(
    () => process.exit(0),
    (e) => {
      if (!interrupted) log(e instanceof Error ? (e.stack ?? e.message) : String(e));
      return cleanup().finally(() => process.exit(1));
    },
  )
  .catch(() => process.exit(1));
