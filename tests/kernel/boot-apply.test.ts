// The boot apply path (the switchyard-apply.service command, against a namespace gateway built
// by the lab builder, prefix "hi"): at boot ISP2's WAN is not up yet. The boot apply waits for
// it, the link comes up a few seconds later, and the apply ends with ISP2's routes in its table.
// When the link stays down, the wait is bounded: the apply goes ahead with what it can (ISP1)
// instead of failing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import Database from "better-sqlite3";
import { labDown, labUp, gatewayNamespace } from "@/lib/lab/lab";
import { classicOffice } from "@/lib/examples";
import { HOST, netns, run, startStream } from "@/lib/net/exec";
import { renderUnits } from "@/lib/install/units";
import { repoRoot, switchyard, tempDatabase } from "../helpers/processes";

const P = "hi";
const GW = gatewayNamespace(P);
const gw = netns(GW);
const ISP2_DEV = classicOffice.isps[1].wanInterface;
let db: Awaited<ReturnType<typeof tempDatabase>>;
const cli = (...args: string[]) => switchyard(args, { DATABASE_URL: db.url, SWITCHYARD_DEBUG: "" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tableRoutes = async (table: number) => (await run(gw, "ip", ["-4", "route", "show", "table", String(table)], { allowFailure: true })).stdout;

/** The boot unit's own command, aimed at the namespace instead of --host. */
function bootArgs(waitS: number): string[] {
  const exec = renderUnits()
    .find((u) => u.name === "switchyard-apply.service")!
    .text.match(/^ExecStart=(.*)$/m)![1]
    .split(" ");
  const args = exec.slice(2).map((a) => (a === "--host" ? `--netns=${GW}` : a));
  args[args.indexOf("--wait-links") + 1] = String(waitS);
  return args;
}

beforeAll(async () => {
  db = await tempDatabase("hi-boot");
  process.env.DATABASE_URL = db.url; // the streamed boot apply inherits it (this process opens no database)
  await labDown(P);
  await labUp(classicOffice, { prefix: P, server: false });
  expect((await cli("config", "import", path.join(repoRoot, "tests/fixtures/classic-office.json"))).exitCode).toBe(0);
  const first = await cli(`--netns=${GW}`, "apply");
  expect(first.exitCode).toBe(0); // revision 1: the last good one
  expect(await tableRoutes(200)).toContain("default via 198.51.100.1");
});

afterAll(async () => {
  await labDown(P);
  await db?.cleanup();
});

describe("boot apply with a WAN link that comes up late", () => {
  it("waits for ISP2's link, which comes up after 3 s, and ends with ISP2's routes installed", async () => {
    // "boot": ISP2's interface is not up yet, so the kernel has none of its routes
    await run(gw, "ip", ["link", "set", "dev", ISP2_DEV, "down"]);
    expect(await tableRoutes(200)).not.toContain("default");
    // streamed, so that the link comes up 3 s after the wait has begun, however slow the start
    const stderr: string[] = [];
    let waiting: () => void = () => undefined;
    const began = new Promise<void>((r) => (waiting = r));
    const boot = startStream(HOST, "node", [path.join(repoRoot, "bin/switchyard.mjs"), ...bootArgs(60)], {
      onLine: () => undefined,
      onStderrLine: (l) => {
        stderr.push(l);
        if (l.startsWith("Waiting up to 60 s for the WAN links")) waiting();
      },
    });
    await Promise.race([began, boot.exited]);
    await sleep(3000);
    await run(gw, "ip", ["link", "set", "dev", ISP2_DEV, "up"]);
    expect(await boot.exited).toBe(0);
    const text = stderr.join("\n");
    expect(text).toContain(`Waiting up to 60 s for the WAN links: ISP2 (${ISP2_DEV}: not up)`);
    expect(Number(/WAN links ready after (\d+\.\d) s/.exec(text)?.[1])).toBeGreaterThanOrEqual(2.9);
    expect(await tableRoutes(200)).toContain(`default via 198.51.100.1 dev ${ISP2_DEV}`);
    expect(await tableRoutes(100)).toContain("default via 203.0.113.1");
    const sqlite = new Database(db.file, { readonly: true });
    const last = sqlite.prepare("SELECT source, result FROM Revision ORDER BY id DESC LIMIT 1").get();
    sqlite.close();
    expect(last).toEqual({ source: "boot", result: "applied" });
  });

  it("a link that stays down: the wait ends after its bound and the rest is applied", async () => {
    await run(gw, "ip", ["link", "set", "dev", ISP2_DEV, "down"]);
    try {
      await run(gw, "ip", ["route", "flush", "table", "100"]); // ISP1 lost its routes too: the boot apply must bring them back
      const t0 = Date.now();
      const r = await cli(...bootArgs(2));
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(r.stderr).toContain(`still not ready: ISP2 (${ISP2_DEV}: not up); applying what can be applied`);
      expect(r.exitCode).toBe(0);
      expect(await tableRoutes(100)).toContain("default via 203.0.113.1");
      expect(await tableRoutes(200)).not.toContain("default");
    } finally {
      await run(gw, "ip", ["link", "set", "dev", ISP2_DEV, "up"]);
    }
  });
});
