import { describe, expect, it } from "vitest";
import {
  heldBecause,
  initialHealth,
  measured,
  recheck,
  recordLink,
  recordProbe,
  withTargets,
  type HealthChange,
  type HealthThresholds,
  type IspHealthState,
} from "@/lib/health/state";

const T: HealthThresholds = {
  downAfter: 3,
  upAfter: 2,
  lossDegradedPct: 20,
  lossDownPct: 60,
  lossRecoverPct: 5,
  lossWindow: 10,
  recoverWindow: 10,
  reliability: 1,
  rttDegradedMs: 100,
  rttDownMs: 500,
  minHoldMs: 0,
  maxChanges: 100,
  changeWindowMs: 60_000,
  windowSize: 10,
};

/** The shipped defaults (lib/health/store.ts defaultHealthSettings, through thresholdsOf) with the interval they go with. */
const DEFAULTS: HealthThresholds = {
  downAfter: 5,
  upAfter: 5,
  lossDegradedPct: 20,
  lossDownPct: 60,
  lossRecoverPct: 5,
  lossWindow: 20,
  recoverWindow: 30,
  reliability: 1,
  rttDegradedMs: 250,
  rttDownMs: 1500,
  minHoldMs: 10_000,
  maxChanges: 6,
  changeWindowMs: 300_000,
  windowSize: 30,
};
/** The fastest documented settings: 200 ms, down after 3, up after 3, the default windows and damping. */
const FASTEST: HealthThresholds = { ...DEFAULTS, downAfter: 3, upAfter: 3, minHoldMs: 1000 };

/** A small seeded PRNG (mulberry32): the same "random" loss on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fake clock and a log of the changes, probing every `step` ms. */
function run(t: HealthThresholds = T, step = 200, targets: string[] = []) {
  let now = 0;
  let h: IspHealthState = initialHealth(now, true, targets);
  const changes: (HealthChange & { at: number })[] = [];
  const take = (r: { health: IspHealthState; change: HealthChange | null }) => {
    h = r.health;
    if (r.change) changes.push({ ...r.change, at: now });
  };
  return {
    probe(ok: boolean, rtt = 10, target = "198.18.0.1") {
      now += step;
      take(recordProbe(h, target, ok, ok ? rtt : undefined, now, t));
    },
    probes(n: number, ok: boolean, rtt = 10) {
      for (let i = 0; i < n; i++) this.probe(ok, rtt);
    },
    /** one probe to each target in the same round */
    round(results: Record<string, boolean>) {
      now += step;
      for (const [target, ok] of Object.entries(results)) take(recordProbe(h, target, ok, ok ? 10 : undefined, now, t));
    },
    link(up: boolean) {
      now += 1;
      take(recordLink(h, up, now, t));
    },
    wait(ms: number) {
      now += ms;
      take(recheck(h, now, t));
    },
    get h() {
      return h;
    },
    get now() {
      return now;
    },
    changes,
  };
}

describe("health state machine", () => {
  it("starts up, stays up on replies, and reports RTT and loss; nothing is measured before the first probe", () => {
    const m = run();
    expect(measured(m.h)).toBe(false);
    m.probes(5, true, 12);
    expect(measured(m.h)).toBe(true);
    expect(m.h.state).toBe("up");
    expect(m.h.rttMs).toBe(12);
    expect(m.h.lossPct).toBe(0);
    expect(m.changes).toEqual([]);
  });

  it("goes down after downAfter losses in a row, not before", () => {
    const m = run();
    m.probes(5, true);
    m.probes(2, false);
    expect(m.h.state).not.toBe("down");
    m.probe(false);
    expect(m.h.state).toBe("down");
    expect(m.changes.at(-1)).toMatchObject({ to: "down", reason: "3 probes in a row unanswered" });
  });

  it("comes back only with upAfter replies in a row and a clean recovery window", () => {
    const m = run();
    m.probes(10, false);
    expect(m.h.state).toBe("down");
    m.probes(2, true); // upAfter replies, but the last 10 probes are mostly lost
    expect(m.h.state).toBe("down");
    m.probes(7, true);
    m.probe(false); // one loss in the recovery window: 10 %, over 5 %
    m.probes(9, true);
    expect(m.h.state).toBe("down");
    expect(heldBecause(m.h, m.now, T)).toMatch(/loss <= 5% over 10 probes/);
    m.probe(true); // now the last 10 are clean
    expect(m.h.state).toBe("up");
    expect(m.h.lossPct).toBe(0);
    expect(m.changes.map((c) => c.to)).toEqual(["down", "up"]);
  });

  it("is degraded by loss or latency over the thresholds, down over the down thresholds", () => {
    const lossy = run();
    for (let i = 0; i < 10; i++) lossy.probe(i % 4 !== 0); // 30% loss, never 3 in a row
    expect(lossy.h.state).toBe("degraded");
    expect(lossy.h.reason).toMatch(/^loss \d+% >= 20%/);
    expect(lossy.h.lossPct).toBe(30);

    const slow = run();
    slow.probes(5, true, 150);
    expect(slow.h.state).toBe("degraded");
    slow.probes(10, true, 800);
    expect(slow.h.state).toBe("down");
    expect(slow.h.reason).toMatch(/^RTT \d+ ms >= 500 ms/);
  });

  it("reliability 1: one target answering keeps the ISP out of down", () => {
    const m = run();
    for (let i = 0; i < 6; i++) m.round({ a: false, b: true });
    expect(m.h.state).not.toBe("down");
  });

  it("reliability 2 of 3: one dead target is not down, two dead targets are; the ISP is as good as its 2nd best target", () => {
    const t = { ...T, reliability: 2 };
    const m = run(t, 200, ["a", "b", "c"]);
    m.probes(0, true);
    for (let i = 0; i < 12; i++) m.round({ a: false, b: true, c: true });
    expect(m.h.state).toBe("up"); // a is dead (100 % loss), b and c answer: 2nd best loss is 0 %
    expect(m.h.lossPct).toBe(0);
    for (let i = 0; i < 2; i++) m.round({ a: false, b: false, c: true });
    expect(m.h.state).not.toBe("down");
    m.round({ a: false, b: false, c: true }); // b's 3rd miss in a row: only c alive, 2 must answer
    expect(m.h.state).toBe("down");
    expect(m.h.reason).toBe("2 of 3 targets unanswered 3 times in a row: a, b (2 must answer)");
    // back: two targets must prove it (upAfter in a row and a clean window each)
    for (let i = 0; i < 12; i++) m.round({ a: false, b: false, c: true });
    expect(m.h.state).toBe("down");
    for (let i = 0; i < 10; i++) m.round({ a: false, b: true, c: true });
    expect(m.h.state).toBe("up");
  });

  it("a target that is no longer probed no longer counts", () => {
    const t = { ...T, reliability: 1 };
    const m = run(t, 200, ["a", "b"]);
    for (let i = 0; i < 3; i++) m.round({ a: false });
    expect(m.h.state).toBe("up"); // b never answered nor missed: alive until it does
    const h = withTargets(m.h, ["a"]);
    expect(Object.keys(h.targets)).toEqual(["a"]);
    expect(recheck(h, m.now, t).health.state).toBe("down");
  });

  it("a link going down is down at once, even inside the hold time; coming back it waits for a clean window", () => {
    const m = run({ ...T, minHoldMs: 60_000 });
    m.probes(3, true);
    m.link(false);
    expect(m.h.state).toBe("down");
    expect(m.h.reason).toBe("link down");
    m.link(true);
    expect(m.h.state).toBe("down");
    m.probes(2, true);
    expect(m.h.state).toBe("down"); // upAfter replies, but not a clean window yet
    m.probes(10, true);
    expect(m.h.state).toBe("down"); // clean, but held: the better state must hold 60 s
    m.wait(60_000);
    expect(m.h.state).toBe("up");
  });

  it("damping: a recovery waits minHoldMs after the last change; going down never waits", () => {
    const m = run({ ...T, minHoldMs: 5_000 });
    m.probes(3, false); // at 600 ms: down at once, the start holds nothing
    expect(m.changes).toEqual([expect.objectContaining({ to: "down", at: 600 })]);
    m.probes(10, true); // the recovery's evidence is there at 2.6 s: it must hold 5 s
    expect(m.h.state).toBe("down");
    expect(heldBecause(m.h, m.now, { ...T, minHoldMs: 5_000 })).toMatch(/minimum hold time/);
    m.probes(30, true);
    expect(m.h.state).toBe("up");
    expect(m.changes[1].at).toBe(7_600);
    m.probes(3, false); // at once, inside the new hold time
    expect(m.changes.at(-1)).toMatchObject({ to: "down", at: 9_200 }); // (degraded at the 2nd loss on the way)
  });

  it("damping never delays getting worse: degraded, then down at once inside the hold time", () => {
    const m = run({ ...T, minHoldMs: 60_000 });
    m.probes(8, true, 150); // degraded by RTT
    expect(m.h.state).toBe("degraded");
    m.probes(3, false);
    expect(m.h.state).toBe("down");
    expect(m.changes.map((c) => c.to)).toEqual(["degraded", "down"]);
  });

  it("three outages within the damping window: the fourth still goes down at its first evidence, its recovery waits for the window", () => {
    const t = { ...DEFAULTS, maxChanges: 3, changeWindowMs: 900_000 };
    const m = run(t, 1000);
    m.probes(30, true);
    const downs: number[] = [];
    for (let outage = 0; outage < 4; outage++) {
      const start = m.now;
      m.probes(t.downAfter, false);
      expect(m.h.state, `outage ${outage + 1}`).toBe("down");
      downs.push(m.now - start);
      m.probes(100, true); // 30 clean probes, then held 10, 20, 40 s (each recovery doubles it)
    }
    // every outage, the fourth included, is down at its downAfter-th lost probe
    expect(downs).toEqual([5000, 5000, 5000, 5000]);
    // (the 4th loss of a window of 20 is 20 %: degraded on the way down)
    expect(m.changes.map((c) => c.to).filter((s) => s !== "degraded")).toEqual(["down", "up", "down", "up", "down", "up", "down"]);
    // back after 29 clean probes (1 loss in 30 is within 5 %) and the proof time: 10, 20, 40 s
    const downAt = m.changes.filter((c) => c.to === "down").map((c) => c.at);
    expect(m.changes.filter((c) => c.to === "up").map((c, i) => c.at - downAt[i])).toEqual([39_000, 49_000, 69_000]);
    expect(m.h.state).toBe("down"); // the fourth recovery is held: 3 recoveries in the window
    expect(heldBecause(m.h, m.now, t)).toBe("3 recoveries in the damping window");
    m.wait(900_000);
    expect(m.h.state).toBe("up");
  });

  it("damping: at most maxChanges recoveries per window however fast it flaps, and every failure still goes down", () => {
    const t = { ...T, maxChanges: 2, changeWindowMs: 60_000 };
    const m = run(t, 200);
    for (let i = 0; i < 6; i++) {
      m.probes(3, false);
      expect(m.h.state).toBe("down");
      m.probes(10, true);
    }
    const ups = m.changes.filter((c) => c.to === "up").length;
    expect(ups).toBe(2);
    expect(m.changes.filter((c) => c.to === "down").length).toBe(3); // down, up, down, up, down: then held down
  });

  for (const [name, t, step] of [
    ["default (1 s)", DEFAULTS, 1000],
    ["fastest (200 ms)", FASTEST, 200],
  ] as const) {
    it(`a steady 30 % random loss for 60 s at the ${name} settings settles in one state: at most 2 changes, never back up`, () => {
      for (let seed = 1; seed <= 50; seed++) {
        const random = prng(seed);
        const m = run(t, step);
        m.probes(Math.ceil(5000 / step), true); // 5 s of a clean link first
        for (let at = 0; at < 60_000; at += step) m.probe(random() >= 0.3);
        const tos = m.changes.map((c) => c.to);
        expect(tos.length, `seed ${seed}: ${tos.join(", ")}`).toBeLessThanOrEqual(2);
        expect(tos.length, `seed ${seed}`).toBeGreaterThanOrEqual(1);
        expect(tos, `seed ${seed}`).not.toContain("up");
        expect(m.h.state).not.toBe("up");
      }
    });
  }

  it("the lab's 'loss 30' (30 % each way, about 51 % of probes) settles too", () => {
    for (const [t, step] of [
      [DEFAULTS, 1000],
      [FASTEST, 200],
    ] as const) {
      for (let seed = 1; seed <= 20; seed++) {
        const random = prng(seed);
        const m = run(t, step);
        m.probes(30, true);
        for (let at = 0; at < 60_000; at += step) m.probe(random() >= 0.3 && random() >= 0.3);
        expect(m.changes.length, `seed ${seed}`).toBeLessThanOrEqual(2);
        expect(m.h.state).not.toBe("up");
      }
    }
  });
});
