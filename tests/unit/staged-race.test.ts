// Reading the staged configuration while another process re-stages it (a config import, an
// adoption, a re-applied revision): every read is one whole configuration, never half of one
// and half of the other, and never a crash (the apply once died with "Cannot read properties
// of null (reading 'name')": a NAT address read from one configuration, its ISP from the next).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice, threeIsps } from "@/lib/examples";
import { HOST, startStream, type StreamHandle } from "@/lib/net/exec";
import { repoRoot, tempDatabase } from "../helpers/processes";

let tmp: Awaited<ReturnType<typeof tempDatabase>>;
let cfg: typeof import("@/lib/data/config");
let db: typeof import("@/lib/db").db;

beforeAll(async () => {
  tmp = await tempDatabase("staged-race");
  process.env.DATABASE_URL = tmp.url;
  ({ db } = await import("@/lib/db"));
  cfg = await import("@/lib/data/config");
});

afterAll(async () => {
  await db?.$disconnect();
  await tmp?.cleanup();
});

/** Another process (it inherits DATABASE_URL) re-staging A and B in turn for 4 s. */
async function restager(file: string, lines: string[]): Promise<StreamHandle> {
  const tsx = path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs");
  const h = startStream(HOST, "node", [tsx, path.join(repoRoot, "tests", "helpers", "restage-loop.ts"), "4000", file], {
    onLine: (l) => lines.push(l),
    onStderrLine: (l) => lines.push(l),
  });
  for (let i = 0; i < 200 && !lines.includes("restaging"); i++) await new Promise((r) => setTimeout(r, 50));
  expect(lines).toContain("restaging");
  return h;
}

describe("the staged configuration, read while another process re-stages it", () => {
  it("is always one whole configuration", async () => {
    // what each reads back as when nothing races
    const whole: string[] = [];
    for (const c of [classicOffice, threeIsps]) {
      expect((await cfg.replaceConfig(c)).ok).toBe(true);
      whole.push(JSON.stringify(await cfg.loadConfig()));
    }
    const file = path.join(tmp.dir, "configs.json");
    await writeFile(file, JSON.stringify([classicOffice, threeIsps]));
    const lines: string[] = [];
    const other = await restager(file, lines);
    const seen = new Map<string, number>();
    const errors: string[] = [];
    let done = false;
    void other.exited.then(() => (done = true));
    while (!done) {
      try {
        const read = JSON.stringify(await cfg.loadConfig());
        seen.set(read, (seen.get(read) ?? 0) + 1);
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
      await new Promise((r) => setImmediate(r)); // let the other process's exit be seen
    }
    expect(errors.slice(0, 3)).toEqual([]);
    expect(lines.join("\n")).toMatch(/restaged \d+ times/);
    // both were seen (the race did happen), and nothing else
    expect([...seen.keys()].sort()).toEqual([...whole].sort());
  }, 30_000);
});
