// Uptime, outages, failovers and time on a backup (lib/usage/uptime.ts) from recorded sample
// rows and health transitions: windows cutting through outages, unknown time left out,
// coarse rows refined by the transitions, the backup only while another ISP was up.
import { describe, expect, it } from "vitest";
import { outagesOf, spansOf, uptimeOver, type Row, type Transition } from "@/lib/usage/uptime";

const H = 3600_000;
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
/** rows of one state every `res` seconds over [from, to) (ms before NOW) */
const rows = (fromAgo: number, toAgo: number, state: string, res = 10): Row[] => {
  const out: Row[] = [];
  for (let t = NOW - fromAgo; t < NOW - toAgo; t += res * 1000) out.push({ at: new Date(t), resolution: res, state });
  return out;
};
const ev = (ago: number, from: string, to: string): Transition => ({ at: new Date(NOW - ago), from, to });

describe("uptime", () => {
  it("counts an outage across the 24 h window's edge only inside it, and leaves unmeasured time out", () => {
    // 10 s rows: down from 25 h ago to 23 h ago, up until 2 h ago, then no monitor (unknown)
    const r = [...rows(25 * H, 23 * H, "down"), ...rows(23 * H, 2 * H, "up")];
    const spans = spansOf(r);
    const outages = outagesOf(spans, [], NOW);
    expect(outages).toHaveLength(1);
    const u = uptimeOver(24 * H, NOW, spans, outages, [], []);
    expect(u.measuredMs).toBe(22 * H); // 24 h minus the 2 h nobody measured
    expect(u.downMs).toBe(1 * H); // the hour of the outage inside the window
    expect(u.uptimePct).toBeCloseTo((21 / 22) * 100, 6);
    expect(u.outages).toBe(1);
    // nothing measured at all: no figure, never 0 % or 100 %
    expect(uptimeOver(24 * H, NOW, [], [], [], []).uptimePct).toBeNull();
  });

  it("refines an outage inside 5-minute rows by its transitions: 40 s down is 40 s, not 5 minutes", () => {
    // 300 s rows 3 days ago: one of them saw down (worst state), from 10:02:00 to 10:02:40
    const start = NOW - 3 * 24 * H;
    const r: Row[] = [0, 1, 2].map((i) => ({ at: new Date(start + i * 300_000), resolution: 300, state: i === 1 ? "down" : "up" }));
    const evs = [ev(3 * 24 * H - 320_000, "up", "down"), ev(3 * 24 * H - 360_000, "down", "up")];
    const spans = spansOf(r);
    const [o] = outagesOf(spans, evs, NOW);
    expect(o.end - o.start).toBe(40_000);
    const u = uptimeOver(7 * 24 * H, NOW, spans, [o], evs, []);
    expect(u.downMs).toBe(40_000);
    expect(u.failovers).toBe(1);
    expect(u.measuredMs).toBe(900_000);
  });

  it("uses the 10 s rows where they exist and the 5-minute rows only before them", () => {
    // a coarse row covering the same 5 minutes as fine rows must not count twice
    const r = [...rows(600_000, 0, "up", 300), ...rows(300_000, 0, "up")];
    expect(uptimeOver(24 * H, NOW, spansOf(r), [], [], []).measuredMs).toBe(600_000);
  });

  it("time on a backup is the outage while another ISP was up; degraded counts as up, apart", () => {
    const isp1 = [...rows(4 * H, 3 * H, "up"), ...rows(3 * H, 1 * H, "down"), ...rows(1 * H, 0, "degraded")];
    // the backup itself was down for the first half hour of that outage
    const isp2 = [...rows(4 * H, 3 * H, "up"), ...rows(3 * H, 2.5 * H, "down"), ...rows(2.5 * H, 0, "up")];
    const s1 = spansOf(isp1);
    const o1 = outagesOf(s1, [ev(3 * H, "up", "down"), ev(1 * H, "down", "degraded")], NOW);
    const u = uptimeOver(24 * H, NOW, s1, o1, [ev(3 * H, "up", "down"), ev(1 * H, "down", "degraded")], [spansOf(isp2)]);
    expect(u.downMs).toBe(2 * H);
    expect(u.onBackupMs).toBe(1.5 * H);
    expect(u.degradedMs).toBe(1 * H);
    expect(u.uptimePct).toBe(50);
  });

  it("a transition seen only in the next row (the monitor's tick came after the row's end) still sets the outage's ends", () => {
    // down from 10:00:09.5 to 10:20:10.2; the rows say down from 10:00:10 to 10:20:10
    const t0 = NOW - 2 * H;
    const r = [...rows(3 * H, 2 * H - 10_000, "up"), ...rows(2 * H - 10_000, 2 * H - 1_210_000, "down"), ...rows(2 * H - 1_210_000, 1 * H, "up")];
    const [o] = outagesOf(
      spansOf(r),
      [
        { at: new Date(t0 + 9_500), from: "up", to: "down" },
        { at: new Date(t0 + 1_210_200), from: "down", to: "up" },
      ],
      NOW,
    );
    expect(o.end - o.start).toBe(1_200_700);
  });

  it("an ISP still down at the newest row is an ongoing outage lasting until now", () => {
    const r = [...rows(1 * H, 600_000, "up"), ...rows(600_000, 10_000, "down")];
    const [o] = outagesOf(spansOf(r), [ev(600_000, "up", "down")], NOW);
    expect(o).toEqual({ start: NOW - 600_000, end: NOW, ongoing: true });
  });

  it("a gap (monitor restarted) between two down stretches makes two outages, the gap unknown", () => {
    const r = [...rows(3 * H, 2 * H, "down"), ...rows(1 * H, 0.5 * H, "down"), ...rows(0.5 * H, 0, "up")];
    const spans = spansOf(r);
    const outages = outagesOf(spans, [], NOW);
    expect(outages.map((o) => (o.end - o.start) / H)).toEqual([1, 0.5]);
    const u = uptimeOver(24 * H, NOW, spans, outages, [], []);
    expect(u.measuredMs).toBe(2 * H);
    expect(u.downMs).toBe(1.5 * H);
  });
});
