import { describe, expect, it } from "vitest";
import { parseCli } from "@/lib/cli/args";
import { flagOf, HEALTH_FLAGS } from "@/lib/cli/health-args";
import { HEALTH_FIELDS } from "@/lib/validation/health";

const ok = (argv: string[]) => {
  const r = parseCli(argv);
  if (!r.ok) throw new Error(r.error);
  return r;
};
const err = (argv: string[]) => {
  const r = parseCli(argv);
  if (r.ok) throw new Error(`accepted ${argv.join(" ")}`);
  return r.error;
};

describe("switchyard monitor / lab fault arguments", () => {
  it("monitor takes the target options", () => {
    expect(ok(["monitor", "--lab", "hhl"])).toMatchObject({ command: { name: "monitor" }, target: { lab: "hhl" } });
    expect(ok(["--netns", "gw", "monitor"]).target).toEqual({ netns: "gw" });
    expect(err(["monitor", "now"])).toBe('unexpected argument "now" for monitor');
  });
  it("lab fault: each fault, loss with its percentage", () => {
    expect(ok(["lab", "fault", "ISP1", "upstream-down"]).command).toEqual({
      name: "lab-fault",
      isp: "ISP1",
      fault: { kind: "upstream-down" },
      prefix: undefined,
    });
    expect(ok(["lab", "fault", "ISP2", "link-down", "--prefix", "hhl"]).command).toMatchObject({ isp: "ISP2", fault: { kind: "link-down" }, prefix: "hhl" });
    expect(ok(["lab", "fault", "ISP1", "loss", "30"]).command).toMatchObject({ fault: { kind: "loss", pct: 30 } });
    expect(ok(["lab", "fault", "ISP1", "restore"]).command).toMatchObject({ fault: { kind: "restore" } });
  });
  it("lab fault refuses what it cannot mean", () => {
    expect(err(["lab", "fault"])).toMatch(/^lab fault needs an ISP and a fault/);
    expect(err(["lab", "fault", "ISP1"])).toMatch(/^lab fault needs an ISP and a fault/);
    expect(err(["lab", "fault", "ISP1", "explode"])).toMatch(/^unknown fault "explode"/);
    expect(err(["lab", "fault", "ISP1", "loss"])).toMatch(/needs a percentage/);
    expect(err(["lab", "fault", "ISP1", "loss", "0"])).toMatch(/needs a percentage/);
    expect(err(["lab", "fault", "ISP1", "loss", "101"])).toMatch(/needs a percentage/);
    expect(err(["lab", "fault", "ISP1", "loss", "1e2"])).toMatch(/needs a percentage/);
    expect(err(["lab", "fault", "ISP1", "restore", "now"])).toMatch(/^unexpected argument "now"/);
    expect(err(["lab", "fault", "a b", "restore"])).toMatch(/is not an ISP name/);
    expect(err(["lab", "up", "ISP1"])).toBe('unexpected argument "ISP1" for lab');
  });
});

describe("switchyard health arguments", () => {
  it("show: every ISP or one, with --json", () => {
    expect(ok(["health", "show"]).command).toEqual({ name: "health-show" });
    expect(ok(["health", "show", "ISP2", "--json"])).toMatchObject({ command: { name: "health-show", isp: "ISP2" }, json: true });
    expect(ok(["health", "show", "--host"]).target).toEqual({ host: true });
  });
  it("set: a flag per field, each value parsed by the field's schema", () => {
    expect(ok(["health", "set", "ISP1", "--targets", "198.51.100.1,203.0.113.1", "--reliability", "1", "--interval-ms", "500"]).command).toEqual({
      name: "health-set",
      isp: "ISP1",
      changes: { targets: ["198.51.100.1", "203.0.113.1"], reliability: 1, intervalMs: 500 },
    });
    expect(ok(["health", "set", "ISP1", "--targets=198.51.100.1 203.0.113.1"]).command).toMatchObject({
      changes: { targets: ["198.51.100.1", "203.0.113.1"] },
    });
    const all = [
      "--timeout-ms",
      "900",
      "--down-after",
      "3",
      "--up-after",
      "4",
      "--loss-degraded-pct",
      "25",
      "--loss-down-pct",
      "70",
      "--loss-recover-pct",
      "2",
      "--loss-window",
      "10",
      "--recover-window",
      "40",
      "--rtt-degraded-ms",
      "300",
      "--rtt-down-ms",
      "2000",
      "--min-hold-ms",
      "0",
      "--max-changes",
      "3",
      "--change-window-ms",
      "60000",
    ];
    expect(ok(["health", "set", "ISP1", ...all]).command).toEqual({
      name: "health-set",
      isp: "ISP1",
      changes: {
        timeoutMs: 900,
        downAfter: 3,
        upAfter: 4,
        lossDegradedPct: 25,
        lossDownPct: 70,
        lossRecoverPct: 2,
        lossWindow: 10,
        recoverWindow: 40,
        rttDegradedMs: 300,
        rttDownMs: 2000,
        minHoldMs: 0,
        maxChanges: 3,
        changeWindowMs: 60000,
      },
    });
  });
  it("every field of the schema has its flag", () => {
    expect(Object.values(HEALTH_FLAGS).sort()).toEqual([...HEALTH_FIELDS].sort());
    expect(flagOf("lossRecoverPct")).toBe("--loss-recover-pct");
  });
  it("a bad value names the flag and the schema's message", () => {
    expect(err(["health", "set", "ISP1", "--interval-ms", "50"])).toBe('--interval-ms: "50": Interval must be between 100 and 60000 ms');
    expect(err(["health", "set", "ISP1", "--targets", "198.51.100.1;reboot"])).toMatch(/^--targets: .*IPv4 address/);
    expect(err(["health", "set", "ISP1", "--targets", "127.0.0.1"])).toMatch(/^--targets: .*reserved/);
    expect(err(["health", "set", "ISP1", "--reliability", "1.5"])).toMatch(/^--reliability: "1.5": Targets that must answer must be a whole number/);
    expect(err(["health", "set", "ISP1", "--targets"])).toBe("--targets needs a value");
  });
  it("refuses what it cannot mean", () => {
    expect(err(["health"])).toMatch(/^health needs show, set or reset/);
    expect(err(["health", "list"])).toMatch(/^unknown health command "list"/);
    expect(err(["health", "set", "ISP1"])).toMatch(/^health set ISP1 needs at least one setting/);
    expect(err(["health", "set"])).toMatch(/^health set needs an ISP/);
    expect(err(["health", "reset"])).toMatch(/^health reset needs an ISP/);
    expect(err(["health", "reset", "ISP1", "--targets", "9.9.9.9"])).toBe("--targets applies to health set only");
    expect(err(["health", "show", "ISP1", "ISP2"])).toBe('unexpected argument "ISP2" for health show');
    expect(err(["health", "set", "a b", "--reliability", "1"])).toMatch(/is not an ISP name/);
    expect(err(["monitor", "--targets", "9.9.9.9"])).toBe("option --targets does not apply to monitor");
  });
});
