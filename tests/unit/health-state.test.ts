import { describe, expect, it } from "vitest";
import { initialHealth, recheck, recordLink, recordProbe, type HealthChange, type HealthThresholds, type IspHealthState } from "@/lib/health/state";

const T: HealthThresholds = {
  downAfter: 3, upAfter: 2, lossDegradedPct: 20, lossDownPct: 60, lossRecoverPct: 5, lossWindow: 10, recoverWindow: 10, reliability: 1, rttDegradedMs: 100, rttDownMs: 500,
  minHoldMs: 0, maxChanges: 100, changeWindowMs: 60_000, windowSize: 10,
};

/** A fake clock and a log of the changes, probing every `step` ms. */
function run(t: HealthThresholds = T, step = 200) {
  let now = 0;
  let h: IspHealthState = initialHealth(now);
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
    changes,
  };
}

describe("health state machine", () => {
  it("starts up, stays up on replies, and reports RTT and loss", () => {
    const m = run();
    m.probes(5, true, 12);
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

  it("comes back up only after upAfter replies in a row (hysteresis), and the outage's losses are forgotten", () => {
    const m = run();
    m.probes(10, false);
    expect(m.h.state).toBe("down");
    m.probe(true);
    m.probe(false);
    m.probe(true);
    expect(m.h.state).toBe("down");
    m.probe(true);
    expect(m.h.state).toBe("up");
    expect(m.h.lossPct).toBe(0);
    expect(m.changes.map((c) => c.to)).toEqual(["down", "up"]);
  });

  it("is degraded by loss or latency over the thresholds, down over the down thresholds", () => {
    const lossy = run();
    for (let i = 0; i < 10; i++) lossy.probe(i % 4 !== 0); // 30% loss, never 3 in a row
    expect(lossy.h.state).toBe("degraded");
    expect(lossy.h.reason).toMatch(/^loss \d+% >= 20%/)
    expect(lossy.h.lossPct).toBe(30);

    const slow = run();
    slow.probes(5, true, 150);
    expect(slow.h.state).toBe("degraded");
    slow.probes(10, true, 800);
    expect(slow.h.state).toBe("down");
    expect(slow.h.reason).toMatch(/^RTT \d+ ms >= 500 ms/);
  });

  it("one target answering keeps the ISP out of down", () => {
    const m = run();
    for (let i = 0; i < 6; i++) {
      m.probe(false, 0, "a");
      m.probe(true, 10, "b");
    }
    expect(m.h.state).not.toBe("down");
  });

  it("a link going down is down at once, even inside the hold time; coming back it waits for replies", () => {
    const m = run({ ...T, minHoldMs: 60_000 });
    m.probes(3, true);
    m.link(false);
    expect(m.h.state).toBe("down");
    expect(m.h.reason).toBe("link down");
    m.link(true);
    expect(m.h.state).toBe("down");
    m.wait(60_000);
    m.probes(2, true);
    expect(m.h.state).toBe("up");
  });

  it("damping: a state is held minHoldMs after a change before it may change again; the start holds nothing", () => {
    const m = run({ ...T, minHoldMs: 5_000 });
    m.probes(3, false); // at 600 ms: down at once, the start is no change
    expect(m.changes).toEqual([expect.objectContaining({ to: "down", at: 600 })]);
    m.probes(3, true); // up wanted at 1.2 s, held until 5.6 s
    expect(m.h.state).toBe("down");
    m.probes(22, true);
    expect(m.h.state).toBe("up");
    expect(m.changes[1].at).toBe(5_600);
  });

  it("damping never delays getting worse: degraded, then down at once inside the hold time", () => {
    const m = run({ ...T, minHoldMs: 60_000 });
    m.probes(8, true, 150); // degraded by RTT
    expect(m.h.state).toBe("degraded");
    m.probes(3, false);
    expect(m.h.state).toBe("down");
    expect(m.changes.map((c) => c.to)).toEqual(["degraded", "down"]);
  });

  it("damping: at most maxChanges changes per window, however fast it flaps", () => {
    const m = run({ ...T, maxChanges: 4, changeWindowMs: 20_000 });
    for (let i = 0; i < 20; i++) m.probes(5, i % 2 === 1); // flips every second for 20 s
    expect(m.changes.length).toBe(4);
    m.wait(20_000);
    m.probes(5, true);
    expect(m.h.state).toBe("up");
  });
});
