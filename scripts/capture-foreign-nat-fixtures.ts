// Capture the override lint's fixtures from the real kernel (as root, under the kernel lock):
//   flock /tmp/sy-kernel.lock npx tsx scripts/capture-foreign-nat-fixtures.ts
// On a hand-made gateway (lib/lab/handmade.ts) that Switchyard applied to, once per backend,
// foreign tables are added the way admins and other software write them (NAT before and after
// Switchyard's, an accept-only NAT chain, mark writes at several priorities, an IPv6 table, a
// legacy iptables SNAT), then what observe reads is written to tests/fixtures/kernel/foreign-*.
import fs from "node:fs";
import path from "node:path";
import { applyAndVerify } from "../lib/engine/run";
import { resolveTarget } from "../lib/engine/target";
import { buildHandmade } from "../lib/lab/handmade";
import { netns, run } from "../lib/net/exec";

const OUT = path.resolve(import.meta.dirname, "../tests/fixtures/kernel");

export const FOREIGN_NFT = `table ip nat {
 chain postrouting { type nat hook postrouting priority 0; oifname "enp1s0" ip saddr 10.20.0.0/24 snat to 203.0.113.3; }
}
table inet late {
 chain post { type nat hook postrouting priority 200; oifname "wwan0" ip saddr 10.20.0.0/24 snat ip to 198.51.100.3; }
}
table inet acceptor {
 chain post { type nat hook postrouting priority -100; ip saddr 10.20.0.0/24 accept; }
}
table inet marks {
 chain early { type filter hook prerouting priority -200; ip saddr 10.20.0.60 jump setmark; }
 chain setmark { meta mark set meta mark & 0xffffff00 | 0x3; }
 chain between { type filter hook prerouting priority -145; iifname "br-lan" meta mark set 0x7; }
 chain conn { type filter hook forward priority 0; ct mark set ct mark | 0x10000; }
}
table ip6 nat6 {
 chain post { type nat hook postrouting priority 0; oifname "enp1s0" masquerade; }
}
`;
export const FOREIGN_LEGACY = ["-t", "nat", "-A", "POSTROUTING", "-s", "10.20.0.50/32", "-o", "enp1s0", "-j", "SNAT", "--to-source", "203.0.113.3"];

async function capture(backend: "iptables" | "nftables") {
  process.env.SWITCHYARD_FIREWALL = backend;
  const g = await buildHandmade("fxnat", { rpFilter: "strict", srcValidMark: 1 });
  try {
    const report = await applyAndVerify(g.config, resolveTarget({ netns: g.gw }));
    if (!report.ok) throw new Error(`apply failed: ${report.error}`);
    const gw = netns(g.gw);
    await run(gw, "nft", ["-f", "-"], { input: FOREIGN_NFT });
    await run(gw, "iptables-legacy", FOREIGN_LEGACY);
    const reads = await Promise.all([
      run(gw, "ip", ["-N", "-json", "rule", "show"]),
      run(gw, "ip", ["-N", "-4", "-json", "route", "show", "table", "all"]),
      run(gw, "iptables-save", ["-c"]),
      run(gw, "nft", ["-j", "list", "ruleset"]),
      run(gw, "iptables-legacy-save", []),
    ]);
    const names = ["ip-rule", "ip-route", "iptables-save", "nft-ruleset", "iptables-legacy-save"];
    const ext = ["json", "json", "txt", "json", "txt"];
    reads.forEach((r, i) => fs.writeFileSync(path.join(OUT, `foreign-${backend}-${names[i]}.${ext[i]}`), r.stdout));
  } finally {
    await g.destroy();
  }
}

await capture("iptables");
await capture("nftables");
