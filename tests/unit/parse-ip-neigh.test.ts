// `ip -json neigh show` and `ip -json -batch -` (lib/net/parse/ip-neigh.ts, ip-batch.ts).
import { describe, expect, it } from "vitest";
import { parseLinkNeighBatch, splitIpJsonBatch } from "@/lib/net/parse/ip-batch";
import { parseIpNeighJson } from "@/lib/net/parse/ip-neigh";
import { goldenPairs } from "../helpers/parse-golden";

describe("ip -json neigh show", () => {
  goldenPairs("ip-neigh", (text) => parseIpNeighJson(text));
  it("empty output is no neighbours", () => expect(parseIpNeighJson("")).toEqual([]));
});

describe("ip -json -batch - (link show, neigh show)", () => {
  goldenPairs("ip-batch", (text) => parseLinkNeighBatch(text));
  it("a batch that stopped early is an error, not an empty list", () => {
    expect(() => parseLinkNeighBatch('[{"ifname":"lo","operstate":"DOWN"}]\n')).toThrow(/expected 2 JSON lines, got 1/);
    expect(() => splitIpJsonBatch("", ["link show"])).toThrow(/expected 1 JSON lines, got 0/);
  });
});
