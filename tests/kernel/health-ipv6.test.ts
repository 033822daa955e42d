// Health probes over IPv6 on the hand-built dual-stack gateway (tests/kernel/handmade-dualstack.ts;
// issue 23, docs/health.md): Fiber is probed at the test server's IPv4 and IPv6 addresses with
// both required (reliability 2). Its IPv6 upstream is cut inside its router's namespace while
// IPv4 keeps answering: the monitor takes Fiber down, naming the IPv6 target; the failover apply
// leaves Fiber's prefix rule out, yet the probe (from the gateway's address in Fiber's LAN /64,
// with Fiber's mark) still reaches Fiber's table, so once IPv6 is restored Fiber comes back. Both backends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../helpers/processes";
import { resolveTarget } from "@/lib/engine/target";
import { netns, run } from "@/lib/net/exec";
import { buildDualStack, destroyDualStack, dualStackConfig, kernelState6, NS, PREFIX, SERVER } from "./handmade-dualstack";
import { FAST_HEALTH } from "../helpers/fast-health";

const backend = process.env.SWITCHYARD_FIREWALL === "nftables" ? "nftables" : "iptables";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: () => Promise<T | null | false> | T | null | false, ms: number): Promise<T | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const v = await what();
    if (v) return v;
    await sleep(200);
  }
  return null;
}

/** Fiber's IPv6 upstream only: an ip6 forward drop in its router's namespace (IPv4 keeps flowing), a table of the test's own. */
const fiberIpv6 = async (state: "up" | "down") => {
  const ns = netns(NS.isp1);
  if (state === "up") await run(ns, "nft", ["delete", "table", "ip6", "cut6"], { allowFailure: true });
  else await run(ns, "nft", ["-f", "-"], { input: "table ip6 cut6 { chain cutoff { type filter hook forward priority -300; policy drop; }; }\n" });
};

const SETTINGS = FAST_HEALTH;

let db: Awaited<ReturnType<typeof tempDatabase>>;
let prisma: typeof import("@/lib/db").db;

beforeAll(async () => {
  db = await tempDatabase("health-ipv6");
  process.env.DATABASE_URL = db.url;
  prisma = (await import("@/lib/db")).db;
  await buildDualStack();
  // without netifd's source-specific default for Fiber's prefix in main (a box configured by hand
  // has none): while Fiber is down, only its mark rule can route its IPv6 probe
  await run(netns(NS.gw), "ip", ["-6", "route", "del", "default", "from", PREFIX.a, "via", "fe80::1", "dev", "eno1"]);
  const { replaceConfig } = await import("@/lib/data/config");
  expect((await replaceConfig(dualStackConfig)).ok).toBe(true);
  const { saveHealthSettings } = await import("@/lib/health/store");
  // Fiber: both families must answer; LTE: IPv4 only
  expect((await saveHealthSettings({ isp: "Fiber", targets: [SERVER.v4, SERVER.v6], reliability: 2, ...SETTINGS })).ok).toBe(true);
  expect((await saveHealthSettings({ isp: "LTE", targets: [SERVER.v4], reliability: 1, ...SETTINGS })).ok).toBe(true);
}, 90_000);
afterAll(async () => {
  await fiberIpv6("up").catch(() => undefined);
  await destroyDualStack();
  await prisma?.$disconnect();
  await db?.cleanup();
});

describe(`IPv6 health probes on the dual-stack gateway (${backend})`, () => {
  it("Fiber's IPv6 dies while IPv4 answers: down (its IPv6 target is required), named; restored: up again", async () => {
    const managed = resolveTarget({ netns: NS.gw });
    const service = await import("@/lib/engine/service");
    const first = await service.applyStaged({ actor: { username: "test" }, source: "cli", managed });
    expect(first.report.ok, first.report.error).toBe(true);

    const { startMonitor } = await import("@/lib/health/monitor");
    const changes: { to: string; reason: string }[] = [];
    const log: string[] = [];
    const m = await startMonitor({ managed, lab: false, log: (l) => log.push(l), onChange: (isp, c) => isp === "Fiber" && changes.push(c) });
    const fiber = () => m.health().Fiber;
    const why = async () => `${JSON.stringify(fiber(), null, 1)}\n${log.join("\n")}\n${await kernelState6()}`;
    try {
      // the IPv6 target answers through Fiber: probes from the gateway's address in Fiber's LAN /64
      expect(await until(() => (fiber()?.targets[SERVER.v6]?.ok ?? 0) >= 3, 20_000), await why()).toBe(true);
      expect(fiber().state).toBe("up");

      await fiberIpv6("down");
      expect(await until(() => changes.some((c) => c.to === "down"), 30_000), await why()).toBe(true);
      const down = changes.find((c) => c.to === "down")!;
      expect(down.reason).toContain(SERVER.v6);
      expect(down.reason).not.toContain(SERVER.v4);
      // IPv4 still answers all along: it was the IPv6 target
      expect(fiber().targets[SERVER.v4].fail).toBe(0);
      // the failover apply leaves Fiber's prefix rule out (docs/ipv6.md): the probe's mark still routes it
      expect(await until(async () => !(await run(netns(NS.gw), "ip", ["-6", "rule", "show"])).stdout.includes(`from ${PREFIX.a}`), 30_000), await why()).toBe(
        true,
      );

      await fiberIpv6("up");
      expect(await until(() => fiber()?.state === "up", 60_000), await why()).toBe(true);
      expect(changes.at(-1)?.to).toBe("up");
      // and the prefix rule is back
      expect(await until(async () => (await run(netns(NS.gw), "ip", ["-6", "rule", "show"])).stdout.includes(`from ${PREFIX.a}`), 30_000)).toBe(true);
    } finally {
      await m.stop();
    }
  }, 240_000);
});
