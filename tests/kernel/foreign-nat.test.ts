// Foreign NAT in another netfilter table, on a hand-made gateway (lib/lab/handmade.ts): a
// native nftables chain at nat postrouting that runs before Switchyard's decides the
// address a host leaves with. The override lint reads every table (any family, any
// priority, iptables-nft's and legacy iptables' too), names the rule, fails the hosts it
// rewrites (apply exits non-zero, rolled back), and plan and status say so when the chain
// appears after an apply. Chains that run after Switchyard's, or only accept, are harmless
// (a connection is NATed once, by the first chain that maps it): no alarm. Both backends
// (SWITCHYARD_FIREWALL=nftables for the second run).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { buildHandmade, TARGETS, type Handmade } from "@/lib/lab/handmade";
import type { GatewayConfig } from "@/lib/model";
import { netns, run } from "@/lib/net/exec";
import { switchyard, tempDatabase } from "../helpers/processes";

let g: Handmade;
let config: GatewayConfig;
let db: Awaited<ReturnType<typeof tempDatabase>>;
const targets = { Fiber: TARGETS, LTE: TARGETS };
const managed = () => resolveTarget({ netns: g.gw });
const gw = () => netns(g.gw);
const nft = (text: string) => run(gw(), "nft", ["-f", "-"], { input: text });
const apply = () => applyAndVerify(config, managed(), { canaryTargets: targets });
const host = (r: Awaited<ReturnType<typeof apply>>, name: string) => r.verification?.hosts.find((h) => h.name === name);
const canary = (r: Awaited<ReturnType<typeof apply>>, target: string) => r.verification?.canary?.proofs.find((p) => p.target === target);

/** A chain at nat postrouting, in its own table, that SNATs the LAN leaving the fiber to the gateway's second fiber address. */
const snatChain = (table: string, priority: number | string) =>
  `table ${table} {\n chain post { type nat hook postrouting priority ${priority}; oifname "enp1s0" ip saddr 10.20.0.0/24 snat ip to 203.0.113.3; }\n}\n`;

beforeAll(async () => {
  g = await buildHandmade("tfnat", { rpFilter: "strict", srcValidMark: 1 });
  config = { ...g.config, settings: { ...g.config.settings, canary: { enabled: true } } };
  // the address a former admin's NAT used: on the gateway, so the foreign SNAT works
  await run(gw(), "ip", ["addr", "add", "203.0.113.3/24", "dev", "enp1s0"]);
  const first = await apply();
  expect(first.error).toBeUndefined();
  expect(first.ok).toBe(true);
}, 120_000);
afterAll(async () => {
  await g?.destroy();
  await db?.cleanup();
});

describe("a foreign NAT chain that runs before Switchyard's", () => {
  for (const [table, priority] of [
    ["ip nat", 0],
    ["inet early", -100],
  ] as const) {
    it(`at priority ${priority} (table ${table}): apply fails, naming it, and fails the hosts it rewrites`, async () => {
      await nft(snatChain(table, priority));
      try {
        // the kernel fact: the desk really leaves with the foreign address
        expect(await g.connect("h1")).toBe("203.0.113.3");
        const r = await apply();
        expect(r.ok).toBe(false);
        expect(r.failedStep).toBe("verify");
        // nft prints the family of an snat only in an inet table
        const object = `nft table ${table} chain post (hook postrouting priority ${priority}): oifname "enp1s0" ip saddr 10.20.0.0/24 snat ${table.startsWith("inet") ? "ip " : ""}to 203.0.113.3`;
        expect(r.verification!.overrides!.map((o) => o.object)).toEqual([object]);
        expect(host(r, "desk")).toMatchObject({ ok: false, overriddenBy: [object] });
        expect(host(r, "desk")!.reason).toMatch(/overridden by foreign nft table .* NATs to 203\.0\.113\.3 LAN traffic leaving enp1s0 before Switchyard's/);
        // the phone leaves through LTE: not rewritten
        expect(host(r, "phone")).toMatchObject({ ok: true });
        // the canary proves it with packets too
        expect(canary(r, "Fiber")).toMatchObject({ ok: false, seenAs: "203.0.113.3" });
        expect(canary(r, "Fiber")!.reason).toMatch(/left as 203\.0\.113\.3, expected 203\.0\.113\.2/);
        expect(canary(r, "LTE")!.ok).toBe(true);
      } finally {
        // only the chain: on the iptables backend `ip nat` is iptables-nft's table, with Switchyard's jump in it
        await run(gw(), "nft", ["delete", "chain", ...table.split(" "), "post"]);
        // the desk's connection NATed by it stays in conntrack (verification would count it as wrong evidence)
        await run(gw(), "conntrack", ["-F"], { allowFailure: true });
      }
    });
  }
});

describe("a foreign mark write in another table", () => {
  const nftBackend = () => process.env.SWITCHYARD_FIREWALL === "nftables";
  it("before Switchyard's marking (priority -200): on nftables the phone does not leave as configured and the apply names it; on iptables SWYD-PRE's restore clears it", async () => {
    await nft(
      "table inet marks {\n chain early { type filter hook prerouting priority -200; ip saddr 10.20.0.60 meta mark set meta mark & 0xffffff00 | 0x3; }\n}\n",
    );
    try {
      const seen = await g.connect("h2");
      const r = await apply();
      const o = r.verification!.overrides!.find((x) => x.object.startsWith("nft table inet marks chain early (hook prerouting priority -200)"));
      if (nftBackend()) {
        // nftables leaves a marked packet alone: the phone does not leave through LTE (measured: its connection fails)
        expect(seen).not.toBe("198.51.100.2");
        expect(r.ok).toBe(false);
        expect(host(r, "phone")!.reason).toMatch(
          /overridden by foreign nft table inet marks chain early \(hook prerouting priority -200\): .*before Switchyard's marking/,
        );
      } else {
        // iptables restores the connection's bits (0 for a new one) first: the write is gone
        expect(seen).toBe("198.51.100.2");
        expect(o).toMatchObject({ neutralised: true });
        expect(r.ok).toBe(true);
      }
      expect(host(r, "desk")!.ok).toBe(true);
    } finally {
      await run(gw(), "nft", ["delete", "table", "inet", "marks"]);
      await run(gw(), "conntrack", ["-F"], { allowFailure: true });
    }
  });
  it("between Switchyard's marking and its re-assertion (priority -145): undone on nftables, deciding on iptables (after all of mangle)", async () => {
    await nft('table inet marks {\n chain between { type filter hook prerouting priority -145; iifname "br-lan" ip saddr 10.20.0.60 meta mark set 0x3; }\n}\n');
    try {
      const seen = await g.connect("h2");
      // measured on iptables: the phone's connection fails (its packets carry the fiber's mark)
      if (nftBackend()) expect(seen).toBe("198.51.100.2");
      else expect(seen).not.toBe("198.51.100.2");
      const r = await apply();
      const o = r.verification!.overrides!.find((x) => x.object.startsWith("nft table inet marks chain between"));
      expect(o?.neutralised ?? false).toBe(nftBackend());
      expect(r.ok).toBe(nftBackend());
    } finally {
      await run(gw(), "nft", ["delete", "table", "inet", "marks"]);
      await run(gw(), "conntrack", ["-F"], { allowFailure: true });
    }
  });
});

describe("harmless foreign tables: no false alarm", () => {
  it("a NAT chain after Switchyard's, an accept-only NAT chain before it, and a filter table accepting everything", async () => {
    await nft(
      `${snatChain("inet late", 200)}table inet acceptor {\n chain post { type nat hook postrouting priority -100; ip saddr 10.20.0.0/24 accept; }\n}\ntable inet openfw {\n chain allow_forward { type filter hook forward priority -10; accept; }\n chain allow_pre { type filter hook prerouting priority -300; accept; }\n}\n`,
    );
    try {
      const r = await apply();
      expect(r.verification?.overrides).toEqual([]);
      expect(r.verification?.summary).toMatch(/^3 host paths verified/);
      expect(r.ok).toBe(true);
      expect(canary(r, "Fiber")).toMatchObject({ ok: true, seenAs: "203.0.113.2" });
      expect(await g.connect("h1")).toBe("203.0.113.2");
    } finally {
      for (const t of ["late", "acceptor", "openfw"]) await run(gw(), "nft", ["delete", "table", "inet", t]);
      await run(gw(), "conntrack", ["-F"], { allowFailure: true });
    }
  });
});

describe("a foreign NAT chain created after the apply", () => {
  it("plan and status name it and the plan is not empty; apply exits non-zero naming it", async () => {
    db = await tempDatabase("fnat");
    const env = { DATABASE_URL: db.url, CHECKPOINT_DISABLE: "1", SWITCHYARD_DEBUG: "" };
    const file = path.join(db.dir, "config.json");
    await writeFile(file, JSON.stringify(g.config));
    expect((await switchyard(["config", "import", file], env)).exitCode).toBe(0);
    const first = await switchyard(["--netns", g.gw, "apply", "--json"], env);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true });

    await nft(snatChain("ip nat", 0));
    try {
      const object = 'nft table ip nat chain post (hook postrouting priority 0): oifname "enp1s0" ip saddr 10.20.0.0/24 snat to 203.0.113.3';
      const plan = JSON.parse((await switchyard(["--netns", g.gw, "plan", "--json"], env)).stdout);
      expect(plan.changes).toEqual([]);
      expect(plan.empty).toBe(false);
      expect(plan.overrides.map((o: { object: string }) => o.object)).toEqual([object]);
      const planText = (await switchyard(["--netns", g.gw, "plan"], env)).stdout;
      expect(planText).toContain("No changes to Switchyard's objects, but 1 foreign object overrides them");
      expect(planText).toContain(`Overrides Switchyard: ${object}`);
      const status = await switchyard(["--netns", g.gw, "status"], env);
      expect(status.stdout).toContain(`Overrides Switchyard: ${object}`);
      expect(status.stdout).toContain("(hosts: 10.20.0.50, ");
      const again = await switchyard(["--netns", g.gw, "apply"], env);
      expect(again.exitCode).not.toBe(0);
      expect(again.stdout).toContain(`overridden by foreign ${object}`);
    } finally {
      await run(gw(), "nft", ["delete", "chain", "ip", "nat", "post"]);
    }
  }, 150_000); // six CLI processes (each a node start) on a machine shared with other kernel runs
});
