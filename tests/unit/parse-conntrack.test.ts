import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { isOpen, parseConntrack } from "@/lib/net/parse/conntrack";
import { goldenPairs } from "../helpers/parse-golden";
import { flowGone, staleFlowDeletes } from "@/lib/net/apply";

const text = fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel/conntrack-list.txt"), "utf8");

describe("conntrack -L", () => {
  goldenPairs("conntrack", (text) => parseConntrack(text));
  it("reads each flow's original source and mark", () => {
    expect(parseConntrack(text).map(({ src, mark }) => ({ src, mark }))).toEqual([
      { src: "192.168.1.101", mark: 2 },
      { src: "192.168.1.100", mark: 1 },
      { src: "192.168.1.100", mark: 257 },
    ]);
  });
  it("empty output: no flows", () => expect(parseConntrack("")).toEqual([]));
  it("both tuples, TCP's state, and the family from the addresses", () => {
    expect(parseConntrack(text)[0]).toEqual({
      family: 4,
      proto: "tcp",
      state: "TIME_WAIT",
      src: "192.168.1.101",
      dst: "198.18.0.1",
      replySrc: "198.18.0.1",
      replyDst: "198.51.100.10",
      mark: 2,
    });
    expect(parseConntrack(text).map(isOpen)).toEqual([false, false, true]);
    expect(
      parseConntrack(
        "icmpv6   58 27 src=2001:db8:1::10 dst=2001:db8:1::1 type=128 code=0 id=1 [UNREPLIED] src=2001:db8:1::1 dst=2001:db8:1::10 type=129 code=0 id=1 mark=0 use=1",
      )[0].family,
    ).toBe(6);
  });

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
