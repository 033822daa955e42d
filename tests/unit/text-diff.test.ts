import { describe, expect, it } from "vitest";
import { diffStats, lineDiff, withContext } from "@/lib/text-diff";

const ops = (a: string, b: string) => lineDiff(a, b).map((l) => `${l.op}${l.text}`);

describe("line diff", () => {
  it("equal texts: every line unchanged, numbered on both sides", () => {
    expect(lineDiff("a\nb\n", "a\nb\n")).toEqual([
      { op: " ", text: "a", a: 1, b: 1 },
      { op: " ", text: "b", a: 2, b: 2 },
    ]);
  });

  it("empty sides", () => {
    expect(ops("", "x\ny")).toEqual(["+x", "+y"]);
    expect(ops("x\ny\n", "")).toEqual(["-x", "-y"]);
    expect(lineDiff("", "")).toEqual([]);
  });

  it("a changed line reads as the old one removed, then the new one added", () => {
    expect(ops("a\nb\nc", "a\nB\nc")).toEqual([" a", "-b", "+B", " c"]);
  });

  it("keeps the longest common run of lines and numbers each side", () => {
    const d = lineDiff("x\na\nb\nc\ny", "a\nq\nb\nc\nz");
    expect(d.map((l) => `${l.op}${l.text}`)).toEqual(["-x", " a", "+q", " b", " c", "-y", "+z"]);
    expect(d.find((l) => l.text === "q")).toEqual({ op: "+", text: "q", b: 2 });
    expect(d.find((l) => l.text === "c")).toEqual({ op: " ", text: "c", a: 4, b: 4 });
    expect(diffStats(d)).toEqual({ added: 2, removed: 2 });
  });

  it("a host moving to another ISP in a ruleset is a two-line change", () => {
    const before = [
      "*mangle",
      "-A SWYD-MARK -s 192.168.1.100/32 -j MARK --set-xmark 0x1/0xff",
      "-A SWYD-MARK -s 192.168.1.101/32 -j MARK --set-xmark 0x2/0xff",
      "COMMIT",
    ].join("\n");
    const after = before.replace("192.168.1.100/32 -j MARK --set-xmark 0x1", "192.168.1.100/32 -j MARK --set-xmark 0x2");
    expect(ops(before, after).filter((l) => !l.startsWith(" "))).toEqual([
      "--A SWYD-MARK -s 192.168.1.100/32 -j MARK --set-xmark 0x1/0xff",
      "+-A SWYD-MARK -s 192.168.1.100/32 -j MARK --set-xmark 0x2/0xff",
    ]);
  });

  it("context: unchanged runs collapse to a marker with their length", () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n");
    const b = a.replace("l10", "L10");
    const c = withContext(lineDiff(a, b), 2);
    expect(c.map((l) => l.skipped ?? `${l.op}${l.text}`)).toEqual([8, " l8", " l9", "-l10", "+L10", " l11", " l12", 7]);
  });
});
