import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseIpRouteJson } from "@/lib/net/parse/ip-route";
import { parseRtTables } from "@/lib/net/parse/rt-tables";
import { goldenPairs, parseFixture } from "../helpers/parse-golden";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel", name), "utf8");

describe("parseIpRouteJson (ip -4 -json route show table all, captured)", () => {
  const routes = parseIpRouteJson(fixture("ip-route.json"));
  const inTable = (t: number) => routes.filter((r) => r.table === t);

  it("maps Switchyard's routes in tables 100 and 200", () => {
    expect(inTable(100)).toEqual([
      { family: 4, table: 100, dst: "default", gateway: "203.0.113.1", dev: "eth0", protocol: "201" },
      { family: 4, table: 100, dst: "192.168.1.0/24", dev: "lan0", scope: "link", protocol: "201" },
      { family: 4, table: 100, dst: "203.0.113.0/24", dev: "eth0", src: "203.0.113.10", scope: "link", protocol: "201" },
    ]);
    // the unreachable route in 200 is not unicast: left out
    expect(inTable(200).map((r) => r.dst)).toEqual(["default", "192.168.1.0/24", "198.51.100.0/24"]);
  });

  it("puts routes without a table key in main, and keeps foreign ones", () => {
    expect(inTable(254)).toEqual([
      { family: 4, table: 254, dst: "default", gateway: "203.0.113.1", dev: "eth0", protocol: "201", metric: 100 },
      { family: 4, table: 254, dst: "10.20.0.0/16", gateway: "192.168.1.254", dev: "lan0", protocol: "static" },
      { family: 4, table: 254, dst: "192.168.1.0/24", dev: "lan0", src: "192.168.1.1", scope: "link", protocol: "kernel" },
      { family: 4, table: 254, dst: "198.51.100.0/24", dev: "eth1", src: "198.51.100.10", scope: "link", protocol: "kernel" },
      { family: 4, table: 254, dst: "203.0.113.0/24", dev: "eth0", src: "203.0.113.10", scope: "link", protocol: "kernel" },
    ]);
    // a host route prints without "/32"
    expect(inTable(52)).toEqual([{ family: 4, table: 52, dst: "10.30.0.5/32", gateway: "192.168.1.254", dev: "lan0", protocol: "static", metric: 50 }]);
  });

  it("skips local, broadcast, blackhole and unreachable routes", () => {
    expect(inTable(255)).toEqual([]);
    expect(routes).toHaveLength(12);
  });

  it("gives the same result for named (rt_tables, rt_protos.d), numeric (-N) and detailed (-d) output", () => {
    const names = parseRtTables(fixture("rt_tables"));
    expect(parseIpRouteJson(fixture("ip-route-named.json"), names)).toEqual(routes);
    expect(parseIpRouteJson(fixture("ip-route-details.json"), names)).toEqual(routes);
    // -N prints protocols as numbers: only the table/scope/type mapping is shared
    const numeric = parseIpRouteJson(fixture("ip-route-numeric.json"));
    expect(numeric.map(({ protocol, ...r }) => r)).toEqual(routes.map(({ protocol, ...r }) => r));
    expect(numeric.find((r) => r.table === 100)?.protocol).toBe("201");
  });

  it("reads a brand-new namespace and empty output", () => {
    expect(parseIpRouteJson(fixture("ip-route-empty-ns.json"))).toEqual([]);
    expect(parseIpRouteJson("")).toEqual([]);
  });

  it("handles boot protocol, host scope, multipath, and a single-table listing", () => {
    const text = JSON.stringify([
      {
        dst: "10.50.0.0/16",
        protocol: "201",
        flags: [],
        nexthops: [
          { gateway: "10.5.0.2", dev: "v1", weight: 2, flags: [] },
          { gateway: "10.6.0.2", dev: "v2", weight: 1, flags: [] },
        ],
      },
      { dst: "10.52.0.1", dev: "lo", scope: "host", flags: [] },
      { type: "throw", dst: "10.53.0.0/16", flags: [] },
    ]);
    expect(parseIpRouteJson(text, undefined, 9)).toEqual([
      {
        family: 4,
        table: 9,
        dst: "10.50.0.0/16",
        dev: "",
        protocol: "201",
        nexthops: [
          { gateway: "10.5.0.2", dev: "v1", weight: 2 },
          { gateway: "10.6.0.2", dev: "v2", weight: 1 },
        ],
      },
      { family: 4, table: 9, dst: "10.52.0.1/32", dev: "lo", scope: "host", protocol: "boot" },
    ]);
  });

  it("throws a clear error on malformed output", () => {
    expect(() => parseIpRouteJson("[{")).toThrow(/ip route: output is not valid JSON/);
    expect(() => parseIpRouteJson('[{"dev":"eth0"}]')).toThrow(/ip route: entry without dst/);
    expect(() => parseIpRouteJson('[{"dst":"default","dev":"eth0","table":"isp7"}]')).toThrow(/unknown routing table name "isp7"/);
  });
});

describe("ip -4|-6 -N -json route show table all (tests/fixtures/parse/ip-route)", () => {
  // v6.txt was read with `ip -6`: the case name says the family
  goldenPairs("ip-route", (text, name) => parseIpRouteJson(text, undefined, 254, name.startsWith("v6") ? 6 : 4));
  it("tags every route with the family the command was built for", () => {
    const v6 = parseIpRouteJson(parseFixture("ip-route", "v6.txt"), undefined, 254, 6);
    expect(new Set(v6.map((r) => r.family))).toEqual(new Set([6]));
    expect(v6.find((r) => r.dst === "default")).toEqual({
      family: 6,
      table: 254,
      dst: "default",
      gateway: "2001:db8:1::1",
      dev: "wan0",
      protocol: "boot",
      metric: 1024,
    });
    expect(parseIpRouteJson("", undefined, 254, 6)).toEqual([]);
  });
});
