// The long-term charts' pure pieces (lib/charts): a y axis that never reads "0 B/s" three
// times and picks a unit for its range, axes sized for their widest label, gaps where nothing
// was measured, and a readout that names only a reading near the pointer.
import { describe, expect, it } from "vitest";
import { axisWidth, formatValue, niceStep, tickLabels, yTicks } from "@/lib/charts/scale";
import { insertGaps, isolatedPoints, latestIndex, nearestIndex } from "@/lib/charts/series";

const distinct = (xs: string[]) => new Set(xs).size === xs.length;

describe("y axis", () => {
  it("an idle link (all zeros, or one zero sample) gets 0..1 kB/s with distinct labels, not 0 B/s three times", () => {
    const t = yTicks(0, "rate");
    expect(t[0]).toBe(0);
    expect(t[t.length - 1]).toBe(1000);
    const labels = tickLabels(t, "rate");
    expect(distinct(labels)).toBe(true);
    expect(labels.filter((l) => l === "0 B/s")).toHaveLength(1);
    expect(labels).toEqual(["0 B/s", "250 B/s", "500 B/s", "750 B/s", "1000 B/s"]);
    expect(tickLabels(yTicks(null, "rate"), "rate")).toEqual(labels);
  });

  it("scales the unit to the range: kB/s, MB/s, GB/s, and decimals only where the step needs them", () => {
    expect(tickLabels(yTicks(42_000, "rate"), "rate")).toEqual(["0 kB/s", "20 kB/s", "40 kB/s", "60 kB/s"]);
    expect(tickLabels(yTicks(9_300_000, "rate"), "rate")).toEqual(["0 MB/s", "2.5 MB/s", "5.0 MB/s", "7.5 MB/s", "10.0 MB/s"]);
    expect(tickLabels(yTicks(1.2e9, "rate"), "rate")).toEqual(["0 MB/s", "500 MB/s", "1000 MB/s", "1500 MB/s"]);
    expect(tickLabels(yTicks(7.7e9, "rate"), "rate")).toEqual(["0 GB/s", "2 GB/s", "4 GB/s", "6 GB/s", "8 GB/s"]);
    for (const max of [1, 999, 1001, 12_345, 87_654_321, 3.3e10]) {
      const t = yTicks(max, "rate");
      expect(t[t.length - 1]).toBeGreaterThanOrEqual(max);
      expect(t.length).toBeGreaterThanOrEqual(3);
      expect(t.length).toBeLessThanOrEqual(7);
      expect(distinct(tickLabels(t, "rate"))).toBe(true);
    }
  });

  it("latency and loss: a floor that reads, loss never above 100 %", () => {
    expect(tickLabels(yTicks(0, "ms"), "ms")).toEqual(["0 ms", "2.5 ms", "5.0 ms", "7.5 ms", "10.0 ms"]);
    expect(tickLabels(yTicks(0, "pct"), "pct")).toEqual(["0 %", "2 %", "4 %", "6 %"]);
    expect(yTicks(100, "pct")).toEqual([0, 25, 50, 75, 100]);
    expect(yTicks(130, "pct").at(-1)).toBe(100);
  });

  it("nice steps are 1, 2, 2.5 or 5 times a power of ten", () => {
    expect([0.3, 1, 1.1, 2.2, 3, 7, 250, 251].map(niceStep)).toEqual([0.5, 1, 2, 2.5, 5, 10, 250, 500]);
  });

  it("the axis is as wide as its widest label (nothing clipped), whatever the font measures", () => {
    const perChar = (s: string) => s.length * 7;
    expect(axisWidth(["0 MB/s", "10.0 MB/s"], perChar)).toBeGreaterThanOrEqual("10.0 MB/s".length * 7 + 6);
    expect(axisWidth(["0 B/s", "1000 B/s"], perChar)).toBeGreaterThan(axisWidth(["0 %", "5 %"], perChar));
    expect(axisWidth([], perChar)).toBeGreaterThan(0);
  });

  it("the legend's readings carry their own unit", () => {
    expect(formatValue(0, "rate")).toBe("0 B/s");
    expect(formatValue(1_234_567, "rate")).toBe("1.23 MB/s");
    expect(formatValue(12.34, "ms")).toBe("12 ms");
    expect(formatValue(2.345, "ms")).toBe("2.3 ms");
    expect(formatValue(0.5, "pct")).toBe("0.5 %");
    expect(formatValue(null, "rate")).toBe("–");
  });
});

describe("x axis: gaps and readouts", () => {
  const S = 10_000;
  it("a hole of more than two steps gets one empty bucket: the line breaks there", () => {
    expect(insertGaps([0, S, 2 * S, 10 * S, 11 * S], S)).toEqual([0, S, 2 * S, 3 * S, 10 * S, 11 * S]);
    expect(insertGaps([0, 2 * S], S)).toEqual([0, 2 * S]);
    expect(insertGaps([], S)).toEqual([]);
  });

  it("lone readings are drawn as dots (a line through one point is invisible)", () => {
    expect(isolatedPoints([5])).toEqual([0]);
    expect(isolatedPoints([1, 2, null, 3, null, null, 4, 5])).toEqual([3]);
    expect(isolatedPoints([null, null])).toEqual([]);
  });

  it("the readout names the reading nearest the pointer, none when nothing was measured near it", () => {
    const at = [100, 110, 120, 500];
    expect(nearestIndex(at, 113, 15)).toBe(1);
    expect(nearestIndex(at, 116, 15)).toBe(2);
    expect(nearestIndex(at, 300, 15)).toBeNull();
    expect(nearestIndex(at, 9999, 15)).toBeNull();
    expect(nearestIndex(at, 505, 15)).toBe(3);
    expect(nearestIndex([], 1, 15)).toBeNull();
  });

  it("without a pointer the legend shows the newest reading of any series", () => {
    expect(
      latestIndex([
        [1, 2, null],
        [null, 3, null],
      ]),
    ).toBe(1);
    expect(latestIndex([[null], [null]])).toBeNull();
  });
});
