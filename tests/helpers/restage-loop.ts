// Re-stages two configurations in turn, as fast as it can, until SIGTERM (or argv[2] ms):
// the other side of the race tests (tests/unit/staged-race.test.ts, tests/kernel/recovery-entry.test.ts).
// Usage: node --import tsx tests/helpers/restage-loop.ts <ms> <configs.json: [A, B]>
import { readFileSync } from "node:fs";
import { replaceConfig } from "@/lib/data/config";
import { db } from "@/lib/db";

const until = Date.now() + Number(process.argv[2] ?? 10_000);
const configs = JSON.parse(readFileSync(process.argv[3], "utf8")) as unknown[];
let stop = false;
process.once("SIGTERM", () => (stop = true));
let n = 0;
console.log("restaging");
while (!stop && Date.now() < until) {
  const r = await replaceConfig(configs[n++ % configs.length]);
  if (!r.ok) throw new Error(`restage ${n}: ${JSON.stringify(r.issues)}`);
  // let the event loop see SIGTERM between transactions
  await new Promise((res) => setImmediate(res));
}
console.log(`restaged ${n} times`);
await db.$disconnect();
