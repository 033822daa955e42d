// CLI output larger than a pipe buffer (64 KiB) reaches the reader whole: the CLI
// waits for stdout to drain before it exits. A 1200-host export through the executor's pipe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { switchyard, tempDatabase } from "../helpers/processes";

let env: Record<string, string>;
let cleanup: () => Promise<void>;

function bigConfig(n: number): GatewayConfig {
  const c = structuredClone(classicOffice);
  c.settings.lanSubnets = ["10.10.0.1/16"];
  c.hosts = Array.from({ length: n }, (_, i) => ({
    name: `host-${i}`,
    address: `10.10.${1 + Math.floor(i / 200)}.${1 + (i % 200)}`,
    mac: null,
    isp: i % 2 ? "ISP1" : "ISP2",
    notes: `desk ${i} `.padEnd(500, "."),
  }));
  return c;
}

beforeAll(async () => {
  const t = await tempDatabase("pipe");
  cleanup = t.cleanup;
  env = { DATABASE_URL: t.url, CHECKPOINT_DISABLE: "1" };
});
afterAll(() => cleanup());

describe("CLI output on a pipe", () => {
  it("config export of 1200 hosts (about 800 KB, beyond the pipe and socket buffers) arrives whole, with exit 0", async () => {
    const config = bigConfig(1200);
    const imp = await switchyard(["config", "import", "-"], env, JSON.stringify(config));
    expect(imp.stderr).toBe("");
    expect(imp.exitCode).toBe(0);
    const exp = await switchyard(["config", "export"], env);
    expect(exp.exitCode).toBe(0);
    expect(Buffer.byteLength(exp.stdout)).toBeGreaterThan(600_000);
    expect(JSON.parse(exp.stdout)).toEqual(config);
  }, 60_000);

  it("an import and its audit event are one transaction", async () => {
    process.env.DATABASE_URL = env.DATABASE_URL;
    const { replaceConfig, loadConfig } = await import("@/lib/data/config");
    const { db } = await import("@/lib/db");
    const before = await loadConfig();
    const events = await db.auditEvent.count();
    await expect(
      replaceConfig(classicOffice, async () => {
        throw new Error("killed before the audit");
      }),
    ).rejects.toThrow(/killed/);
    expect(await loadConfig()).toEqual(before);
    expect(await db.auditEvent.count()).toBe(events);
    await db.$disconnect();
  });
});
