// `ip -o monitor link address route` (lib/net/parse/ip-monitor.ts): captured streams, line by line.
import { describe, expect, it } from "vitest";
import { parseMonitorLine } from "@/lib/net/parse/ip-monitor";
import { goldenPairs } from "../helpers/parse-golden";

const events = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map(parseMonitorLine)
    .filter((e) => e !== null);

describe("ip -o monitor link address route", () => {
  goldenPairs("ip-monitor", events);
  it("empty input: no events", () => {
    expect(events("")).toEqual([]);
    expect(parseMonitorLine("")).toBeNull();
  });
  it("a deleted link is down", () => {
    expect(parseMonitorLine("Deleted 8: hha@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default")).toEqual({
      kind: "link",
      ifname: "hha",
      up: false,
    });
  });
});
