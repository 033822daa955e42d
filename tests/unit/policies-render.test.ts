// Policies in the renderer: what each target chain says, with and without ISPs down.
// The printed forms (probability, HMARK) are the ones iptables-save prints: a kernel
// test (tests/kernel/policies.test.ts) applies them and checks the re-plan is empty.
import { describe, expect, it } from "vitest";
import { render } from "@/lib/net/render";
import { hashBuckets, iptProbability, targetRules } from "@/lib/net/firewall/iptables/render";
import { describePolicy, resolveHost } from "@/lib/net/render/targets";
import { planFailover } from "@/lib/health/effective";
import { staleFlows } from "@/lib/net/plan";
import { threeIsps } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { validateConfig } from "@/lib/validation";

// fiber (mark 3, table 10), cable (4, 20), lte (5, 30)
const base: GatewayConfig = {
  ...structuredClone(threeIsps),
  policies: [
    {
      name: "fiber-first",
      members: [
        { isp: "fiber", tier: 1, weight: 1 },
        { isp: "lte", tier: 2, weight: 1 },
      ],
      sticky: false,
      lastResort: null,
      notes: "",
    },
    {
      name: "split",
      members: [
        { isp: "fiber", tier: 1, weight: 2 },
        { isp: "cable", tier: 1, weight: 1 },
      ],
      sticky: false,
      lastResort: "lte",
      notes: "",
    },
    {
      name: "bank",
      members: [
        { isp: "fiber", tier: 1, weight: 2 },
        { isp: "cable", tier: 1, weight: 1 },
      ],
      sticky: true,
      lastResort: null,
      notes: "",
    },
  ],
};
base.natAddresses = base.natAddresses.map((n) => ({ ...n, host: null }));
base.hosts = [
  { name: "a", address: "10.20.0.10", mac: null, isp: null, policy: "fiber-first", notes: "" },
  { name: "b", address: "10.20.0.11", mac: null, isp: null, policy: "split", notes: "" },
  { name: "c", address: "10.20.0.12", mac: null, isp: null, policy: "bank", notes: "" },
  { name: "d", address: "10.20.0.13", mac: null, isp: "cable", notes: "" },
];
const chain = (c: GatewayConfig, name: string) =>
  render(c)
    .state.chains.find((x) => x.name === name)!
    .rules.map((r) => r.spec);
const down = (...isps: string[]): GatewayConfig => planFailover(base, Object.fromEntries(isps.map((i) => [i, { state: "down" as const }]))).config;

describe("policy target chains", () => {
  it("validates, and each host jumps to its policy's chain", () => {
    expect(validateConfig(base)).toMatchObject({ ok: true });
    expect(chain(base, "SWYD-MARK")).toEqual([
      "-s 10.20.0.10/32 -j SWYD-P-fiber-first",
      "-s 10.20.0.11/32 -j SWYD-P-split",
      "-s 10.20.0.12/32 -j SWYD-P-bank",
      "-s 10.20.0.13/32 -j SWYD-ISP20",
      "-m mark --mark 0x0/0xff -j SWYD-ISP10",
    ]);
  });

  it("failover order: the first tier while it is up, the next when it is down, unreachable when none is", () => {
    expect(chain(base, "SWYD-P-fiber-first")).toEqual(["-j MARK --set-xmark 0x3/0xff"]);
    expect(chain(down("fiber"), "SWYD-P-fiber-first")).toEqual(["-j MARK --set-xmark 0x5/0xff"]);
    expect(chain(down("fiber", "lte"), "SWYD-P-fiber-first")).toEqual(["-j MARK --set-xmark 0xff/0xff"]);
    expect(render(base).state.rules).toContainEqual(expect.objectContaining({ fwmark: 0xff, fwmask: 0xff, action: "unreachable" }));
    // never an ISP the policy does not allow, even with cable up
    expect(resolveHost(down("fiber", "lte"), base.hosts[0])).toMatchObject({ unreachable: true, because: "unreachable: fiber, lte down" });
  });

  it("balanced 2:1 per connection: each rule takes its share of what is left, as iptables prints it", () => {
    expect(chain(base, "SWYD-P-split")).toEqual([
      "-m mark --mark 0x0/0xff -m statistic --mode random --probability 0.66666666651 -j MARK --set-xmark 0x3/0xff",
      "-m mark --mark 0x0/0xff -j MARK --set-xmark 0x4/0xff",
    ]);
    // a member down: the rest of its tier; all down: the last resort ISP
    expect(chain(down("fiber"), "SWYD-P-split")).toEqual(["-j MARK --set-xmark 0x4/0xff"]);
    expect(chain(down("fiber", "cable"), "SWYD-P-split")).toEqual(["-j MARK --set-xmark 0x5/0xff"]);
    expect(resolveHost(down("fiber", "cable"), base.hosts[1])?.because).toBe("last resort: fiber, cable down");
  });

  it("sticky: a hash of source and destination into buckets by weight", () => {
    expect(chain(base, "SWYD-P-bank")).toEqual([
      "-j HMARK --hmark-src-prefix 32 --hmark-dst-prefix 32 --hmark-rnd 0x00005759 --hmark-mod 3 --hmark-offset 65536",
      "-m mark --mark 0x10000 -j MARK --set-xmark 0x3/0xffffffff",
      "-m mark --mark 0x10001 -j MARK --set-xmark 0x3/0xffffffff",
      "-m mark --mark 0x10002 -j MARK --set-xmark 0x4/0xffffffff",
    ]);
  });

  it("probabilities and buckets", () => {
    expect(iptProbability(0.5)).toBe("0.50000000000");
    expect(iptProbability(1 / 3)).toBe("0.33333333349");
    expect(hashBuckets([2, 4])).toEqual([1, 2]);
    expect(hashBuckets([100, 50, 1]).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(64);
    // three members 1:1:1 per connection: 1/3, then 1/2 of the rest, then the rest
    const r = targetRules({ isps: base.isps.map((isp) => ({ isp, weight: 1 })), sticky: false, unreachable: false, because: null });
    expect(r.map((x) => /probability (\S+)/.exec(x)?.[1] ?? "rest")).toEqual(["0.33333333349", "0.50000000000", "rest"]);
  });

  it("a failover rewrites only target chains, whatever the number of hosts", () => {
    const many: GatewayConfig = {
      ...base,
      hosts: [
        ...base.hosts,
        ...Array.from({ length: 500 }, (_, i) => ({
          name: `h${i}`,
          address: `10.20.${1 + (i >> 8)}.${(i & 255) + 1}`,
          mac: null,
          isp: i % 2 ? "cable" : null,
          policy: i % 3 === 0 && i % 2 === 0 ? "split" : null,
          notes: "",
        })),
      ],
    };
    const a = render(many).state.chains;
    const b = render(planFailover(many, { fiber: { state: "down" } }).config).state.chains;
    const changed = b.filter((c) => JSON.stringify(c) !== JSON.stringify(a.find((o) => o.name === c.name))).map((c) => c.name);
    expect(changed).toEqual(["SWYD-ISP10", "SWYD-P-bank", "SWYD-P-fiber-first", "SWYD-P-split"]);
  });

  it("in words", () => {
    expect(describePolicy(base.policies![0])).toBe("fiber, then lte, else unreachable");
    expect(describePolicy(base.policies![1])).toBe("balanced 2:1 (fiber, cable), last resort lte");
    expect(describePolicy(base.policies![2])).toBe("balanced 2:1 (fiber, cable) sticky, else unreachable");
  });
});

describe("stale flows with policies and failback", () => {
  it("a balanced host's flows on any member are fine; on a down member they are cleared", () => {
    expect(
      staleFlows(base, [
        { src: "10.20.0.11", mark: 3 },
        { src: "10.20.0.11", mark: 4 },
      ]),
    ).toEqual([]);
    expect(
      staleFlows(down("fiber"), [
        { src: "10.20.0.11", mark: 3 },
        { src: "10.20.0.11", mark: 4 },
      ]),
    ).toEqual([{ address: "10.20.0.11", name: "b", fromMarks: [3], toMarks: [4], flows: 1 }]);
  });

  it("failback: move clears flows left on the backup when the first choice is back; keep leaves them", () => {
    const back = [{ src: "10.20.0.10", mark: 5 }]; // host a on lte, its fiber is up again
    expect(staleFlows(base, back)).toMatchObject([{ address: "10.20.0.10", fromMarks: [5], toMarks: [3] }]);
    expect(staleFlows(base, back, { keepOnUpIsps: true })).toEqual([]);
    // keep never keeps a flow on an ISP that is down
    expect(staleFlows(down("lte"), back, { keepOnUpIsps: true })).toHaveLength(1);
  });
});

describe("policy validation", () => {
  const issues = (c: GatewayConfig) => {
    const r = validateConfig(c);
    return r.ok ? [] : r.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  it("refuses what makes no sense, at the field", () => {
    const c = structuredClone(base);
    c.policies![0].members.push({ isp: "fiber", tier: 3, weight: 1 });
    c.policies![1].lastResort = "fiber";
    c.policies![2].name = "cable";
    c.hosts[3].policy = "split";
    expect(issues(c)).toEqual(
      expect.arrayContaining([
        "policies.0.members.2.isp: ISP fiber is already used",
        "policies.1.lastResort: fiber is already in this policy: the last resort is another ISP, or unreachable",
        expect.stringMatching(/^policies\.2\.name: cable is an ISP's name/),
        "hosts.3.policy: Choose one ISP or one policy, not both",
        "hosts.2.policy: There is no policy named bank",
      ]),
    );
    const w = structuredClone(base);
    w.policies![1].members[0].weight = 0;
    expect(issues(w)).toEqual(["policies.1.members.0.weight: Weight must be between 1 and 100 (its share of new connections within its tier)"]);
  });
});
