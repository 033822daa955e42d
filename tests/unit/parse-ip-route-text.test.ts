// The literal view's `ip route show table all`, per table (lib/net/parse/ip-route-text.ts).
import { describe, expect, it } from "vitest";
import { parseRoutesByTable } from "@/lib/net/parse/ip-route-text";
import { goldenPairs } from "../helpers/parse-golden";

describe("ip route show table all (text)", () => {
  goldenPairs("ip-route-text", (text) => parseRoutesByTable(text));
  it("empty output: no tables", () => expect(parseRoutesByTable("")).toEqual([]));
});
