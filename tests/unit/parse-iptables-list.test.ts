// The literal view's `iptables -L -v -n -x` policy counters (lib/net/parse/iptables-list.ts).
import { describe, expect, it } from "vitest";
import { chainPolicies } from "@/lib/net/parse/iptables-list";
import { goldenPairs } from "../helpers/parse-golden";

describe("iptables -L -v -n -x", () => {
  goldenPairs("iptables-list", (text) => chainPolicies(text));
  it("empty output: no chains", () => expect(chainPolicies("")).toEqual([]));
});
