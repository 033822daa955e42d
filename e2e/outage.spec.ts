// The truth on every screen (issue 19): with the monitor running against the lab, ISP2's
// upstream is cut while its router keeps answering; without a reload the dashboard, the Live
// page, the ISPs and the Hosts pages all say ISP2 is down (and the tab title), `switchyard
// status` too. A second browser follows the first one's apply, and the CLI's, by itself, and
// every page says who is applying while someone holds the apply lock, instead of a drift warning.
// (Named after monitor.spec.ts: its revisions come after the ones history.spec.ts counts.)
import type { Browser, Page } from "@playwright/test";
import { test, expect, ADMIN } from "./fixtures";
import { classicOffice } from "../lib/examples";
import type { StreamHandle } from "../lib/net/exec";
import { switchyard } from "../tests/helpers/processes";
import { cliEnv, holdApplyLock, LAB, startMonitor } from "./monitor-process";

const shot = (name: string) => `e2e/screenshots/${name}.png`;
const column = (page: Page, name: string) => page.getByRole("region", { name, exact: true });
const card = (page: Page, col: string, host: string) => column(page, col).getByRole("button", { name: new RegExp(`^${host} \\(`) });
const health = (page: Page, isp: string) => page.getByRole("group", { name: `${isp} health` }).first();
const liveRegion = (page: Page) => page.locator("[id^='DndLiveRegion']");
/** Detection at 200 ms probes is about a second; the pages poll every 2 s: a generous deadline. */
const DETECTION = { timeout: 30_000 };

/** Mark the page: the mark is gone if it reloads. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { followMark: number }).followMark = 19));
const notReloaded = async (page: Page) => expect(await page.evaluate(() => (window as unknown as { followMark?: number }).followMark)).toBe(19);

async function login(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/login");
  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  return page;
}

async function cliApply() {
  const imported = await switchyard(["config", "import", "-"], cliEnv, JSON.stringify(classicOffice));
  expect(imported.exitCode, imported.stderr).toBe(0);
  const applied = await switchyard(["apply"], cliEnv);
  expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
}

test.describe.serial("the truth on every screen", () => {
  const log: string[] = [];
  let monitor: StreamHandle | null = null;

  test.beforeAll(async () => {
    await cliApply(); // the seed again, laptop on ISP2, applied by a user
    monitor = startMonitor(log);
  });

  test.afterAll(async () => {
    await switchyard(["lab", "fault", "ISP2", "restore", "--prefix", LAB], cliEnv);
    if (monitor) expect(await monitor.stop(10_000), log.join("\n")).toBe(0);
  });

  test("ISP2's upstream cut, its router still answering: every page says ISP2 is down without a reload", async ({ loggedIn: board }) => {
    test.setTimeout(180_000);
    const pages = { board, live: await board.context().newPage(), isps: await board.context().newPage(), hosts: await board.context().newPage() };
    await board.goto("/");
    await pages.live.goto("/status");
    await pages.isps.goto("/isps");
    await pages.hosts.goto("/hosts");
    await expect(health(board, "ISP2")).toContainText(/health up/, { timeout: 20_000 });
    await expect(health(pages.live, "ISP2")).toContainText(/^up since/, { timeout: 20_000 });
    await expect(pages.isps.getByRole("row", { name: /ISP2/ })).toContainText(/up since/);
    await expect(pages.hosts.getByRole("row", { name: /laptop/ })).not.toContainText("now via");
    await expect(column(board, "ISP1")).toContainText("1 host");
    for (const p of Object.values(pages)) await mark(p);

    const cutAt = Date.now();
    const cut = await switchyard(["lab", "fault", "ISP2", "upstream-down", "--prefix", LAB], cliEnv);
    expect(cut.exitCode, cut.stderr).toBe(0);
    const seen: string[] = [];
    const took = (what: string) => seen.push(`${what} ${((Date.now() - cutAt) / 1000).toFixed(1)} s`);
    took("the fault command done");

    // the dashboard: the column, the backup's count, the host card, the tab title
    await expect(health(board, "ISP2")).toContainText(/health down/, DETECTION);
    took("dashboard");
    await expect(column(board, "ISP1")).toContainText("2 hosts (1 by failover)", DETECTION);
    await expect(column(board, "ISP2")).toContainText("0 hosts (1 moved away by failover)");
    await expect(card(board, "ISP2", "laptop")).toContainText("→ ISP1, failover: ISP2 down");
    await expect(board).toHaveTitle(/^ISP2 down · Dashboard · Switchyard$/, DETECTION);
    // the Live page: down with its reason, even though the link is up and the router answers
    const liveCard = column(pages.live, "ISP2");
    await expect(health(pages.live, "ISP2")).toContainText(/^down since .*\(\d+ s ago\): \S/, DETECTION);
    took("Live page");
    await expect(liveCard).toContainText("link UP");
    await expect(health(pages.live, "ISP2")).toContainText(/loss \d+ % · RTT/);
    await expect(health(pages.live, "ISP2")).toContainText(/canary|no canary proof yet/);
    await expect(pages.live).toHaveTitle(/^ISP2 down · /, DETECTION);
    // the ISPs list and the Hosts list
    await expect(pages.isps.getByRole("row", { name: /ISP2/ })).toContainText(/down since/, DETECTION);
    took("ISPs page");
    await expect(pages.isps.getByRole("row", { name: /ISP1/ })).toContainText("1 by failover");
    await expect(pages.isps.getByRole("row", { name: /ISP2/ })).toContainText("1 moved away");
    await expect(pages.hosts.getByRole("row", { name: /laptop/ })).toContainText("now via ISP1: ISP2 down", DETECTION);
    took("Hosts page");
    const said = log.find((l) => /ISP2.*down/i.test(l));
    console.log(
      `from the cut to "down" on screen (checked one after another): ${seen.join(", ")}; the monitor said at ${said ? `${((Date.parse(said.slice(0, 24)) - cutAt) / 1000).toFixed(1)} s: ${said.slice(25)}` : "?"}`,
    );
    for (const p of Object.values(pages)) await notReloaded(p);
    await board.screenshot({ path: shot("outage-dashboard"), fullPage: true });
    await pages.live.screenshot({ path: shot("outage-live"), fullPage: true });
    await pages.isps.screenshot({ path: shot("outage-isps"), fullPage: true });
    await pages.hosts.screenshot({ path: shot("outage-hosts"), fullPage: true });

    // the CLI says the same
    const status = await switchyard(["status"], cliEnv);
    expect(status.stdout).toMatch(/ISP2: down since \d\d:\d\d:\d\d \(\d+ s ago\): .* · loss \d+ % · RTT/);
    const json = JSON.parse((await switchyard(["status", "--json"], cliEnv)).stdout) as { health: { isp: string; state: string; proofLine: string }[] };
    expect(json.health.find((h) => h.isp === "ISP2")?.state).toBe("down");

    // restored: up again everywhere, and the laptop's pre-outage proof is not shown as current
    expect((await switchyard(["lab", "fault", "ISP2", "restore", "--prefix", LAB], cliEnv)).exitCode).toBe(0);
    await expect(health(board, "ISP2")).toContainText(/health up/, { timeout: 60_000 });
    await expect(column(board, "ISP1")).toContainText(/^ISP1\s*1 host/, DETECTION);
    await expect(board).toHaveTitle("Dashboard · Switchyard", DETECTION);
    await expect(pages.hosts.getByRole("row", { name: /laptop/ })).not.toContainText("now via", DETECTION);
    await expect(card(board, "ISP2", "laptop")).not.toContainText("✓ verified");
    await expect(card(board, "ISP2", "laptop")).toContainText(/not proven since|✓ proven by/);
    // ISP1 stayed up: office-pc's proof is still about the path it takes
    await expect(card(board, "ISP1", "office-pc")).toContainText("✓ verified");
  });

  test("a second browser follows the first one's apply and the CLI's without a reload; an apply in progress is named, not drift", async ({
    loggedIn: first,
    browser,
  }) => {
    test.setTimeout(150_000);
    const second = await login(browser);
    await first.goto("/");
    await second.goto("/");
    for (const p of [first, second]) await expect(card(p, "ISP2", "laptop")).toBeVisible();
    await expect(column(first, "ISP1")).toContainText("link up");
    await expect(health(first, "ISP2")).toContainText(/health up/); // the failback of the test before is over
    await mark(second);

    // the first browser moves the laptop to ISP1 and applies
    await card(first, "ISP2", "laptop").focus();
    await first.keyboard.press("Space");
    await expect(liveRegion(first)).toHaveText(/^Picked up host /);
    await first.keyboard.press("ArrowLeft");
    await expect(liveRegion(first)).toHaveText(/Drop to move it there/);
    await first.keyboard.press("Space");
    await expect(liveRegion(first)).toHaveText(/^laptop moved to ISP1/);
    await first.getByRole("button", { name: /^Apply & verify/ }).click();
    const dialog = first.getByRole("dialog", { name: "Apply & verify" });
    await dialog.getByRole("button", { name: "Confirm and apply" }).click();
    await expect(dialog.getByRole("heading", { name: /Verified/ })).toBeVisible({ timeout: 45_000 });

    // the second one shows the new placement, verified, by itself
    await expect(card(second, "ISP1", "laptop")).toContainText("✓ verified", { timeout: 15_000 });
    await expect(card(second, "ISP1", "laptop")).not.toContainText("staged");
    await notReloaded(second);

    // someone holds the apply lock: both pages say who and since when, no drift warning
    const holder = await holdApplyLock("alice (cli, pid 1)");
    try {
      for (const p of [first, second]) {
        await expect(p.getByRole("status", { name: "Apply in progress" })).toContainText(/Apply in progress by alice \(cli\) since \d\d:\d\d:\d\d/, {
          timeout: 10_000,
        });
        await expect(p.getByRole("alert", { name: "Kernel drift" })).toHaveCount(0);
      }
      await second.screenshot({ path: shot("apply-in-progress"), fullPage: true });
    } finally {
      expect(await holder.stop(10_000)).toBe(0);
    }
    await expect(second.getByRole("status", { name: "Apply in progress" })).toHaveCount(0, { timeout: 10_000 });

    // an apply from the CLI (the seed again: laptop back on ISP2): followed too
    await cliApply();
    await expect(card(second, "ISP2", "laptop")).toContainText("✓ verified", { timeout: 15_000 });
    await notReloaded(second);
    await second.context().close();
  });
});
