import { describe, expect, it } from "vitest";
import { parseCli } from "@/lib/cli/args";

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
    expect(ok(["lab", "fault", "ISP1", "upstream-down"]).command).toEqual({ name: "lab-fault", isp: "ISP1", fault: { kind: "upstream-down" }, prefix: undefined });
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
