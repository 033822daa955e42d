// plan on captured kernel output: only owned objects, foreign ones never appear.
import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { classify } from "@/lib/net/observe";
import { planChanges } from "@/lib/net/plan";
import { render } from "@/lib/net/render";
import { classicOffice } from "@/lib/examples";

const fx = (f: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel", f), "utf8");
const captured = () => classify(fx("ip-rule-numeric.json"), fx("ip-route-numeric.json"), fx("iptables-save.txt"));
const empty = () => classify(fx("ip-rule-empty-ns.json"), fx("ip-route-empty-ns.json"), fx("iptables-save-empty-ns.txt"));

describe("observe: owned vs foreign", () => {
  it("splits the captured gateway by rule and route protocol and chain prefix", () => {
    const o = captured();
    expect(o.rules.every((r) => r.protocol === "201")).toBe(true);
    expect(o.foreign.rules.map((r) => r.priority)).toEqual(expect.arrayContaining([0, 5210, 32766, 32767]));
    expect(o.routes.every((r) => r.protocol === "201")).toBe(true);
    expect(o.foreign.routes.some((r) => r.protocol !== "201")).toBe(true);
    expect(o.chains.map((c) => c.name).sort()).toEqual(["SWYD-MARK", "SWYD-POST", "SWYD-PRE"]);
    expect(o.foreign.chains.map((c) => c.name)).toContain("DOCKER");
    expect(o.hooks).toEqual([
      { table: "mangle", chain: "PREROUTING", spec: "-j SWYD-PRE", last: true },
      { table: "nat", chain: "POSTROUTING", spec: "-j SWYD-POST", last: true },
    ]);
  });

  it("an empty namespace owns nothing", () => {
    const o = empty();
    expect([o.rules, o.routes, o.chains, o.hooks]).toEqual([[], [], [], []]);
  });
});

describe("plan", () => {
  it("from nothing: every desired object is added, nothing deleted", () => {
    const desired = render(classicOffice).state;
    const p = planChanges(desired, empty());
    expect(p.routesToReplace).toHaveLength(desired.routes.length);
    expect(p.rulesToAdd).toHaveLength(desired.rules.length);
    expect(p.hooksToAdd).toHaveLength(5);
    expect([p.routesToDelete, p.rulesToDelete, p.chainsToDelete, p.hooksToDelete]).toEqual([[], [], [], []]);
  });

  it("against the captured gateway: never touches a foreign object", () => {
    const o = captured();
    const p = planChanges(render(classicOffice).state, o, classicOffice);
    const touched = [...p.rulesToDelete.map((r) => r.priority), ...p.routesToDelete.map((r) => r.protocol)];
    expect(touched.every((x) => (typeof x === "number" ? x >= 10000 && x <= 10999 : x === "201"))).toBe(true);
    expect(p.lines.some((l) => /DOCKER|5210|docker0/.test(l.text))).toBe(false);
    // without a conntrack listing the plan names no flows to clear
    expect(p.movedHosts).toEqual([]);
  });

  it("desired == observed: an empty plan", () => {
    const desired = render(classicOffice).state;
    expect(planChanges(desired, desired).empty).toBe(true);
  });

  it("names the flows to clear from a conntrack listing, not from the kernel's mark chain", () => {
    const desired = render(classicOffice).state;
    const next = structuredClone(classicOffice);
    next.hosts[0].isp = "ISP2";
    // the kernel already runs `next` (an interrupted apply), the flow still has mark 1
    const p = planChanges(render(next).state, desired, next, [{ src: "192.168.1.100", mark: 1 }]);
    expect(p.movedHosts).toEqual([{ address: "192.168.1.100", name: "office-pc", fromMarks: [1], toMarks: [2], flows: 1 }]);
    expect(p.lines.filter((l) => l.kind === "conntrack")).toHaveLength(1);
  });
});
