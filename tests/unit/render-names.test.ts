// Defence in depth: an ISP name becomes a routing-table name (rt_tables.d, the Ruleset page's
// script). Validation refuses anything but [A-Za-z][A-Za-z0-9_-]*; with validation bypassed
// (a hand-edited database, a future code path) render itself refuses, so a newline never
// writes a second line into /etc/iproute2/rt_tables.d/switchyard.conf.
import { describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { render } from "@/lib/net/render";
import { rtTablesText, writeRtTables } from "@/lib/engine/rt-tables-file";

const named = (name: string) => ({ ...classicOffice, isps: classicOffice.isps.map((i, n) => (n === 0 ? { ...i, name } : i)) });
const HOSTILE = ["ISP1\n200 main", "ISP 1", "ISP1\t", "ISP1\r", "ISP\u00001", "ISP1\u0085", "\u00a0ISP1", "", "1ISP", "ISP1#x", "main", `I${"x".repeat(31)}`];

describe("routing-table names in render", () => {
  it.each(HOSTILE.map((n) => [JSON.stringify(n), n]))("refuses the ISP name %s with a clear error", (_shown, name) => {
    expect(() => render(named(name))).toThrow(/routing table name/);
  });
  it("renders valid names as before", () => {
    expect(render(named("Fiber_2-b")).state.rtTables[0]).toEqual({ number: 100, name: "Fiber_2-b" });
  });
  it("the names file refuses them too, and writes nothing", async () => {
    expect(() => rtTablesText([{ number: 100, name: "ISP1\n200\tmain" }])).toThrow(/routing table name/);
    await expect(writeRtTables([{ number: 100, name: "ISP 1" }], "/nonexistent-hw/x.conf")).rejects.toThrow(/routing table name/);
    expect(rtTablesText([{ number: 100, name: "ISP1" }])).toContain("100\tISP1\n");
  });
});
