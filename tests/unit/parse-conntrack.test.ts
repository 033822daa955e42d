import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { parseConntrackList } from "@/lib/net/parse/conntrack";
import { flowGone, staleFlowDeletes } from "@/lib/net/apply";

const text = fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel/conntrack-list.txt"), "utf8");

describe("conntrack -L", () => {
  it("reads each flow's original source and mark", () => {
    expect(parseConntrackList(text)).toEqual([
      { src: "192.168.1.101", mark: 2 },
      { src: "192.168.1.100", mark: 1 },
      { src: "192.168.1.100", mark: 257 },
    ]);
  });
  it("empty output: no flows", () => expect(parseConntrackList("")).toEqual([]));

  it("one delete line per stale (source, mark)", () => {
    const moved = [{ address: "192.168.1.100", name: "pc", fromMarks: [1, 3], toMarks: [2], flows: 2 }];
    expect(staleFlowDeletes(moved)).toEqual(["-D -s 192.168.1.100 --mark 1/0xff", "-D -s 192.168.1.100 --mark 3/0xff"]);
    expect(staleFlowDeletes([])).toEqual([]);
  });

  it("a flow that ended between the listing and the delete is success; other errors are not", () => {
    expect(flowGone("conntrack v1.4.7 (conntrack-tools): Operation failed: such conntrack doesn't exist")).toBe(true);
    expect(flowGone("conntrack v1.4.7 (conntrack-tools): Operation failed: Operation not permitted")).toBe(false);
  });
});
