// `nstat -a -s -z NAME` (lib/net/parse/nstat.ts): the canary's reverse-path drop counter.
import { describe, expect, it } from "vitest";
import { parseNstatCounter } from "@/lib/net/parse/nstat";
import { goldenPairs } from "../helpers/parse-golden";

describe("nstat", () => {
  goldenPairs("nstat", (text) => parseNstatCounter(text, "TcpExtIPReversePathFilter"));
  it("empty output (nstat missing, no such counter): null", () => expect(parseNstatCounter("", "TcpExtIPReversePathFilter")).toBeNull());
  it("reads the value, not the rate", () =>
    expect(parseNstatCounter("#kernel\nTcpExtIPReversePathFilter       17                  0.0\n", "TcpExtIPReversePathFilter")).toBe(17));
});
