// Samples for e2e/charts.spec.ts, written into the e2e database as the monitor would have
// written them: `seed` adds them (and the first apply the API wants before it shows any),
// `clean` takes them out again so the specs after see the database as it was.
//   ISP1, last 50 min: MB/s of traffic with a 10-minute hole (the monitor stopped);
//   ISP2, last 50 min: kB/s of traffic, no health readings in the first 10 minutes;
//   ISP1, 3 days ago: the one 5-minute row of the 30-day view, no traffic (an idle link).
import { db } from "../lib/db";

const ACTOR = "e2e-charts";
const FINE = 10;

async function seed() {
  const now = Date.now();
  const start = Math.floor((now - 50 * 60_000) / 10_000) * 10_000;
  const rows = [];
  for (let at = start, i = 0; at < now - 10_000; at += FINE * 1000, i++) {
    const hole = at > now - 30 * 60_000 && at < now - 20 * 60_000;
    if (!hole)
      rows.push({
        at: new Date(at),
        resolution: FINE,
        isp: "ISP1",
        txRate: 1.2e6 + 4e5 * Math.sin(i / 15),
        rxRate: 4.5e6 + 1.5e6 * Math.cos(i / 20),
        rttMs: 12 + 3 * Math.sin(i / 7),
        lossPct: 0,
        state: "up",
      });
    const health = at > start + 10 * 60_000;
    rows.push({
      at: new Date(at),
      resolution: FINE,
      isp: "ISP2",
      txRate: 18_000 + 6000 * Math.sin(i / 9),
      rxRate: 65_000 + 20_000 * Math.cos(i / 11),
      rttMs: health ? 31 + 5 * Math.cos(i / 5) : null,
      lossPct: health ? (i % 40 < 3 ? 2 : 0) : null,
      state: health ? "up" : "",
    });
  }
  rows.push({
    at: new Date(Math.floor((now - 3 * 86400_000) / 300_000) * 300_000),
    resolution: 300,
    isp: "ISP1",
    txRate: 0,
    rxRate: 0,
    rttMs: 11,
    lossPct: 0,
    state: "up",
  });
  await db.ispSample.createMany({ data: rows });
  // the samples API shows nothing from before the first apply
  await db.revision.create({
    data: {
      createdAt: new Date(now - 40 * 86400_000),
      actor: ACTOR,
      source: "cli",
      target: "netns:e2e-gw",
      config: "{}",
      ruleset: "",
      plan: "[]",
      result: "applied",
      durationMs: 1,
    },
  });
}

async function clean() {
  // this spec runs before any that starts the monitor (files run in name order): every sample is its own
  await db.ispSample.deleteMany({});
  await db.revision.deleteMany({ where: { actor: ACTOR } });
  // the next revision gets the id it would have had without this spec
  await db.$executeRawUnsafe(`UPDATE sqlite_sequence SET seq = (SELECT IFNULL(MAX(id), 0) FROM "Revision") WHERE name = 'Revision'`);
}

const what = process.argv[2];
if (what === "seed") await seed();
else if (what === "clean") await clean();
else throw new Error("usage: charts-seed.ts seed|clean");
await db.$disconnect();
