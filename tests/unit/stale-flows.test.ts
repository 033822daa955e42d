// The conntrack rule: every flow from a LAN source whose mark is not the mark that
// source has now is stale, whatever the kernel's mark chain says.
import { describe, expect, it } from "vitest";
import { expectedMarks, staleFlows } from "@/lib/net/plan";
import { classicOffice } from "@/lib/examples";

describe("staleFlows", () => {
  it("a listed host: its ISP's mark; an unlisted LAN address: the default ISP's", () => {
    expect(expectedMarks(classicOffice, "192.168.1.101")).toEqual([2]);
    expect(expectedMarks(classicOffice, "192.168.1.77")).toEqual([1]);
  });

  it("an unlisted address keeps a stale ISP when the default ISP changes: its flows are cleared", () => {
    const next = structuredClone(classicOffice);
    next.settings.defaultIsp = "ISP2";
    const flows = [
      { src: "192.168.1.77", mark: 1 },
      { src: "192.168.1.77", mark: 1 },
      { src: "192.168.1.100", mark: 1 },
      { src: "192.168.1.101", mark: 2 },
    ];
    // office-pc is assigned to ISP1 explicitly: it stays; laptop already has ISP2's mark
    expect(staleFlows(next, flows)).toEqual([{ address: "192.168.1.77", name: null, fromMarks: [1], toMarks: [2], flows: 2 }]);
  });

  it("an ISP disabled: its hosts' flows move to the default ISP", () => {
    const next = structuredClone(classicOffice);
    next.isps[1].enabled = false;
    expect(staleFlows(next, [{ src: "192.168.1.101", mark: 2 }])).toEqual([
      { address: "192.168.1.101", name: "laptop", fromMarks: [2], toMarks: [1], flows: 1 },
    ]);
  });

  it("unmarked flows of a host (before the first apply) are stale; foreign bits above the mask are ignored", () => {
    expect(
      staleFlows(classicOffice, [
        { src: "192.168.1.100", mark: 0 },
        { src: "192.168.1.100", mark: 0x101 },
      ]),
    ).toEqual([{ address: "192.168.1.100", name: "office-pc", fromMarks: [0], toMarks: [1], flows: 1 }]);
  });

  it("the gateway's own address and sources outside the LAN are never touched", () => {
    expect(
      staleFlows(classicOffice, [
        { src: "192.168.1.1", mark: 0 },
        { src: "198.18.0.1", mark: 0 },
        { src: "10.0.0.5", mark: 7 },
      ]),
    ).toEqual([]);
  });

  it("no usable ISP: a marked flow is stale (no mark is right now)", () => {
    const none = structuredClone(classicOffice);
    none.isps.forEach((i) => (i.enabled = false));
    expect(staleFlows(none, [{ src: "192.168.1.100", mark: 1 }])[0]).toMatchObject({ toMarks: [], fromMarks: [1] });
  });
});
