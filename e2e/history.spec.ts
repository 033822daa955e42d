// History after the dashboard run (e2e/dashboard.spec.ts runs first: one worker, files in
// name order): #1 the seed, #2 the two moves, #3 the failed move rolled back.
import { test, expect, nav, onBackend } from "./fixtures";
import { probeEgress } from "../lib/lab/lab";

const shot = (name: string) => `e2e/screenshots/${name}.png`;

test.describe.serial("history", () => {
  test("the dashboard's revisions are listed, newest first, with their results", async ({ loggedIn: page }) => {
    await nav(page, "History");
    const rows = page.getByRole("table").getByRole("row");
    await expect(rows, "run e2e/dashboard.spec.ts first: it makes these revisions").toHaveCount(4);
    await expect(rows.nth(1)).toContainText("#3");
    await expect(rows.nth(1)).toContainText("failed, rolled back");
    await expect(rows.nth(2)).toContainText("#2");
    await expect(rows.nth(2)).toContainText("verified");
    await expect(rows.nth(3)).toContainText("#1");
    for (const r of [1, 2, 3]) {
      await expect(rows.nth(r)).toContainText("admin");
      await expect(rows.nth(r)).toContainText("ui");
      await expect(rows.nth(r)).toContainText("lab (e2e-gw)");
    }
    await page.screenshot({ path: shot("history"), fullPage: true });
  });

  test("a failed revision shows what failed, for which hosts, and its ruleset", async ({ loggedIn: page }) => {
    await page.goto("/history/3");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Revision #3");
    const alert = page.getByRole("main").getByRole("alert");
    await expect(alert).toContainText("Failed and rolled back");
    // the laptop's own traffic found no answer, and the canary says why: ISP2's upstream is cut (the gateway's own probe fails too)
    await expect(alert).toContainText(
      /laptop \(192\.168\.1\.101\): the canary for ISP2 found no internet: .*ISP2's upstream \(or the target\) is down; no answer from the test server/,
    );
    await expect(page.getByText("host laptop: ISP: ISP1 → ISP2")).toBeVisible();
    const hosts = page.getByRole("table", { name: "Hosts verified" });
    await expect(hosts.getByRole("row", { name: /laptop/ })).toContainText("failed");
    await expect(page.getByLabel("Revision plan")).toContainText(
      onBackend("SWYD-HOSTS: 192.168.1.101 : jump SWYD-ISP200", "-t mangle -A SWYD-MARK -s 192.168.1.101/32 -j SWYD-ISP200"),
    );
    await expect(page.getByLabel("Rendered ruleset")).toContainText("192.168.1.101");
    // the journal: every command the apply ran, including the rollback's
    await page.getByText(/^Commands run \(\d+\)$/).click();
    const commands = page.getByRole("list", { name: "Commands run" });
    await expect(commands).toContainText(onBackend("/usr/sbin/nft -f -", "/usr/sbin/iptables-restore --noflush"));
    // its stdin: the laptop's move as the backend took it (one map element, or the refilled mark chain)
    await expect(commands).toContainText(
      onBackend("add element inet switchyard SWYD-HOSTS { 192.168.1.101 : jump SWYD-ISP200 }", "-A SWYD-MARK -s 192.168.1.101/32 -j SWYD-ISP200"),
    );
    await expect(commands).toContainText("/usr/bin/nc -n -v -w 2 198.18.0.1 7777");
  });

  test("compare two revisions: the configuration in words and the ruleset line by line", async ({ loggedIn: page }) => {
    await page.goto("/history");
    await page.getByRole("checkbox", { name: "Select revision 1" }).check();
    await page.getByRole("checkbox", { name: "Select revision 2" }).check();
    await page.getByRole("button", { name: "Compare selected" }).click();
    await expect(page).toHaveURL(/\/history\/compare\?rev=2&rev=1|\/history\/compare\?rev=1&rev=2/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Revision #1 → #2");
    const changes = page.getByRole("list", { name: "Configuration changes" });
    await expect(changes).toContainText("host office-pc: ISP: ISP1 → ISP2");
    await expect(changes).toContainText("host laptop: ISP: ISP2 → ISP1");
    const diff = page.getByLabel("Ruleset diff", { exact: true });
    await expect(diff).toContainText(onBackend("192.168.1.100 : jump SWYD-ISP100", "-A SWYD-MARK -s 192.168.1.100/32 -j SWYD-ISP100"));
    await expect(diff).toContainText(onBackend("192.168.1.100 : jump SWYD-ISP200", "-A SWYD-MARK -s 192.168.1.100/32 -j SWYD-ISP200"));
    await expect(page.getByText(/2 added, 2 removed/)).toBeVisible();
    await page.screenshot({ path: shot("history-compare"), fullPage: true });

    // one revision is not a comparison
    await page.goto("/history/compare?a=2");
    await expect(page.getByRole("main").getByRole("alert")).toContainText("Pick exactly two revisions");
  });

  test("re-apply revision #2: a new verified revision; the board and the lab agree", async ({ loggedIn: page }) => {
    await page.goto("/history/2");
    await page.getByRole("button", { name: "Re-apply this revision" }).click();
    const dialog = page.getByRole("dialog", { name: "Re-apply revision #2?" });
    await dialog.getByRole("button", { name: "Re-apply #2" }).click();
    await expect(page).toHaveURL(/\/history\/4$/, { timeout: 45_000 });
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Revision #4");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("verified");
    await expect(page.getByText(/Re-applied by admin \(reapply\)/)).toBeVisible();
    await expect(page.getByRole("table", { name: "Hosts verified" }).getByRole("row", { name: /verified/ })).toHaveCount(3); // two hosts and "(unlisted hosts)"
    await page.screenshot({ path: shot("history-revision"), fullPage: true });

    await nav(page, "Dashboard");
    await expect(page.getByRole("region", { name: "Staged changes" })).toContainText("No staged changes");
    await expect(page.getByRole("region", { name: "ISP1", exact: true }).getByRole("button", { name: /^laptop \(/ })).toBeVisible();
    expect(await probeEgress("e2e", "192.168.1.100")).toEqual({ ok: true, seenAs: "198.51.100.10" });
    expect(await probeEgress("e2e", "192.168.1.101")).toEqual({ ok: true, seenAs: "203.0.113.10" });
  });
});
