// Bytes from raw counter readings (lib/usage/traffic.ts): resets, restarts, another WAN, and
// the local day and month a reading belongs to.
import { describe, expect, it } from "vitest";
import { counted, dayKey, monthKey } from "@/lib/usage/traffic";

describe("counted", () => {
  it("adds the growth since the last reading", () => {
    expect(counted({ dev: "wan1", tx: 1000, rx: 5000 }, { dev: "wan1", tx: 1500, rx: 9000 })).toEqual({ tx: 500, rx: 4000 });
  });
  it("a drop is a reset (an apply recreated the chain, a reboot): the new value counts from 0", () => {
    expect(counted({ dev: "wan1", tx: 10_000_000, rx: 8_000_000 }, { dev: "wan1", tx: 1200, rx: 8_000_100 })).toEqual({ tx: 1200, rx: 100 });
  });
  it("the first reading ever is a baseline; another interface is a new counter", () => {
    expect(counted(null, { dev: "wan1", tx: 123_456, rx: 7 })).toEqual({ tx: 0, rx: 0 });
    expect(counted({ dev: "wan1", tx: 9000, rx: 9000 }, { dev: "ppp0", tx: 100, rx: 20_000 })).toEqual({ tx: 100, rx: 20_000 });
  });
});

describe("local days and months", () => {
  it("a reading belongs to the day and month of the gateway's time zone", () => {
    // 2026-11-30 23:30 UTC is already December 1st in Berlin, still November 30th in New York
    const t = Date.UTC(2026, 10, 30, 23, 30);
    expect(dayKey(t, "Europe/Berlin")).toBe("2026-12-01");
    expect(monthKey(t, "Europe/Berlin")).toBe("2026-12");
    expect(dayKey(t, "America/New_York")).toBe("2026-11-30");
    expect(monthKey(t, "UTC")).toBe("2026-11");
  });
});
