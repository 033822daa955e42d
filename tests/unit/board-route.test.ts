// The board's words for where a policy sends a host now (components/board/route.ts) and its
// column ids (components/board/dnd.ts): pure, so tested on their own.
import { describe, expect, it } from "vitest";
import { policyCard, routeWords, UNREACHABLE } from "@/components/board/route";
import { columnId, placeOfColumn, samePlace } from "@/components/board/dnd";
import type { BoardRoute } from "@/components/board/types";

const split: BoardRoute = {
  policy: "split",
  isps: [
    { name: "fiber", weight: 2 },
    { name: "lte", weight: 1 },
  ],
  sticky: false,
  unreachable: false,
  because: null,
};
const three: BoardRoute = { ...split, isps: [...split.isps, { name: "dsl", weight: 1 }] };

describe("where a policy host goes now", () => {
  it("with every ISP up: its first tier, balanced with the weights", () => {
    expect(policyCard(split, undefined)).toEqual({ goes: "fiber or lte (balanced 2:1)", expectedIsps: ["fiber", "lte"] });
    expect(policyCard({ ...split, sticky: true }, undefined).goes).toBe("fiber or lte (balanced 2:1, sticky)");
    expect(policyCard({ ...split, isps: [split.isps[0]] }, undefined)).toEqual({ goes: "fiber", expectedIsps: ["fiber"] });
  });

  it("moved by the monitor: where to and why, the weights kept for what is left of the tier", () => {
    expect(policyCard(split, { host: "laptop", from: "fiber+lte", to: "lte", because: "failover: fiber down" })).toEqual({
      failover: "lte, failover: fiber down",
      expectedIsps: ["lte"],
    });
    expect(policyCard(three, { host: "laptop", from: "fiber+lte+dsl", to: "fiber+dsl", because: "failover: lte down" }).failover).toBe(
      "fiber or dsl (balanced 2:1), failover: lte down",
    );
    // a later tier: no weights known on the board
    expect(policyCard(split, { host: "laptop", from: "fiber+lte", to: "cable+dsl", because: "failover: fiber, lte down" }).failover).toBe(
      "cable or dsl (balanced), failover: fiber, lte down",
    );
  });

  it("unreachable: said so, and no ISP is expected to carry its flows", () => {
    expect(policyCard(split, { host: "laptop", from: "fiber+lte", to: "unreachable", because: "unreachable: fiber, lte down" })).toEqual({
      unreachable: UNREACHABLE,
      expectedIsps: [],
    });
    expect(policyCard({ ...split, isps: [], unreachable: true, because: "unreachable: no ISP of it is enabled" }, undefined)).toEqual({
      unreachable: UNREACHABLE,
      expectedIsps: [],
    });
  });

  it("routeWords without weights", () => expect(routeWords([{ name: "a" }, { name: "b" }])).toBe("a or b (balanced)"));
});

describe("board columns", () => {
  it("an ISP, a policy and the default each have their own id, and back", () => {
    for (const p of [{ isp: "ISP1" }, { policy: "split" }, null]) expect(placeOfColumn(columnId(p))).toEqual(p);
    expect(columnId({ isp: "split" })).not.toBe(columnId({ policy: "split" }));
    expect(samePlace({ policy: "split" }, { policy: "split" })).toBe(true);
    expect(samePlace({ isp: "ISP1" }, null)).toBe(false);
  });
});
