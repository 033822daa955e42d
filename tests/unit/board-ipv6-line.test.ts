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
    // no MAC: its IPv6 is one of the unlisted hosts' (they use fiber, translating; or cable, without IPv6)
    expect(ipv6Line(false, ["cable"], both, [], ["fiber"])).toBe("no MAC: IPv6 by fiber, as the unlisted hosts'");
    expect(ipv6Line(false, ["fiber"], both, [], ["cable"])).toBe("no MAC: IPv6 follows its address");
    expect(ipv6Line(false, ["fiber"], both, ["dsl"], ["dsl"])).toBe("no MAC: IPv6 refused, as the unlisted hosts'");
  });
});
