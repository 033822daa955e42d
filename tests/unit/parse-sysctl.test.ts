// `sysctl KEY...` (lib/net/parse/sysctl.ts), and the family builders of lib/net/family.ts.
import { describe, expect, it } from "vitest";
import { confSysctl, conntrackListArgs, forwardingSysctl, ipArgs, sysctlFamily } from "@/lib/net/family";
import { parseSysctl } from "@/lib/net/parse/sysctl";
import { goldenPairs } from "../helpers/parse-golden";

describe("sysctl", () => {
  // captured with a key that does not exist (net.ipv4.conf.gone0.rp_filter): sysctl prints the others
  goldenPairs("sysctl", (text) => Object.fromEntries(parseSysctl(text)));
  it("empty output: no values", () => expect(parseSysctl("").size).toBe(0));
  it("the family is in the name", () => {
    expect([...parseSysctl("net.ipv4.ip_forward = 1\nnet.ipv6.conf.all.forwarding = 0\nnet.core.somaxconn = 4096\n").keys()].map(sysctlFamily)).toEqual([
      4,
      6,
      undefined,
    ]);
  });
});

describe("per-family command builders", () => {
  it("spell the family as each tool does; family 4 is what the code ran before", () => {
    expect(["-N", ...ipArgs(4, "-json", "route", "show", "table", "all")]).toEqual(["-N", "-4", "-json", "route", "show", "table", "all"]);
    expect(ipArgs(6, "rule", "show")).toEqual(["-6", "rule", "show"]);
    expect(conntrackListArgs(4)).toEqual(["-L", "-f", "ipv4"]);
    expect(conntrackListArgs(6)).toEqual(["-L", "-f", "ipv6"]);
    expect([forwardingSysctl(4), forwardingSysctl(6)]).toEqual(["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"]);
    expect(confSysctl(4, "all", "src_valid_mark")).toBe("net.ipv4.conf.all.src_valid_mark");
    expect(confSysctl(6, "eth0", "accept_ra")).toBe("net.ipv6.conf.eth0.accept_ra");
  });
});
