// Failover on a gateway Switchyard did not build (lib/lab/handmade.ts: br-lan, enp1s0, wwan0,
// tables 7 and 9, systemd's sysctls), with health targets beyond each ISP's router set through
// the product's own settings store. Fiber's upstream dies while its router keeps answering
// ping: the monitor takes Fiber down within its detection time, desk's new TCP connections
// leave through LTE, the canary between applies proves the moved paths; restored, desk comes back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../helpers/processes";
import { buildHandmade, TARGETS, type Handmade } from "@/lib/lab/handmade";
import { netns, run } from "@/lib/net/exec";
import { resolveTarget } from "@/lib/engine/target";
import { FAST_HEALTH } from "../helpers/fast-health";

let db: Awaited<ReturnType<typeof tempDatabase>>;
let g: Handmade;
let prisma: typeof import("@/lib/db").db;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: () => Promise<T | null | false>, ms: number): Promise<T | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const v = await what();
    if (v) return v;
    await sleep(200);
  }
  return null;
}

beforeAll(async () => {
  db = await tempDatabase("handmade-failover");
  process.env.DATABASE_URL = db.url;
  prisma = (await import("@/lib/db")).db;
  g = await buildHandmade("thf", { rpFilter: "stock", srcValidMark: 0 });
  const { replaceConfig } = await import("@/lib/data/config");
  expect((await replaceConfig({ ...g.config, settings: { ...g.config.settings, canary: { enabled: true } } })).ok).toBe(true);
  const { saveHealthSettings } = await import("@/lib/health/store");
  for (const isp of ["Fiber", "LTE"]) {
    const r = await saveHealthSettings({
      isp,
      targets: TARGETS,
      reliability: 1,
      ...FAST_HEALTH,
    });
    expect(r.ok).toBe(true);
  }
}, 60_000);
afterAll(async () => {
  await g?.destroy();
  await prisma?.$disconnect();
  await db?.cleanup();
});

describe("a hand-made gateway whose fiber's upstream dies behind a router that still answers", () => {
  it("fails desk over to LTE within the detection time, proven by TCP and by the canary, and brings it back", async () => {
    const managed = resolveTarget({ netns: g.gw });
    const service = await import("@/lib/engine/service");
    const first = await service.applyStaged({ actor: { username: "test" }, source: "cli", managed });
    expect(first.report.ok).toBe(true);
    expect(first.report.verification?.canary?.proofs.every((p) => p.ok)).toBe(true);
    expect(await g.connect("h1")).toBe("203.0.113.2");

    const { startMonitor } = await import("@/lib/health/monitor");
    const changes: string[] = [];
    const m = await startMonitor({ managed, lab: false, onChange: (isp, c) => isp === "Fiber" && changes.push(c.to) });
    try {
      await sleep(2000); // the monitor's first look
      await g.upstream("ra", false);
      // the router still answers: only the targets beyond it tell
      expect((await run(netns(g.gw), "ping", ["-n", "-c", "1", "-W", "1", "203.0.113.1"], { allowFailure: true })).exitCode).toBe(0);
      const t0 = Date.now();
      expect(await until(async () => changes.includes("down"), 20_000)).toBe(true);
      const detected = Date.now() - t0;
      expect(detected).toBeLessThan(15_000); // 3 x 200 ms, with a shared machine's slack
      expect(await until(async () => (await g.connect("h1", 1)) === "198.51.100.2", 20_000)).toBe(true);
      // the canary between applies proves the moved path: desk's target (Fiber) now leaves as LTE's address
      const run1 = await until(async () => {
        const r = await prisma.canaryRun.findFirst({ orderBy: { id: "desc" } });
        const proofs = r ? (JSON.parse(r.report) as { proofs: { target: string; ok: boolean; seenAs?: string }[] }).proofs : [];
        return proofs.find((p) => p.target === "Fiber" && p.ok && p.seenAs === "198.51.100.2") ?? null;
      }, 60_000);
      expect(run1).not.toBeNull();

      await g.upstream("ra", true);
      expect(await until(async () => (await g.connect("h1", 1)) === "203.0.113.2", 60_000)).toBe(true);
    } finally {
      await m.stop();
      await g.upstream("ra", true);
    }
  }, 180_000);
});
