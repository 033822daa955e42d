import { describe, expect, it } from "vitest";
import { ipv6Line } from "@/lib/board/ipv6-line";

const both = [
  { name: "fiber", translate: true },
  { name: "cable", translate: false },
];

describe("the host card's IPv6 line", () => {
  it("says nothing when no ISP has IPv6", () => {
    expect(ipv6Line(true, ["fiber"], [])).toBeNull();
    expect(ipv6Line(false, ["fiber"], [])).toBeNull();
  });
  it("v4 and v6: a MAC, placed on an ISP with IPv6 that translates", () => {
    expect(ipv6Line(true, ["fiber"], both)).toBe("v4 and v6");
  });
  it("follows its address on an ISP with translation off, or without IPv6 while others have it", () => {
    expect(ipv6Line(true, ["cable"], both)).toBe("IPv6 follows its address");
    expect(ipv6Line(true, ["lte"], both)).toBe("IPv6 follows its address");
    expect(ipv6Line(true, [null], both)).toBe("IPv6 follows its address");
  });
  it("a policy: v4 and v6 only when every ISP it may use translates", () => {
    expect(ipv6Line(true, ["fiber", "cable"], both)).toBe("IPv6 follows its address");
    expect(ipv6Line(true, ["fiber"], [...both, { name: "lte", translate: true }])).toBe("v4 and v6");
    expect(ipv6Line(true, ["fiber", "lte"], [...both, { name: "lte", translate: true }])).toBe("v4 and v6");
  });
  it("no MAC: its IPv6 cannot be matched, wherever it is placed", () => {
    expect(ipv6Line(false, ["fiber"], both)).toBe("no MAC: IPv6 follows its address");
  });
});
