// A guest network beside the main LAN (issue 20), from the browser: added under Settings ->
// LANs (a bad subnet refused at its field), a guest host added with no ISP of its own, the
// board expecting it on the guest LAN's ISP, Apply & verify proving the guest's path with its
// own interface, the Live page showing the guest's rules. Runs after the other specs (file
// name order) and removes what it added. Then a foreign nftables NAT chain that runs before
// Switchyard's: the Live page names it, and Apply & verify fails naming it, until it is gone.
import { test, expect, nav } from "./fixtures";
import { EntityFormPage } from "./fixtures";
import { netns, run } from "../lib/net/exec";
import { gatewayNamespace } from "../lib/lab/topology";

const GW = gatewayNamespace("e2e");
const FOREIGN =
  'table ip e2eforeign {\n chain post { type nat hook postrouting priority 0; oifname "eth0" ip saddr 192.168.1.0/24 snat to 203.0.113.99; }\n}\n';

test.describe.serial("a guest LAN", () => {
  test("added in Settings, its host expected on its ISP, applied, verified and shown live", async ({ loggedIn: page }) => {
    test.setTimeout(180_000);
    const form = new EntityFormPage(page);
    await nav(page, "Settings");
    await page.getByRole("link", { name: "Add LAN" }).click();
    await form.fill({ Name: "guest", Interface: "br-guest", Subnets: "192.168.1.129/25", "Its unlisted hosts use": "ISP2" });
    await page.getByRole("button", { name: "Add LAN" }).click();
    await expect(form.fieldError("Subnets")).toHaveText(/192\.168\.1\.129\/25 overlaps 192\.168\.1\.1\/24/);
    await form.fill({ Subnets: "10.30.0.1/24" });
    await page.getByRole("button", { name: "Add LAN" }).click();
    await expect(page).toHaveURL(/\/settings\?saved=/);
    await expect(page.getByRole("row", { name: /guest/ })).toContainText("br-guest");
    await expect(page.getByRole("row", { name: /guest/ })).toContainText("ISP2");

    await nav(page, "Hosts");
    await page.getByRole("link", { name: "Add host" }).click();
    await form.fill({ Name: "guest-tv", "LAN address": "10.30.0.50" });
    await page.getByRole("button", { name: "Add host" }).click();
    await expect(page).toHaveURL(/\/hosts/);

    await page.goto("/");
    const card = page.getByRole("button", { name: /^guest-tv \(/ });
    await expect(card).toContainText("on LAN guest, whose unlisted hosts use ISP2");
    await page.getByRole("button", { name: /^Apply & verify/ }).click();
    const dialog = page.getByRole("dialog", { name: "Apply & verify" });
    await dialog.getByRole("button", { name: "Confirm and apply" }).click();
    await expect(dialog.getByRole("heading", { name: /Verified|Failed/ })).toBeVisible({ timeout: 90_000 });
    await expect(dialog.getByRole("heading", { name: "Verified" })).toBeVisible();
    // the lab's host on the guest bridge was proven by its own traffic, through ISP2
    await expect(dialog).toContainText("guest-tv");
    await dialog.getByRole("button", { name: "Close" }).last().click();
    await expect(card).toContainText("ISP2");

    await nav(page, "Live kernel");
    await expect(page.getByText(/iif br-guest/).first()).toBeVisible();

    // clean up: the host, then the LAN (refused while a host sits in it), then apply
    await nav(page, "Hosts");
    await page
      .getByRole("row", { name: /guest-tv/ })
      .getByRole("link")
      .first()
      .click();
    await page.getByRole("button", { name: /^Delete/ }).click();
    await page
      .getByRole("button", { name: /^Delete/ })
      .last()
      .click()
      .catch(() => undefined);
    await expect(page).toHaveURL(/\/hosts$/);
    await nav(page, "Settings");
    await page.getByRole("link", { name: "guest" }).click();
    await page.getByRole("button", { name: /^Delete/ }).click();
    await page
      .getByRole("button", { name: /^Delete/ })
      .last()
      .click()
      .catch(() => undefined);
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByRole("row", { name: /guest/ })).toHaveCount(0);
  });

  test("a foreign NAT chain before Switchyard's: named on the Live page, and Apply & verify fails naming it until it is removed", async ({
    loggedIn: page,
  }) => {
    test.setTimeout(180_000);
    await run(netns(GW), "nft", ["-f", "-"], { input: FOREIGN });
    try {
      await nav(page, "Live kernel");
      await expect(page.getByText(/table ip e2eforeign chain post/).first()).toBeVisible({ timeout: 30_000 });

      await page.goto("/");
      await page.getByRole("button", { name: /^Apply & verify/ }).click();
      const dialog = page.getByRole("dialog", { name: "Apply & verify" });
      await dialog.getByRole("button", { name: "Confirm and apply" }).click();
      await expect(dialog.getByRole("heading", { name: /Verified|Failed|Rolled back/ })).toBeVisible({ timeout: 90_000 });
      await expect(dialog.getByRole("heading", { name: "Verified" })).toHaveCount(0);
      await expect(dialog).toContainText(/e2eforeign/);
      await dialog.getByRole("button", { name: "Close" }).last().click();
    } finally {
      await run(netns(GW), "nft", ["delete", "table", "ip", "e2eforeign"], { allowFailure: true });
    }
    // the connections it NATed keep their mapping until they end (verification names them): the admin clears them
    await run(netns(GW), "conntrack", ["-D", "-q", "203.0.113.99"], { allowFailure: true });
    await page.goto("/");
    await page.getByRole("button", { name: /^Apply & verify/ }).click();
    const again = page.getByRole("dialog", { name: "Apply & verify" });
    await again.getByRole("button", { name: "Confirm and apply" }).click();
    await expect(again.getByRole("heading", { name: "Verified" })).toBeVisible({ timeout: 90_000 });
  });
});
