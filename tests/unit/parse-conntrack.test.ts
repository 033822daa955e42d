import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { parseConntrackList } from "@/lib/net/parse/conntrack";
import { staleFlowDeletes } from "@/lib/net/apply";

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

  it("deletes only a moved host's flows that still carry another ISP's mark", () => {
    const moved = [{ address: "192.168.1.100", name: "pc", fromMark: 1, toMark: 2 }, { address: "192.168.1.50", name: "idle", fromMark: 1, toMark: 2 }];
    // 257 & 0xff = 1: the old ISP's mark with a foreign bit set; one line per stale mark, none for a host without flows
    expect(staleFlowDeletes(moved, parseConntrackList(text))).toEqual(["-D -s 192.168.1.100 --mark 1/0xff"]);
    expect(staleFlowDeletes([{ address: "192.168.1.101", name: "l", fromMark: 2, toMark: 2 }], parseConntrackList(text))).toEqual([]);
  });
});
