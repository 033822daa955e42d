// After a recovery puts the old rules back: the connections opened under the interrupted
// configuration (they carry its marks) are the ones cleared, and nothing else; and a plan that
// lists flows to clear is not "empty".
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { planChanges } from "@/lib/net/plan";
import { render } from "@/lib/net/render";
import { undoneFlows } from "@/lib/net/undone-flows";

// the interrupted apply moved office-pc (192.168.1.100) from ISP1 (mark 1) to ISP2 (mark 2)
const interrupted = structuredClone(classicOffice);
interrupted.hosts[0].isp = "ISP2";

describe("undoneFlows", () => {
  it("clears a host's flows that carry the mark only the interrupted configuration gave it", () => {
    const flows = [
      { src: "192.168.1.100", mark: 2 }, // opened while the interrupted rules ran
      { src: "192.168.1.100", mark: 2 },
      { src: "192.168.1.100", mark: 1 }, // older, under the restored rules: right again
      { src: "192.168.1.101", mark: 2 }, // laptop: ISP2 in both
      { src: "192.168.1.77", mark: 1 }, // unlisted: the default ISP in both
    ];
    expect(undoneFlows(interrupted, classicOffice, flows)).toEqual([{ address: "192.168.1.100", name: "office-pc", fromMarks: [2], toMarks: [1], flows: 2 }]);
  });

  it("IPv6: a host's flows from any of its addresses (known by its MAC) are undone like its IPv4 ones", () => {
    const dual = (c: typeof classicOffice) => {
      const d = structuredClone(c);
      d.isps[0].ipv6 = { prefix: "2001:db8:a::/48", gateway: "fe80::1" };
      d.isps[1].ipv6 = { prefix: "2001:db8:b::/48", gateway: "fe80::1" };
      d.settings.lanSubnets6 = ["2001:db8:a:1::1/64", "2001:db8:b:1::1/64"];
      d.hosts[0].mac = "02:00:5e:00:00:64";
      return d;
    };
    const pc = "02:00:5e:00:00:64";
    expect(
      undoneFlows(dual(interrupted), dual(classicOffice), [
        { src: "2001:db8:a:1::64", mark: 2, mac: pc }, // office-pc under the interrupted rules
        { src: "2001:db8:b:1::dead:beef", mark: 2, mac: pc }, // a privacy address of the same host
        { src: "2001:db8:a:1::64", mark: 1, mac: pc }, // right again after the recovery
        { src: "2001:db8:a:1::77", mark: 1, mac: "02:00:5e:00:00:77" }, // unlisted: the default ISP in both
        { src: "2001:db8:a:1::1", mark: 2 }, // the gateway's own
      ]),
    ).toEqual([
      { address: "2001:db8:a:1::64", name: "office-pc", fromMarks: [2], toMarks: [1], flows: 1 },
      { address: "2001:db8:b:1::dead:beef", name: "office-pc", fromMarks: [2], toMarks: [1], flows: 1 },
    ]);
  });

  it("leaves marks neither configuration gives (foreign) and addresses outside the LAN alone", () => {
    expect(
      undoneFlows(interrupted, classicOffice, [
        { src: "192.168.1.100", mark: 7 },
        { src: "10.9.9.9", mark: 2 },
        { src: "192.168.1.1", mark: 2 },
      ]),
    ).toEqual([]);
  });

  it("nothing of Switchyard's ran before: every mark the interrupted configuration gave is undone", () => {
    expect(
      undoneFlows(classicOffice, null, [
        { src: "192.168.1.100", mark: 1 },
        { src: "192.168.1.100", mark: 0 },
      ]),
    ).toEqual([{ address: "192.168.1.100", name: "office-pc", fromMarks: [1], toMarks: [], flows: 1 }]);
  });
});

describe("a plan with flows to clear", () => {
  it("is not empty: the kernel matches, but connections would be cleared", () => {
    const desired = render(classicOffice).state;
    const same = planChanges(desired, desired, classicOffice, []);
    expect(same).toMatchObject({ empty: true, lines: [] });
    const withFlows = planChanges(desired, desired, classicOffice, [{ src: "192.168.1.100", mark: 2 }]);
    expect(withFlows.lines.map((l) => l.kind)).toEqual(["conntrack"]);
    expect(withFlows.empty).toBe(false);
  });
});
