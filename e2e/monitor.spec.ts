// Named monitor.spec.ts, not health.spec.ts: files run in name order and history.spec.ts counts
// the dashboard spec's revisions, so the monitor's own revisions must come after it.
// The truth on screen (issue 10): with the health monitor running against the lab, a cut
// upstream turns ISP2 red on the dashboard without a reload, its host shows the failover to
// ISP1, and real traffic proves it; restored, ISP2 comes back up. The web server never probes:
// the monitor is a separate process (the CLI), started here and stopped with SIGTERM.
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { classicOffice } from "../lib/examples";
import { probeEgress } from "../lib/lab/lab";
import type { StreamHandle } from "../lib/net/exec";
import { switchyard } from "../tests/helpers/processes";
import { cliEnv, LAB, startMonitor } from "./monitor-process";

const LAPTOP = "192.168.1.101";
/** the address the lab's test server sees the laptop as (or why it saw nothing) */
const seenAs = async () => {
  const r = await probeEgress(LAB, LAPTOP);
  return r.ok ? r.seenAs : r.error;
};
const shot = (name: string) => `e2e/screenshots/${name}.png`;
const column = (page: Page, name: string) => page.getByRole("region", { name, exact: true });
const health = (page: Page, isp: string) => column(page, isp).getByRole("group", { name: `${isp} health` });
const card = (page: Page, col: string, host: string) => column(page, col).getByRole("button", { name: new RegExp(`^${host} \\(`) });

test.describe("health monitor on the dashboard", () => {
  const log: string[] = [];
  let monitor: StreamHandle | null = null;

  test.beforeAll(async () => {
    // the seed again (the dashboard spec moved and deleted hosts): laptop on ISP2
    const imported = await switchyard(["config", "import", "-"], cliEnv, JSON.stringify(classicOffice));
    expect(imported.exitCode, imported.stderr).toBe(0);
    const applied = await switchyard(["apply"], cliEnv);
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    monitor = startMonitor(log);
  });

  test.afterAll(async () => {
    await switchyard(["lab", "fault", "ISP2", "restore", "--prefix", LAB], cliEnv);
    if (monitor) expect(await monitor.stop(10_000), log.join("\n")).toBe(0); // SIGTERM: a clean stop
  });

  test("ISP2's upstream cut: red without a reload, laptop fails over to ISP1 and traffic proves it; restored, up again", async ({ loggedIn: page }) => {
    test.setTimeout(150_000);
    await page.goto("/");
    await expect(health(page, "ISP1")).toContainText(/health up/, { timeout: 20_000 });
    await expect(health(page, "ISP2")).toContainText(/health up/, { timeout: 20_000 });
    await expect(health(page, "ISP2")).toContainText(/RTT \d+\.\d ms · loss 0 %/);
    await expect(card(page, "ISP2", "laptop")).toContainText("✓ verified");
    expect(await probeEgress(LAB, LAPTOP)).toEqual({ ok: true, seenAs: "198.51.100.10" });

    // the lab button (a server action) puts the fault in ISP2's namespace; nothing reloads the page
    await page.getByRole("button", { name: "Cut upstream of ISP2" }).click();
    await expect(health(page, "ISP2")).toContainText(/health down/, { timeout: 30_000 });
    await expect(health(page, "ISP1")).toContainText(/health up/);
    const laptop = card(page, "ISP2", "laptop");
    await expect(laptop).toContainText("→ ISP1, failover: ISP2 down", { timeout: 15_000 });
    await expect(laptop).not.toContainText("✓ verified");
    // the monitor's failover apply moved it: the lab's test server sees ISP1's address
    await expect.poll(async () => seenAs(), { timeout: 30_000, intervals: [500] }).toBe("203.0.113.10");
    await page.screenshot({ path: shot("health-isp2-down"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: shot("health-isp2-down-dark"), fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });

    await page.getByRole("button", { name: "Restore of ISP2" }).click();
    // back from down needs replies in a row and the hold time (10 s) to pass
    await expect(health(page, "ISP2")).toContainText(/health up/, { timeout: 60_000 });
    await expect(laptop).not.toContainText("failover", { timeout: 15_000 });
    await expect.poll(async () => seenAs(), { timeout: 30_000, intervals: [500] }).toBe("198.51.100.10");
    // the proof of the last user apply is from before the outage: shown as such, never as a current green
    await expect(laptop).toContainText(/proved on ISP2, .*, before the monitor moved hosts at .*; not proven since|✓ proven by/);
    await expect(laptop).not.toContainText("✓ verified");

    // the timeline in History: both changes and the monitor's applies
    await page.goto("/history");
    const timeline = page.getByRole("region", { name: "Health timeline" });
    await expect(
      timeline
        .getByRole("listitem")
        .filter({ hasText: /ISP2\s*(up|degraded)\s*→\s*down/ })
        .first(),
    ).toBeVisible();
    await expect(
      timeline
        .getByRole("listitem")
        .filter({ hasText: /ISP2\s*down\s*→\s*up/ })
        .first(),
    ).toBeVisible();
    await expect(timeline.getByText("monitor applied").first()).toBeVisible();
    await page.screenshot({ path: shot("health-timeline"), fullPage: true });
    await page.goto("/audit");
    await expect(page.getByRole("row", { name: /monitor/ }).first()).toBeVisible();
    await expect(page.getByRole("row", { name: /lab\.fault/ }).first()).toBeVisible();
  });

  test("without a monitor the dashboard says so instead of showing a stale green", async ({ loggedIn: page }) => {
    expect(await monitor!.stop(10_000), log.join("\n")).toBe(0);
    monitor = null;
    await page.goto("/");
    await expect(health(page, "ISP2")).toContainText("monitor not running", { timeout: 20_000 });
    await expect(health(page, "ISP2")).not.toContainText(/health up/);
  });
});
