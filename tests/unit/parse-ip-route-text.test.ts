// The literal view's text parsers: `ip route show table all` per table (lib/net/parse/ip-route-text.ts)
// and `iptables -L -v -n -x` policy counters (lib/net/parse/iptables-list.ts).
import { describe, expect, it } from "vitest";
import { parseRoutesByTable } from "@/lib/net/parse/ip-route-text";
import { chainPolicies } from "@/lib/net/parse/iptables-list";
import { goldenPairs } from "../helpers/parse-golden";

describe("ip route show table all (text)", () => {
  goldenPairs("ip-route-text", (text) => parseRoutesByTable(text));
  it("empty output: no tables", () => expect(parseRoutesByTable("")).toEqual([]));
});

describe("iptables -L -v -n -x", () => {
  goldenPairs("iptables-list", (text) => chainPolicies(text));
  it("empty output: no chains", () => expect(chainPolicies("")).toEqual([]));
});
