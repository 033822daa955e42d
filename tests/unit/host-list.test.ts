// Long host lists one page at a time, and ?page= as a user types it (lib/data/host-list.ts,
// lib/validation/paging.ts).
import { describe, expect, it } from "vitest";
import { hostCountWords, hostMatches, hostQuery, pageOfHosts } from "@/lib/data/host-list";
import { clampPage, pageFrom } from "@/lib/validation/paging";

const hosts = Array.from({ length: 10_000 }, (_, i) => ({
  name: `host-${i}`,
  address: `10.${Math.floor(i / 250)}.0.${i % 250}`,
  mac: i === 7 ? "AA:BB:CC:00:00:07" : null,
}));

describe("pages of hosts", () => {
  it("10,000 hosts: a page of 100, the last page short, past the last is the last", () => {
    const p1 = pageOfHosts(hosts, (h) => h, "", 1, 100);
    expect(p1.rows).toHaveLength(100);
    expect(p1.pages).toBe(100);
    expect(hostCountWords(p1, hosts.length, "")).toBe("hosts 1-100 of 10000");
    const past = pageOfHosts(hosts, (h) => h, "", 5000, 100);
    expect(past.page).toBe(100);
    expect(past.rows.at(-1)?.name).toBe("host-9999");
  });
  it("the search covers every host (name, address, MAC, any case)", () => {
    expect(pageOfHosts(hosts, (h) => h, "HOST-9999", 1, 100).rows.map((h) => h.name)).toEqual(["host-9999"]);
    expect(pageOfHosts(hosts, (h) => h, "aa:bb", 1, 100).rows.map((h) => h.name)).toEqual(["host-7"]);
    const some = pageOfHosts(hosts, (h) => h, "host-99", 1, 100);
    expect(some.matching).toBe(111);
    expect(hostCountWords(some, hosts.length, "host-99")).toBe("1-100 of 111 of 10000 hosts match");
    expect(hostMatches({ name: "a", address: "10.0.0.1", mac: null }, "")).toBe(true);
  });
  it("a short list is one page and says its count", () => {
    const p = pageOfHosts(hosts.slice(0, 2), (h) => h, "", 1, 100);
    expect(hostCountWords(p, 2, "")).toBe("2 hosts");
    expect(hostQuery(["  q  ", "x"])).toBe("q");
    expect(hostQuery("x".repeat(500))).toHaveLength(100);
  });
});

describe("?page=", () => {
  it.each(["99999999999999999999", "-1", "0", "1e3", "abc", "2.5", " ", "0x10", "１"])("%j is no page: page 1 and why", (q) => {
    const r = pageFrom(q);
    expect(r.page).toBe(1);
    expect(r.refused).toMatch(/^There is no page/);
  });
  it("whole numbers are pages; a repeated parameter takes the first; none is page 1 without a notice", () => {
    expect(pageFrom("42")).toEqual({ page: 42 });
    expect(pageFrom(["3", "4"])).toEqual({ page: 3 });
    expect(pageFrom(undefined)).toEqual({ page: 1 });
    expect(clampPage(42, 3)).toBe(3);
    expect(clampPage(1, 0)).toBe(1);
  });
});
