// The dashboard never shows a stale green: old or missing monitor rows are "unknown".
import { describe, expect, it } from "vitest";
import { ispHealthInfo, STALE_MS } from "@/lib/health/shown";

const now = Date.parse("2026-12-02T03:00:00Z");
const row = (isp: string, state: string, ageMs: number) => ({
  isp,
  state,
  since: new Date(now - 60_000),
  linkUp: true,
  rttMs: 1.5,
  lossPct: 0,
  reason: "replies",
  updatedAt: new Date(now - ageMs),
});

describe("ispHealthInfo", () => {
  it("shows a fresh row as the monitor wrote it", () => {
    const [i] = ispHealthInfo(["ISP1"], [row("ISP1", "down", 900)], now);
    expect(i).toMatchObject({ isp: "ISP1", state: "down", rttMs: 1.5, lossPct: 0, linkUp: true, since: new Date(now - 60_000).toISOString() });
  });
  it("turns a row older than STALE_MS into unknown, with no RTT, loss or link", () => {
    const [i] = ispHealthInfo(["ISP1"], [row("ISP1", "up", STALE_MS + 1)], now);
    expect(i.state).toBe("unknown");
    expect(i).toMatchObject({ rttMs: null, lossPct: null, linkUp: null });
    expect(i.reason).toMatch(/^monitor not running \(last word 5 s ago: up\)/);
  });
  it("says unknown for an ISP without a row, and ignores rows of other ISPs", () => {
    const out = ispHealthInfo(["ISP1", "ISP2"], [row("ISP2", "up", 0), row("gone", "down", 0)], now);
    expect(out.map((i) => [i.isp, i.state])).toEqual([
      ["ISP1", "unknown"],
      ["ISP2", "up"],
    ]);
    expect(out[0].reason).toBe("no health data yet (monitor not running)");
  });
  it("before the first apply says no health data yet for every ISP, even over rows that say down", () => {
    const out = ispHealthInfo(["ISP1", "ISP2"], [row("ISP1", "down", 0)], now, { applied: false });
    expect(out.map((i) => [i.state, i.reason, i.since, i.lossPct])).toEqual([
      ["unknown", "no health data yet (nothing applied yet)", null, null],
      ["unknown", "no health data yet (nothing applied yet)", null, null],
    ]);
  });
  it("never passes an unexpected state through", () => {
    expect(ispHealthInfo(["ISP1"], [row("ISP1", "green", 0)], now)[0].state).toBe("unknown");
  });
});
