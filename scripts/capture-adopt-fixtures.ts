// Capture the adopt fixtures from the real kernel: `npx tsx scripts/capture-adopt-fixtures.ts` (root).
// Builds the former admin's hand-made gateway in namespaces (tests/kernel/handmade-gateway.ts, prefix
// "ha"), once per variant, and writes what the read-only commands of `switchyard adopt` print to
// tests/fixtures/adopt/<variant>/, plus a brand-new namespace as the empty box, and the hand-built
// dual-stack gateway with its IPv6 listings ("dualstack"). Removed at the end.
import fs from "node:fs";
import path from "node:path";
import { HOST, netns, run, type Target } from "../lib/net/exec";
import { ADOPT_COMMANDS, ADOPT_COMMANDS6 } from "../lib/adopt/read";
import { buildOldGateway, gw, teardown, type Variant } from "../tests/kernel/handmade-gateway";
import { addOldIpv4Routing, buildDualStack, destroyDualStack, NS } from "../tests/kernel/handmade-dualstack";

const OUT = path.resolve(import.meta.dirname, "../tests/fixtures/adopt");

async function capture(target: Target, dir: string, rtTables: string, ipv6 = false) {
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, bin, args] of [...ADOPT_COMMANDS, ...(ipv6 ? ADOPT_COMMANDS6 : [])])
    fs.writeFileSync(path.join(dir, file), (await run(target, bin, args)).stdout);
  fs.writeFileSync(path.join(dir, "rt_tables"), rtTables);
}

// --only dualstack: just the dual-stack gateway (tests/kernel/handmade-dualstack.ts with the old IPv4 tables)
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null;

if (only === null || only === "dualstack") {
  try {
    await buildDualStack();
    await addOldIpv4Routing();
    await capture(netns(NS.gw), path.join(OUT, "dualstack"), "", true);
  } finally {
    await destroyDualStack();
  }
}
if (only === null)
  try {
    for (const v of ["marks", "rules", "port"] as Variant[]) {
      await buildOldGateway(v);
      await capture(gw, path.join(OUT, v), fs.readFileSync("/etc/netns/ha-gw/iproute2/rt_tables", "utf8"));
    }
    await teardown();
    await run(HOST, "ip", ["netns", "add", "ha-empty"]);
    await capture(netns("ha-empty"), path.join(OUT, "empty"), "");
  } finally {
    await teardown();
    await run(HOST, "ip", ["netns", "del", "ha-empty"], { allowFailure: true });
  }
