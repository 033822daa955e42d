// The words every screen shows about health: what `switchyard status`, the Live page, the ISPs
// and Hosts lists, the board and the tab title say during an outage, before the first apply,
// and while someone applies.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "@/lib/model";
import { planFailover } from "@/lib/health/effective";
import type { IspHealthInfo } from "@/lib/health/view-types";
import { applyingWords, clock, columnLoad, healthLine, hostNow, ispProof, nowVia, titleWithHealth } from "@/lib/health/words";
import { healthStatus } from "@/lib/engine/status";
import type { CanaryReport } from "@/lib/net/verify";

const classic = JSON.parse(fs.readFileSync("tests/fixtures/classic-office.json", "utf8")) as GatewayConfig;
const office: GatewayConfig = { ...classic, hosts: [...classic.hosts, { name: "printer", address: "192.168.1.50", mac: null, isp: null, notes: "" }] };
const now = Date.parse("2026-12-07T10:34:05Z");
const info = (over: Partial<IspHealthInfo>): IspHealthInfo => ({
  isp: "ISP2",
  state: "up",
  since: new Date(now - 120_000).toISOString(),
  rttMs: 1.25,
  lossPct: 0,
  linkUp: true,
  reason: "replies",
  updatedAt: new Date(now - 500).toISOString(),
  ...over,
});

describe("an ISP's health line (status, the Live page, the ISPs list)", () => {
  it("down: since when, why, loss and RTT", () => {
    const line = healthLine(info({ state: "down", reason: "every target unanswered 5 times in a row", lossPct: 100, rttMs: null }), now);
    expect(line).toBe(`ISP2: down since ${clock(new Date(now - 120_000))} (2 min ago): every target unanswered 5 times in a row · loss 100 % · RTT –`);
  });
  it("up: no reason, the measures", () => {
    expect(healthLine(info({}), now)).toBe(`ISP2: up since ${clock(new Date(now - 120_000))} (2 min ago) · loss 0 % · RTT 1.3 ms`);
  });
  it("status before the first apply: no health data yet for each ISP, never down, whatever rows an old monitor left", () => {
    const rows = [
      {
        isp: "ISP1",
        state: "down",
        since: new Date(now - 240_000),
        linkUp: true,
        rttMs: null,
        lossPct: 100,
        reason: "no reply",
        updatedAt: new Date(now - 100),
      },
    ];
    const st = healthStatus(["ISP1", "ISP2"], rows, null, now, false);
    expect(st.map((h) => [h.state, h.line])).toEqual([
      ["unknown", "ISP1: no health data yet (nothing applied yet)"],
      ["unknown", "ISP2: no health data yet (nothing applied yet)"],
    ]);
    expect(st[0].proofLine).toBe("no canary proof yet");
    // once applied, the same fresh row is the truth
    expect(healthStatus(["ISP1"], rows, null, now, true)[0].line).toMatch(/^ISP1: down since .* \(4 min ago\): no reply · loss 100 %/);
  });
});

describe("the last canary proof", () => {
  const report: CanaryReport = {
    available: true,
    at: new Date(now - 10_000).toISOString(),
    proofs: [
      {
        target: "ISP1",
        kind: "isp",
        address: "192.168.1.250",
        isps: ["ISP1"],
        expectedNat: ["203.0.113.10"],
        probeTarget: "198.18.0.1",
        seenAs: "203.0.113.10",
        seenBy: "echo",
        rttMs: 0.42,
        ok: true,
      },
      {
        target: "ISP2",
        kind: "isp",
        address: "192.168.1.251",
        isps: ["ISP2"],
        expectedNat: ["198.51.100.10"],
        ok: false,
        reason: "no answer from 198.18.0.1 within 2 s",
      },
    ],
  };
  it("says what it proved, or why it failed, and when", () => {
    expect(ispProof(report, "ISP1", now)).toEqual({ ok: true, text: "canary proved 10 s ago, left as 203.0.113.10 to 198.18.0.1 in 0.4 ms" });
    expect(ispProof(report, "ISP2", now)).toEqual({ ok: false, text: "canary failed 10 s ago: no answer from 198.18.0.1 within 2 s" });
  });
  it("says so when there is none", () => {
    expect(ispProof(null, "ISP1", now).text).toBe("no canary proof yet");
    expect(ispProof({ available: false, reason: "the LAN is not a bridge", proofs: [], at: report.at }, "ISP1", now).text).toBe(
      "no canary proof: the LAN is not a bridge",
    );
    expect(ispProof(report, "LTE", now).text).toBe("no canary proof yet");
  });
  it("status carries the raw proof for --json", () => {
    expect(healthStatus(["ISP1"], [], report, now, true)[0].canary?.seenAs).toBe("203.0.113.10");
  });
});

describe("where a host goes now (Hosts list, from the resolver)", () => {
  it("ISP2 down: its host uses ISP2, now via ISP1", () => {
    const f = planFailover(office, { ISP1: { state: "up" }, ISP2: { state: "down" } });
    expect(nowVia(f.moves.find((m) => m.host === "laptop"))).toBe("now via ISP1: ISP2 down");
    expect(nowVia(f.moves.find((m) => m.host === "office-pc"))).toBeNull();
  });
  it("every ISP down: not moved, and the list says why", () => {
    const f = planFailover(office, { ISP1: { state: "down" }, ISP2: { state: "down" } });
    const move = f.moves.find((m) => m.host === "laptop");
    expect(move).toBeUndefined();
    expect(hostNow(move, "ISP2", new Set(["ISP1", "ISP2"]))).toBe("ISP2 is down, no ISP up to fail over to");
    expect(hostNow(undefined, "ISP2", new Set())).toBeNull();
  });
  it("balanced and unreachable", () => {
    expect(nowVia({ to: "ISP1+LTE", because: "failover: ISP2 down" })).toBe("now via ISP1 or LTE: ISP2 down");
    expect(nowVia({ to: "unreachable", because: "unreachable: no ISP of office is up" })).toBe("now unreachable: no ISP of office is up");
  });
});

describe("an ISP column's count (the board, the ISPs list)", () => {
  it("the backup counts the hosts it carries now; the down ISP the ones it lost", () => {
    const f = planFailover(office, { ISP1: { state: "down" }, ISP2: { state: "up" } });
    // office-pc sits on ISP1, the printer in the default column (ISP1): both leave by ISP2 now
    expect(columnLoad("ISP2", ["laptop"], f.moves)).toBe("3 hosts (2 by failover)");
    expect(columnLoad("ISP1", ["office-pc"], f.moves)).toBe("0 hosts (1 moved away by failover)");
    expect(columnLoad("ISP2", ["laptop"], [])).toBe("1 host");
  });
});

describe("the tab title and the apply in progress", () => {
  it("names the ISPs that are down", () => {
    expect(titleWithHealth("Dashboard · Switchyard", [])).toBe("Dashboard · Switchyard");
    expect(titleWithHealth("Dashboard · Switchyard", ["ISP2"])).toBe("ISP2 down · Dashboard · Switchyard");
    expect(titleWithHealth("Switchyard", ["ISP1", "ISP2"])).toBe("ISP1, ISP2 down · Switchyard");
    expect(titleWithHealth("Switchyard", ["a", "b", "c"])).toBe("3 ISPs down · Switchyard");
  });
  it("says who applies and since when, without the process id", () => {
    const since = new Date(now);
    expect(applyingWords({ holder: "alice (ui, pid 4242)", since })).toBe(`Apply in progress by alice (ui) since ${clock(since)}`);
    expect(applyingWords({ holder: "recovery (pid 7)", since })).toBe(`Apply in progress by recovery since ${clock(since)}`);
  });
});
