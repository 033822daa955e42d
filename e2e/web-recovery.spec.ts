// The web server recovers an apply killed while it runs (a CLI's, SIGKILLed after its firewall
// step): before the next page it serves, not at its next start and not when someone runs
// `status`. Named to run after the other specs (file name order): its revisions shift none of
// theirs. The staged configuration is left as it found it.
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { HOST, run } from "../lib/net/exec";
import { repoRoot } from "../tests/helpers/processes";
import { cliEnv } from "./monitor-process";
import { test, expect } from "./fixtures";

const cliJs = path.join(repoRoot, "bin", "switchyard.mjs");
const switchyard = (args: string[], extra: Record<string, string> = {}, input = "") =>
  run(HOST, "node", [cliJs, ...args], { env: { ...cliEnv, ...extra }, cwd: repoRoot, allowFailure: true, timeoutMs: 120_000, input });
const count = (table: string) => {
  const d = new Database(path.join(repoRoot, "data", "e2e.db"), { readonly: true });
  try {
    return (d.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  } finally {
    d.close();
  }
};

test("an apply killed while the server runs is recovered before the next page", async ({ page, loginPage }) => {
  const staged = (await switchyard(["config", "export"])).stdout;
  const moved = JSON.parse(staged);
  moved.hosts[0].isp = moved.isps.find((i: { name: string }) => i.name !== moved.hosts[0].isp).name;
  expect((await switchyard(["config", "import", "-"], {}, JSON.stringify(moved))).exitCode).toBe(0);
  try {
    const pauseFile = path.join(os.tmpdir(), `switchyard-e2e-pause-${process.pid}`);
    const apply = switchyard(["apply"], { SWITCHYARD_TEST_PAUSE_AFTER: "firewall", SWITCHYARD_TEST_PAUSE_FILE: pauseFile });
    let paused: { pid: number } | null = null;
    for (let i = 0; i < 600 && !paused; i++) {
      paused = await readFile(pauseFile, "utf8").then(
        (t) => {
          try {
            return JSON.parse(t);
          } catch {
            return null;
          }
        },
        () => null,
      );
      if (!paused) await new Promise((r) => setTimeout(r, 100));
    }
    expect(paused).not.toBeNull();
    process.kill(paused!.pid, "SIGKILL");
    expect((await apply).exitCode).not.toBe(0);
    expect(count("ApplyIntent")).toBe(1); // left for someone to find

    await loginPage.login(); // the server's first requests since the kill
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await page.goto("/history");
    const newest = page.getByRole("table").getByRole("row").nth(1);
    await expect(newest).toContainText("(recovery)");
    await expect(newest).toContainText("rolled back");
    expect(count("ApplyIntent")).toBe(0);
  } finally {
    await switchyard(["config", "import", "-"], {}, staged);
  }
});
