import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRtTables, tableNumber } from "@/lib/net/parse/rt-tables";

describe("parseRtTables", () => {
  it("reads the captured file (host defaults plus isp1/isp2, isp2 in hex)", () => {
    const text = fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel/rt_tables"), "utf8");
    expect([...parseRtTables(text)]).toEqual([
      ["local", 255],
      ["main", 254],
      ["default", 253],
      ["unspec", 0],
      ["isp1", 100],
      ["isp2", 200],
    ]);
  });

  it("skips comments, blank and unreadable lines; a later line wins", () => {
    const text = "# c\n\n  0xFE   main2\t# trailing\n12 a\nnot-a-number x\n13\n12 b\n13 a\n99999999999 big\n";
    expect([...parseRtTables(text)]).toEqual([
      ["main2", 254],
      ["a", 13],
      ["b", 12],
    ]);
    expect(parseRtTables("").size).toBe(0);
  });
});

describe("tableNumber", () => {
  it("resolves digits, built-in names and rt_tables names", () => {
    const names = new Map([["isp1", 100]]);
    expect(tableNumber("100")).toBe(100);
    expect(tableNumber(100)).toBe(100);
    expect(tableNumber("main")).toBe(254);
    expect(tableNumber("local")).toBe(255);
    expect(tableNumber("default")).toBe(253);
    expect(tableNumber("isp1", names)).toBe(100);
    expect(() => tableNumber("isp9", names)).toThrow(/unknown routing table name "isp9"/);
    expect(() => tableNumber("")).toThrow(/not a table/);
  });
});
