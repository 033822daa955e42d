// Usage from the real kernel: bytes a LAN host sends through the lab gateway are counted by
// the accounting chain (SWYD-ACCT) that the monitor's sampler reads, and land in the ISP's
// totals (lib/usage/traffic.ts), on the ISP the host uses and not on the other.
// Lab "tus" (namespaces tus-*; all traffic stays between them).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { labDown, sendTraffic } from "@/lib/lab/lab";
import { tempDatabase } from "../helpers/processes";
import { startLab } from "./helpers";

const PREFIX = "tus";
let lab: Awaited<ReturnType<typeof startLab>>;
let cleanup: () => Promise<void>;
let db: typeof import("@/lib/db").db;

beforeAll(async () => {
  const t = await tempDatabase("usage-kernel");
  cleanup = t.cleanup;
  process.env.DATABASE_URL = t.url;
  ({ db } = await import("@/lib/db"));
  lab = await startLab(classicOffice, PREFIX);
  const { applyAndVerify } = await import("@/lib/engine/run");
  const report = await applyAndVerify(classicOffice, lab.managed, { probe: lab.probe });
  if (report.result !== "applied") throw new Error(`apply: ${report.result} ${report.error ?? ""}`);
});
afterAll(async () => {
  await labDown(PREFIX);
  await db?.$disconnect();
  await cleanup?.();
});

describe("usage from the kernel's counters", () => {
  it("bytes sent by a host on ISP1 are counted for ISP1, both directions, and not for ISP2", async () => {
    const { readAccounting } = await import("@/lib/health/samples");
    const { monthKey, recordTraffic, trafficOfMonth } = await import("@/lib/usage/traffic");
    const isps = classicOffice.isps;
    await recordTraffic(await readAccounting(lab.gw), isps, Date.now()); // the starting point
    const sent = await sendTraffic(PREFIX, "192.168.1.100", 300_000);
    expect(sent).toEqual({ ok: true, received: 300_000 });
    await recordTraffic(await readAccounting(lab.gw), isps, Date.now());
    const month = await trafficOfMonth(monthKey(Date.now()));
    const isp1 = month.get("ISP1")!;
    // the payload plus TCP/IP headers out; the ACKs and the answer back
    expect(isp1.tx).toBeGreaterThanOrEqual(300_000);
    expect(isp1.tx).toBeLessThan(400_000);
    expect(isp1.rx).toBeGreaterThan(0);
    expect(month.get("ISP2")?.tx ?? 0).toBeLessThan(5_000);
  });
});
