// `ip -json link show` (lib/net/parse/ip-link.ts): golden pairs captured in a namespace, the empty
// output, and the one definition of "link up" shared with `ip monitor` and `ip -json addr`.
import { describe, expect, it } from "vitest";
import { parseIpAddrJson } from "@/lib/net/parse/ip-addr";
import { parseIpLinkJson } from "@/lib/net/parse/ip-link";
import { parseMonitorLinkLine } from "@/lib/net/parse/ip-monitor";
import { goldenPairs, parseFixture } from "../helpers/parse-golden";

describe("ip -json link show", () => {
  goldenPairs("ip-link", (text) => parseIpLinkJson(text));
  it("empty output is no links", () => expect(parseIpLinkJson("")).toEqual([]));
  it("up = admin up; carrier = up without NO-CARRIER (a veth whose peer is down, an admin-down link)", () => {
    const links = new Map(parseIpLinkJson(parseFixture("ip-link", "ns.txt")).map((l) => [l.name, l]));
    expect(links.get("wan0")).toMatchObject({ up: true, carrier: true, operstate: "UP", alias: "sylab:up" });
    expect(links.get("dead0")).toMatchObject({ up: true, carrier: false, operstate: "LOWERLAYERDOWN" });
    expect(links.get("dead1")).toMatchObject({ up: false, carrier: false, operstate: "DOWN" });
    expect(links.get("port0")).toMatchObject({ master: "lan0", carrier: true });
  });
  it("ip -json addr reads the same link facts", () => {
    const links = parseIpLinkJson(parseFixture("ip-link", "ns.txt"));
    const addrs = parseIpAddrJson(parseFixture("ip-addr", "ns.txt"));
    expect(addrs.map(({ name, up, carrier, operstate }) => ({ name, up, carrier, operstate }))).toEqual(
      links.map(({ name, up, carrier, operstate }) => ({ name, up, carrier, operstate })),
    );
  });
  it("a monitor line says the same as the JSON (flags UP without NO-CARRIER)", () => {
    expect(
      parseMonitorLinkLine("3: wan2@ppp0: <NO-CARRIER,BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default"),
    ).toEqual({ ifname: "wan2", up: false });
    expect(parseIpLinkJson('[{"ifname":"wan2","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP","LOWER_UP"],"operstate":"LOWERLAYERDOWN"}]')[0].carrier).toBe(
      false,
    );
  });
});
