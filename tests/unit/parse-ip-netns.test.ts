// `ip -json netns list` (lib/net/parse/ip-netns.ts): golden pairs captured on the machine, the
// empty output, and what the lab lists its namespaces by.
import { describe, expect, it } from "vitest";
import { parseIpNetnsJson } from "@/lib/net/parse/ip-netns";
import { goldenPairs, parseFixture } from "../helpers/parse-golden";

describe("ip -json netns list", () => {
  goldenPairs("ip-netns", (text) => parseIpNetnsJson(text));
  it("empty output is no namespaces", () => expect(parseIpNetnsJson("")).toEqual([]));
  it("a namespace's nsid only where ip prints one", () => {
    expect(parseIpNetnsJson(parseFixture("ip-netns", "ns.txt"))).toEqual([{ name: "cap23a", id: 7 }, { name: "cap23b" }]);
  });
  it("output that is not a JSON array is an error, not an empty list", () => {
    expect(() => parseIpNetnsJson("Error: Peer netns reference is invalid.")).toThrow(/ip netns: output is not valid JSON/);
  });
});
