import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRouteGetBatch } from "@/lib/net/parse/route-get";
import { parseRtTables } from "@/lib/net/parse/rt-tables";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel", name), "utf8");
const input = fixture("route-get-batch.input.txt").trimEnd().split("\n");

const ISP1 = { dst: "198.18.0.1", gateway: "203.0.113.1", dev: "eth0", table: 100, mark: 1 };
const ISP2 = { dst: "198.18.0.1", gateway: "198.51.100.1", dev: "eth1", table: 200, mark: 2 };

describe("parseRouteGetBatch (ip -json -force -batch -, captured)", () => {
  it("matches results to input lines using stderr", () => {
    const out = parseRouteGetBatch(fixture("route-get-batch.stdout.txt"), {
      stderr: fixture("route-get-batch.stderr.txt"),
      input,
    });
    expect(out).toEqual([
      ISP1,
      ISP2,
      { dst: "198.18.0.1", error: "Invalid argument" }, // a local address as source from lan0
      { dst: "10.99.1.1", error: "No route to host" }, // unreachable route in table 200
      { dst: "198.18.0.1", gateway: "203.0.113.1", dev: "eth0", table: 254 }, // no mark: main, no "table" key
      { dst: "203.0.113.50", dev: "eth0", table: 254, mark: 1 }, // connected route wins via suppress_prefixlength
      { dst: "198.18.0.1", gateway: "198.51.100.1", dev: "eth1", src: "198.51.100.10", table: 200, mark: 2 },
      { ...ISP1, mark: 0x101 }, // fwmark 0x1/0xff ignores the upper bits
      { dst: "notanaddress", error: 'any valid prefix is expected rather than "notanaddress".' },
      { dst: "198.18.0.1", error: "not run: ip -batch stopped at an earlier line" },
    ]);
  });

  it("without the input, still places errors (dst unknown)", () => {
    const out = parseRouteGetBatch(fixture("route-get-batch.stdout.txt"), { stderr: fixture("route-get-batch.stderr.txt") });
    expect(out).toHaveLength(9);
    expect(out[2]).toEqual({ dst: "", error: "Invalid argument" });
    expect(out[8]).toEqual({ dst: "", error: 'any valid prefix is expected rather than "notanaddress".' });
  });

  it("marks the lines ip never ran without -force", () => {
    const out = parseRouteGetBatch(fixture("route-get-batch-noforce.stdout.txt"), {
      stderr: fixture("route-get-batch-noforce.stderr.txt"),
      input,
    });
    expect(out.slice(0, 3)).toEqual([ISP1, ISP2, { dst: "198.18.0.1", error: "Invalid argument" }]);
    expect(out.slice(3).every((r) => r.error?.startsWith("not run"))).toBe(true);
    expect(out).toHaveLength(10);
  });

  it("resolves table names", () => {
    const names = parseRtTables(fixture("rt_tables"));
    expect(parseRouteGetBatch(fixture("route-get-batch-named.stdout.txt"), { tableNames: names })).toEqual([ISP1, ISP2]);
  });

  it("handles empty output and malformed JSON", () => {
    expect(parseRouteGetBatch("")).toEqual([]);
    expect(() => parseRouteGetBatch('[{"dst":"1.2.3.4",')).toThrow(/ip route get: output is not valid JSON/);
    expect(() => parseRouteGetBatch("[]")).toThrow(/ip route get: no route/);
    expect(() => parseRouteGetBatch(fixture("route-get-batch.stdout.txt"), { input: input.slice(0, 2) })).toThrow(/more results than input lines/);
  });
});
