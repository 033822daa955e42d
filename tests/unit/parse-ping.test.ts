import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePingLine, parsePingOutput, parsePingSummary } from "@/lib/net/parse/ping";
import { parseMonitorLinkLine } from "@/lib/net/parse/ip-monitor";
import { parseIpLinkJson } from "@/lib/net/parse/ip-link";
import { goldenPairs } from "../helpers/parse-golden";

const fixture = (name: string) => fs.readFileSync(`tests/fixtures/ping/${name}`, "utf8");

describe("parsePingOutput (captured iputils ping -n -O)", () => {
  goldenPairs("ping", (text) => parsePingOutput(text));
  it("reads every reply with its sequence number and round-trip time", () => {
    const events = parsePingOutput(fixture("replies.txt"));
    expect(events).toHaveLength(10);
    expect(events[0]).toEqual({ kind: "reply", seq: 1, rttMs: 0.588 });
    expect(events.map((e) => e.kind === "reply" && e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
  it("turns 'no answer yet' into losses, repeated sequence numbers included", () => {
    const events = parsePingOutput(fixture("no-answer.txt"));
    expect(events.every((e) => e.kind === "lost")).toBe(true);
    expect(events[0]).toEqual({ kind: "lost", seq: 1 });
    expect(events.filter((e) => e.kind === "lost" && e.seq === 12)).toHaveLength(3);
  });
  it("the header, blank lines and statistics are nothing", () => {
    expect(parsePingOutput("")).toEqual([]);
    expect(parsePingLine("PING 10.9.9.2 (10.9.9.2) from 10.9.9.1 : 56(84) bytes of data.")).toBeNull();
    expect(parsePingLine("--- 10.9.9.2 ping statistics ---")).toBeNull();
    expect(parsePingLine("rtt min/avg/max/mdev = 0.046/0.062/0.081/0.009 ms")).toBeNull();
  });
  it("ICMP errors from a router and send errors are errors, not replies", () => {
    expect(parsePingLine("From 10.9.9.1 icmp_seq=3 Destination Host Unreachable")).toEqual({ kind: "error", seq: 3, text: "Destination Host Unreachable" });
    expect(parsePingLine("ping: sendmsg: Network is unreachable")).toEqual({ kind: "error", seq: null, text: "Network is unreachable" });
  });
  it("sub-millisecond times written time<1 ms still count as replies", () => {
    expect(parsePingLine("64 bytes from 198.18.0.1: icmp_seq=7 ttl=62 time<1 ms")).toEqual({ kind: "reply", seq: 7, rttMs: 1 });
  });
});

describe("link state parsers", () => {
  it("ip -o monitor link (captured): carrier loss and admin down are down, UP is up", async () => {
    const events = fixture("ip-monitor-link.txt").split("\n").filter(Boolean).map(parseMonitorLinkLine);
    expect(events).toEqual([
      { ifname: "hha", up: false },
      { ifname: "hha", up: true },
      { ifname: "hha", up: false },
      { ifname: "hha", up: false },
      { ifname: "hha", up: true },
    ]);
    expect(parseMonitorLinkLine("Deleted 8: hha@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default")).toEqual({
      ifname: "hha",
      up: false,
    });
    expect(parseMonitorLinkLine("")).toBeNull();
  });
  it('ip -json link: the same "up" (carrier)', () => {
    const parseLinkJson = (text: string) => parseIpLinkJson(text).map((l) => ({ ifname: l.name, up: l.carrier }));
    expect(
      parseLinkJson(
        '[{"ifname":"lo","flags":["LOOPBACK","UP"],"operstate":"UNKNOWN"},{"ifname":"wan1","flags":["NO-CARRIER","UP"],"operstate":"DOWN"},{"ifname":"wan2","flags":["UP","LOWER_UP"],"operstate":"UP"}]',
      ),
    ).toEqual([
      { ifname: "lo", up: true },
      { ifname: "wan1", up: false },
      { ifname: "wan2", up: true },
    ]);
    expect(parseLinkJson("")).toEqual([]);
  });
});

describe("parsePingSummary (captured ping -n -q)", () => {
  goldenPairs("ping-summary", (text) => parsePingSummary(text));
  it("empty output: nothing received", () => expect(parsePingSummary("")).toEqual({ received: 0 }));
});
