// A lab apply converges the lab's links but leaves an injected link-down fault in place
// (converge.ts configureLines on the observed state), and the faults still in force are
// named with the command that restores them (faults.ts faultNotes).
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { configureLines, FAULT_TAG, splitAlias, type ObservedNs } from "@/lib/lab/converge";
import { faultNotes, faultRules } from "@/lib/lab/faults";
import { labTopology } from "@/lib/lab/topology";

// ISP1's NAT address outside its link net: the ISP namespace routes it back over cust0
const config = { ...classicOffice, natAddresses: [...classicOffice.natAddresses, { address: "192.0.2.77", isp: "ISP1", isDefault: false, host: null }] };
const t = labTopology(config, "hi");
const ns = "hi-isp1";
const observed = (ifalias: string): ObservedNs => ({
  links: new Map([
    ["cust0", { ...splitAlias(ifalias), addrs: ["203.0.113.1/24"] }],
    ["core0", { ...splitAlias("sylab:hi-inet/isp1"), addrs: [] }],
  ]),
  routes: [],
});

describe("converging the lab around an injected fault", () => {
  it("splitAlias tells the lab's alias from the fault tag", () => {
    expect(splitAlias(`sylab:hi-gw/eth0${FAULT_TAG}`)).toEqual({ alias: "sylab:hi-gw/eth0", faultDown: true });
    expect(splitAlias("sylab:hi-gw/eth0")).toEqual({ alias: "sylab:hi-gw/eth0", faultDown: false });
    expect(splitAlias(`docker0${FAULT_TAG}`)).toEqual({ alias: `docker0${FAULT_TAG}`, faultDown: false }); // not the lab's
    expect(splitAlias(undefined)).toEqual({ alias: undefined, faultDown: false });
  });

  it("a link down for another reason is brought up, with its routes", () => {
    const lines = configureLines(t, ns, observed("sylab:hi-gw/eth0"));
    expect(lines).toContain("link set dev cust0 up");
    expect(lines).toContain("route replace 192.0.2.77/32 via 203.0.113.10 dev cust0");
  });

  it("a link held down by a fault stays down, keeps its tag, and its routes wait", () => {
    const lines = configureLines(t, ns, observed(`sylab:hi-gw/eth0${FAULT_TAG}`));
    expect(lines).not.toContain("link set dev cust0 up");
    expect(lines.filter((l) => l.includes("cust0") && !l.startsWith("addr "))).toEqual([]);
    expect(lines).toContain("link set dev core0 up");
  });
});

describe("fault notes", () => {
  const status = (isp: string, linkDownByFault: boolean, rules: string[]) => ({ isp, namespace: "x", linkUp: !linkDownByFault, linkDownByFault, rules });
  it("names each fault in force and how to restore it", () => {
    const notes = faultNotes([status("ISP1", false, faultRules({ kind: "loss", pct: 30 })), status("ISP2", true, [])], "sy");
    expect(notes).toEqual([
      "ISP1: 30% loss by an injected lab fault (restore with: switchyard lab fault ISP1 restore)",
      "ISP2: link down by an injected lab fault (restore with: switchyard lab fault ISP2 restore)",
    ]);
    expect(faultNotes([status("ISP2", false, faultRules({ kind: "upstream-down" }))], "hi")).toEqual([
      "ISP2: upstream down by an injected lab fault (restore with: switchyard --lab hi lab fault ISP2 restore)",
    ]);
    expect(faultNotes([status("ISP1", false, [])], "sy")).toEqual([]);
  });
});
