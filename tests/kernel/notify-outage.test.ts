// Notifications from a real outage: a hand-made gateway (lib/lab/handmade.ts) whose fiber's
// upstream dies and comes back, the monitor running, one webhook channel to a receiver on
// 127.0.0.1 (loopback only). The receiver gets exactly one "down" and one "up again after ..."
// message for the outage, the up one with the outage's duration as recorded, and the failover
// and failback naming the host that moved. Deadlines are generous; nothing is timed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../helpers/processes";
import { buildHandmade, TARGETS, type Handmade } from "@/lib/lab/handmade";
import { resolveTarget } from "@/lib/engine/target";
import { duration } from "@/lib/health/words";
import { FAST_HEALTH } from "../helpers/fast-health";

let tmp: Awaited<ReturnType<typeof tempDatabase>>;
let g: Handmade;
let prisma: typeof import("@/lib/db").db;
let server: http.Server;
const got: { kind: string; title: string; text: string }[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: () => T | null | false | Promise<T | null | false>, ms: number): Promise<T | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const v = await what();
    if (v) return v;
    await sleep(200);
  }
  return null;
}

beforeAll(async () => {
  tmp = await tempDatabase("notify-outage");
  process.env.DATABASE_URL = tmp.url;
  prisma = (await import("@/lib/db")).db;
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push(JSON.parse(body));
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  g = await buildHandmade("tno", { rpFilter: "stock", srcValidMark: 0 });
  const { replaceConfig } = await import("@/lib/data/config");
  expect((await replaceConfig(g.config)).ok).toBe(true);
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
  const { channelSchema } = await import("@/lib/validation/notify");
  const { saveChannel } = await import("@/lib/notify/channels");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  expect(
    (
      await saveChannel(
        null,
        channelSchema.parse({ name: "hook", type: "webhook", url, events: "isp-down,isp-degraded,isp-up,failover,failback", secret: "k" }),
        { username: "test" },
      )
    ).ok,
  ).toBe(true);
}, 60_000);
afterAll(async () => {
  await g?.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await prisma?.$disconnect();
  await tmp?.cleanup();
});

describe("an outage, told", () => {
  it("one down and one up message with the outage's duration, the failover and failback naming desk", async () => {
    const managed = resolveTarget({ netns: g.gw });
    const service = await import("@/lib/engine/service");
    expect((await service.applyStaged({ actor: { username: "test" }, source: "cli", managed })).report.ok).toBe(true);
    const { startMonitor } = await import("@/lib/health/monitor");
    const states: string[] = [];
    const m = await startMonitor({ managed, lab: false, onChange: (isp, c) => isp === "Fiber" && states.push(c.to) });
    try {
      await sleep(2000); // the monitor's first look
      await g.upstream("ra", false);
      expect(await until(() => got.some((x) => x.kind === "failover"), 30_000)).toBe(true);
      await g.upstream("ra", true);
      expect(await until(() => got.some((x) => x.kind === "failback") && got.some((x) => x.kind === "isp-up"), 60_000)).toBe(true);
      await sleep(1500); // anything more would have been sent by now (the worker ticks every second)
    } finally {
      await m.stop();
      await g.upstream("ra", true);
    }
    const isp = got.filter((x) => x.kind.startsWith("isp-"));
    expect(
      isp.map((x) => x.kind),
      `states seen: ${states.join(" ")}`,
    ).toEqual(["isp-down", "isp-up"]);
    expect(isp[0].title).toBe("Fiber down");
    // the duration said is the one between the recorded events
    const rows = await prisma.notifyEvent.findMany({ orderBy: { id: "asc" } });
    const down = rows.find((r) => r.kind === "isp-down")!;
    const end = rows.find((r) => r.id > down.id && (r.kind === "isp-up" || r.kind === "isp-degraded") && JSON.parse(r.payload).from === "down")!;
    expect(isp[1].title).toBe(`Fiber up again after ${duration(end.at.getTime() - down.at.getTime())}`);
    const failover = got.filter((x) => x.kind === "failover");
    const failback = got.filter((x) => x.kind === "failback");
    expect(failover).toHaveLength(1);
    expect(failback).toHaveLength(1);
    expect(failover[0].text).toContain("desk Fiber -> LTE");
    expect(failback[0].text).toContain("desk LTE -> Fiber");
    expect(failover[0].text).not.toContain("phone"); // phone was on LTE all along
  }, 120_000);
});
