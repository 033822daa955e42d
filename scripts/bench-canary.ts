// npx tsx scripts/bench-canary.ts [--runs K] [--json]
//
// The canary's proof time per apply, on a hand-made gateway in namespaces "bcn-*" (all traffic
// stays there; lib/lab/handmade.ts): two ISPs, so three slots (default, Fiber, LTE), probe
// targets beyond each ISP's router. For each backend: K applies that change nothing, each
// verified with the canary; we take the canary's own duration (delete old flows, read the
// reverse-path counter, ping from every slot at once, read conntrack) and the processes it ran,
// and the same with one ISP's upstream dead (the failing slot also asks the gateway's own probe).
// Median and max. This prints figures; it is not a test.
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { onExec } from "@/lib/net/exec";
import { buildHandmade, TARGETS } from "@/lib/lab/handmade";
import type { FirewallBackend } from "@/lib/model";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] ?? 10) || 10;
const json = args.includes("--json");
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};

const rows: { backend: FirewallBackend; case: string; median: number; max: number; processes: number }[] = [];
for (const backend of ["nftables", "iptables"] as FirewallBackend[]) {
  const g = await buildHandmade("bcn", { rpFilter: "stock", srcValidMark: 0 });
  try {
    const config = { ...g.config, settings: { ...g.config.settings, canary: { enabled: true }, firewall: backend } };
    const managed = resolveTarget({ netns: g.gw });
    const targets = { Fiber: TARGETS, LTE: TARGETS };
    await applyAndVerify(config, managed, { canaryTargets: targets });
    for (const dead of [false, true]) {
      if (dead) await g.upstream("ra", false);
      const times: number[] = [];
      let processes = 0;
      for (let i = 0; i < runs; i++) {
        let n = 0;
        // the canary's own commands: its pings, its conntrack delete and listing, the drop counter
        const off = onExec((r) => {
          if (
            r.argv.some((a) => /\/(ping|conntrack|nstat)$/.test(a)) &&
            (r.argv.includes("icmp") || r.argv.some((a) => a.endsWith("nstat")) || r.argv.some((a) => a.endsWith("ping")))
          )
            n++;
        });
        const r = await applyAndVerify(config, managed, { canaryTargets: targets });
        off();
        const c = r.verification?.canary;
        if (!c?.available || c.proofs.some((p) => p.ok === dead && p.target === "Fiber")) throw new Error(`unexpected canary result: ${JSON.stringify(c)}`);
        times.push(c.durationMs ?? 0);
        processes = n;
      }
      rows.push({ backend, case: dead ? "Fiber's upstream dead" : "all proven", ...stats(times), processes });
      if (dead) await g.upstream("ra", true);
    }
  } finally {
    await g.destroy();
  }
}
if (json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log(`canary proof per apply, ${runs} runs each (3 slots: default, Fiber, LTE)`);
  console.log("backend    case                    median ms  max ms  canary processes");
  for (const r of rows)
    console.log(`${r.backend.padEnd(10)} ${r.case.padEnd(23)} ${String(r.median).padStart(9)}  ${String(r.max).padStart(6)}  ${r.processes}`);
}
