// The dashboard against the lab: apply the seed, move one host with the mouse and
// one with the keyboard, apply and prove the new paths with real traffic; then a
// broken ISP: verification fails, names the hosts, and the gateway is rolled back.
import type { Locator, Page } from "@playwright/test";
import { test, expect, onBackend } from "./fixtures";
import { probeEgress } from "../lib/lab/lab";
import { ispNamespace } from "../lib/lab/topology";
import { netns, run } from "../lib/net/exec";

const LAB = "e2e";
const PC = "192.168.1.100";
const LAPTOP = "192.168.1.101";
const shot = (name: string) => `e2e/screenshots/${name}.png`;

const column = (page: Page, name: string) => page.getByRole("region", { name, exact: true });
const card = (page: Page, col: string, host: string) => column(page, col).getByRole("button", { name: new RegExp(`^${host} \\(`) });
const liveRegion = (page: Page) => page.locator("[id^='DndLiveRegion']");

/** The board is interactive (hydrated) once the live view has filled in the ISP columns. */
async function boardReady(page: Page) {
  await expect(column(page, "ISP1")).toContainText("link up");
  await expect(column(page, "ISP2")).toContainText("link up");
}

/** Apply & verify through the dialog; returns the dialog once the result shows. */
async function applyAndVerify(page: Page, checkPlan?: (dialog: Locator) => Promise<void>, whileRunning?: (dialog: Locator) => Promise<void>): Promise<Locator> {
  await page.getByRole("button", { name: /^Apply & verify/ }).click();
  const dialog = page.getByRole("dialog", { name: "Apply & verify" });
  await checkPlan?.(dialog);
  await dialog.getByRole("button", { name: "Confirm and apply" }).click();
  await whileRunning?.(dialog);
  await expect(dialog.getByRole("heading", { name: /Verified|Failed/ })).toBeVisible({ timeout: 45_000 });
  return dialog;
}

async function closeDialog(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Apply & verify" });
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await expect(dialog).toBeHidden();
}

/** Drag with the mouse in small steps (dnd-kit activates after a few pixels and follows move events). */
async function drag(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 12, a.y + a.height / 2 + 4, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + 80, { steps: 20 });
  await page.mouse.up();
}

/** Pick a card up with Space, move it with the arrow keys, drop it with Space. */
async function keyboardMove(page: Page, from: Locator, keys: string[], expectAnnounced: RegExp) {
  await from.focus();
  await page.keyboard.press("Space");
  await expect(liveRegion(page)).toHaveText(/^Picked up host /);
  for (const k of keys) await page.keyboard.press(k);
  await expect(liveRegion(page)).toHaveText(/Drop to move it there/);
  await page.keyboard.press("Space");
  await expect(liveRegion(page)).toHaveText(expectAnnounced);
}

test.describe.serial("assignment board", () => {
  test("the seed applied as it is: both hosts verified by traffic", async ({ loggedIn: page }) => {
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Staged changes" })).toContainText("Not applied yet");
    await expect(card(page, "ISP1", "office-pc")).toBeVisible();
    await expect(card(page, "ISP2", "laptop")).toBeVisible();
    await boardReady(page);
    // a fresh install: nothing measured yet, so no ISP is "down" (issue 19)
    for (const isp of ["ISP1", "ISP2"]) {
      await expect(column(page, isp).getByRole("group", { name: `${isp} health` })).toContainText("no health data yet (nothing applied yet)");
      await expect(column(page, isp).getByRole("group", { name: `${isp} health` })).not.toContainText(/down/);
    }
    await expect(page).toHaveTitle("Dashboard · Switchyard");

    await page.getByRole("button", { name: /^Apply & verify/ }).click();
    const dialog = page.getByRole("dialog", { name: "Apply & verify" });
    // the plan first: the commands and each host's predicted path
    await expect(dialog.getByLabel("Planned commands")).toContainText("+ ip rule add");
    // the firewall part made from nothing, in the backend's words
    await expect(dialog.getByLabel("Planned commands")).toContainText(onBackend("+ nft add table inet switchyard", "+ iptables -t mangle -N SWYD-MARK"));
    await expect(dialog.getByLabel("Planned commands")).toContainText(
      onBackend("+ SWYD-HOSTS: 192.168.1.101 : jump SWYD-ISP200", "+ -t mangle -A SWYD-MARK -s 192.168.1.101/32 -j SWYD-ISP200"),
    );
    await expect(dialog.getByLabel("Predicted paths")).toContainText("laptop (192.168.1.101) → ISP2: table 200 via 198.51.100.1 dev eth1 (expected)");
    // nothing can be asked of the kernel before the ISPs' tables exist
    await expect(dialog.getByLabel("Predicted paths")).toContainText("Not predicted: the gateway has no rule and table 200 for ISP2 yet");
    await page.screenshot({ path: shot("apply-plan") });
    await dialog.getByRole("button", { name: "Confirm and apply" }).click();
    await expect(dialog.getByRole("heading", { name: "✓ Verified" })).toBeVisible({ timeout: 45_000 });
    const hosts = dialog.getByRole("table", { name: "Hosts verified" });
    await expect(hosts.getByRole("row", { name: /office-pc/ })).toContainText("203.0.113.10");
    await expect(hosts.getByRole("row", { name: /office-pc/ })).toContainText("verified");
    await expect(hosts.getByRole("row", { name: /laptop/ })).toContainText("198.51.100.10");
    await expect(dialog.locator("[data-step=verify]")).toHaveAttribute("data-state", "ok");
    await closeDialog(page);
    await expect(page.getByRole("region", { name: "Staged changes" })).toContainText("No staged changes");
    await page.screenshot({ path: shot("board-before"), fullPage: true });
  });

  test("office-pc dragged with the mouse, laptop moved with the keyboard, applied and proven", async ({ loggedIn: page }) => {
    await boardReady(page);
    await drag(page, card(page, "ISP1", "office-pc"), column(page, "ISP2"));
    await expect(card(page, "ISP2", "office-pc")).toBeVisible();
    await expect(card(page, "ISP2", "office-pc")).toContainText("staged");

    // Escape puts a picked-up card back
    await card(page, "ISP2", "laptop").focus();
    await page.keyboard.press("Space");
    await expect(liveRegion(page)).toHaveText("Picked up host laptop (192.168.1.101) from ISP2.");
    await page.keyboard.press("ArrowRight");
    await expect(liveRegion(page)).toHaveText(/^laptop is over .+\. Drop to move it there\.$/);
    await page.keyboard.press("Escape");
    await expect(liveRegion(page)).toHaveText("Moving laptop was cancelled. It stays on ISP2.");
    await expect(card(page, "ISP2", "laptop")).toBeVisible();

    await keyboardMove(page, card(page, "ISP2", "laptop"), ["ArrowLeft"], /^laptop moved to ISP1 \(staged, not applied yet\)/);
    await expect(card(page, "ISP1", "laptop")).toBeVisible();
    const banner = page.getByRole("region", { name: "Staged changes" });
    await expect(banner).toContainText("2 staged changes");
    await expect(banner).toContainText("office-pc: ISP: ISP1 → ISP2");
    await expect(banner).toContainText("laptop: ISP: ISP2 → ISP1");
    await page.screenshot({ path: shot("board-staged"), fullPage: true });
    // the filter narrows the board by name or address
    const filter = page.getByRole("searchbox", { name: "Filter hosts" });
    await filter.fill("192.168.1.101");
    await expect(page.getByText("1 of 2 hosts match")).toBeVisible();
    await expect(card(page, "ISP2", "office-pc")).toBeHidden();
    await expect(column(page, "ISP2")).toContainText("No host here matches the filter");
    await filter.fill("");
    await expect(card(page, "ISP2", "office-pc")).toBeVisible();

    const dialog = await applyAndVerify(page, async (d) => {
      // now the kernel answers: the route lookup it will do for each moved host
      const predicted = d.getByLabel("Predicted paths");
      await expect(predicted).toContainText("office-pc (192.168.1.100) → ISP2: table 200 via 198.51.100.1 dev eth1 (predicted), leaves as 198.51.100.10");
      await expect(predicted).toContainText("laptop (192.168.1.101) → ISP1: table 100 via 203.0.113.1 dev eth0 (predicted), leaves as 203.0.113.10");
      await expect(d.getByLabel("Planned commands")).toContainText("conntrack -D -s 192.168.1.100");
      // office-pc's move: one map element changed, or the mark chain refilled
      await expect(d.getByLabel("Planned commands")).toContainText(
        onBackend("- SWYD-HOSTS: 192.168.1.100 : jump SWYD-ISP100", "~ iptables -t mangle SWYD-MARK: replaced as one transaction"),
      );
      await expect(d.getByLabel("Planned commands")).toContainText(
        onBackend("+ SWYD-HOSTS: 192.168.1.100 : jump SWYD-ISP200", "+ -t mangle -A SWYD-MARK -s 192.168.1.100/32 -j SWYD-ISP200"),
      );
      await page.screenshot({ path: shot("apply-plan-move") });
    });
    await expect(dialog.getByRole("heading", { name: "✓ Verified" })).toBeVisible();
    const hosts = dialog.getByRole("table", { name: "Hosts verified" });
    await expect(hosts.getByRole("row", { name: /office-pc/ })).toContainText("198.51.100.10");
    await expect(hosts.getByRole("row", { name: /laptop/ })).toContainText("203.0.113.10");
    await expect(hosts.getByRole("row", { name: /verified/ })).toHaveCount(3); // office-pc, laptop and "(unlisted hosts)" (the default ISP's path)
    // the unlisted hosts have no namespace in the lab: checked by route lookup, never shown as a failed or a passed probe
    await expect(hosts.getByRole("row", { name: /unlisted hosts/ })).toContainText("not probed");
    // the unlisted hosts' path is proven by the canary (a reserved LAN address through the default ISP), never "verified" by lookup alone
    await expect(dialog.getByText("2 proven by their own traffic, 1 by the canary through its target", { exact: false })).toBeVisible();
    await expect(hosts.getByRole("row", { name: /unlisted hosts/ })).toContainText("by the canary through default");
    // one slot per target, each proven (the config-pages spec added ISP3: every ISP has its slot)
    const canary = dialog.getByRole("table", { name: "Canary proofs" });
    for (const t of ["default", "ISP1", "ISP2"]) await expect(canary.getByRole("row", { name: new RegExp(`^${t} 192\\.168\\.1\\.`) })).toContainText("proven");
    await expect(canary).not.toContainText("failed");
    await expect(dialog.locator("[data-step=conntrack]")).toHaveAttribute("data-state", "ok");
    await page.screenshot({ path: shot("apply-verified"), fullPage: false });
    await closeDialog(page);

    // the lab's test server sees the hosts as their new ISPs
    expect(await probeEgress(LAB, PC)).toEqual({ ok: true, seenAs: "198.51.100.10" });
    expect(await probeEgress(LAB, LAPTOP)).toEqual({ ok: true, seenAs: "203.0.113.10" });
    await expect(page.getByRole("region", { name: "Staged changes" })).toContainText("No staged changes");
    await expect(card(page, "ISP2", "office-pc")).not.toContainText("staged");
    await page.screenshot({ path: shot("board-after"), fullPage: true });
    // a phone: the columns stack; and the dark scheme
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: "dark" });
    await expect(card(page, "ISP2", "office-pc")).toBeVisible();
    await page.screenshot({ path: shot("board-phone-dark"), fullPage: true });
    await page.getByRole("button", { name: /^Apply & verify/ }).click();
    const plan = page.getByRole("dialog", { name: "Apply & verify" });
    await expect(plan).toContainText("No staged changes: applying re-applies the current configuration and verifies it again.");
    await expect(plan.getByLabel("Predicted paths")).toHaveCount(0);
    await page.screenshot({ path: shot("apply-plan-phone-dark") });
    await plan.getByRole("button", { name: "Cancel" }).click();
    await expect(plan).toBeHidden();
  });

  test("ISP2 cut upstream: verification fails, names the hosts, and the gateway is rolled back", async ({ loggedIn: page }) => {
    // Every apply brings the lab's links back up (labUp), so the cut is a firewall
    // drop inside ISP2's namespace: the link stays up, nothing gets through.
    const isp2 = netns(ispNamespace(LAB, 1));
    const cut = ["FORWARD", "-m", "comment", "--comment", "e2e-cut", "-j", "DROP"];
    await boardReady(page);
    await run(isp2, "iptables", ["-w", "-I", ...cut]);
    try {
      await keyboardMove(page, card(page, "ISP1", "laptop"), ["ArrowRight"], /^laptop moved to ISP2/);
      await expect(page.getByRole("region", { name: "Staged changes" })).toContainText("1 staged change");
      const dialog = await applyAndVerify(page, undefined, async (d) => {
        // the steps stream in as they happen: the earlier ones are done while the probes still wait
        await expect(d.locator("[data-step=verify]")).toHaveAttribute("data-state", "running");
        await expect(d.locator("[data-step=routing]")).toHaveAttribute("data-state", "ok");
        await expect(d.getByRole("heading", { name: /Verified|Failed/ })).toHaveCount(0);
        await page.screenshot({ path: shot("apply-running") });
      });
      await expect(dialog.getByRole("heading", { name: "✗ Failed — rolled back" })).toBeVisible();
      await expect(dialog.locator("[data-step=verify]")).toHaveAttribute("data-state", "failed");
      await expect(dialog.locator("[data-step=verify]")).toContainText("laptop (192.168.1.101)");
      await expect(dialog.locator("[data-step=rollback]")).toHaveAttribute("data-state", "ok");
      await expect(dialog.getByRole("alert")).toContainText("The gateway was put back exactly as it was");
      await expect(dialog.getByRole("alert")).toContainText("laptop");
      const hosts = dialog.getByRole("table", { name: "Hosts verified" });
      await expect(hosts.getByRole("row", { name: /laptop/ })).toContainText("no answer");
      await page.screenshot({ path: shot("apply-failed"), fullPage: false });
      await closeDialog(page);
      // the change stays staged, and the board says the last apply failed
      await expect(card(page, "ISP2", "laptop")).toContainText("staged");
      await expect(page.getByRole("region", { name: "Staged changes" })).toContainText("failed and was rolled back");

      // the kernel is back: laptop still leaves through ISP1
      expect(await probeEgress(LAB, LAPTOP)).toEqual({ ok: true, seenAs: "203.0.113.10" });
    } finally {
      await run(isp2, "iptables", ["-w", "-D", ...cut], { allowFailure: true });
    }
    // and with ISP2 back, office-pc (never moved) leaves through it as before
    expect(await probeEgress(LAB, PC)).toEqual({ ok: true, seenAs: "198.51.100.10" });
  });
});

test.describe("assignment board, refused moves", () => {
  test("a move the server refuses is undone on the board, with a message that says why", async ({ loggedIn: page, context }) => {
    await boardReady(page);
    // the failed move above is still staged: laptop sits on ISP2
    await expect(card(page, "ISP2", "laptop")).toBeVisible();
    // someone else deletes laptop while this board still shows it
    const other = await context.newPage();
    await other.goto("/hosts");
    await other.getByRole("link", { name: "laptop", exact: true }).click();
    await other.getByRole("button", { name: "Delete laptop" }).click();
    await other.getByRole("dialog", { name: "Delete laptop?" }).getByRole("button", { name: "Delete laptop" }).click();
    await expect(other).toHaveURL(/\/hosts$/);
    await other.close();

    await keyboardMove(page, card(page, "ISP2", "laptop"), ["ArrowLeft"], /^laptop moved to ISP1/);
    await expect(page.getByRole("alert").filter({ hasText: "laptop was not moved" })).toContainText("no longer exists");
    await expect(card(page, "ISP2", "laptop")).toBeVisible();
    await expect(column(page, "ISP1").getByRole("button", { name: /^laptop \(/ })).toHaveCount(0);
    await page.screenshot({ path: shot("board-refused") });
    // after a reload the board shows what is staged: laptop is gone
    await page.reload();
    await expect(page.getByRole("region", { name: "Staged changes" })).toContainText("host laptop removed");

    // Discard (after a confirmation) goes back to what the gateway runs: laptop returns, on ISP1
    await page.getByRole("button", { name: "Discard", exact: true }).click();
    const confirm = page.getByRole("dialog", { name: /^Discard 1 staged change\?/ });
    await confirm.getByRole("button", { name: "Discard changes" }).click();
    await expect(page.getByRole("region", { name: "Staged changes" })).toContainText("No staged changes");
    await expect(card(page, "ISP1", "laptop")).toBeVisible();
    await expect(card(page, "ISP1", "laptop")).toContainText("verified, leaves as 203.0.113.10");
  });
});
