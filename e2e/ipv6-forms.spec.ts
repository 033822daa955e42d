// IPv6 from the browser (issue 23, docs/ipv6.md): an ISP's prefix and gateway in its form's IPv6
// section (a prefix with host bits refused at its field, naming the network that was meant), the
// main LAN's /64 in Settings, and the host cards' IPv6 line on the board. Nothing is applied;
// everything it set is cleared again at the end (the /64 first: a LAN /64 needs its ISP's prefix).
import { test, expect, nav } from "./fixtures";

test.describe.serial("IPv6 settings", () => {
  test("an ISP's prefix and gateway, a LAN /64, and the host cards' IPv6 line", async ({ loggedIn: page, form }) => {
    /**
     * office-pc's MAC and what it uses, through its host form ("" removes the MAC). The specs before
     * this one may have moved it: it is put on ISP1 here and back where it was at the end.
     */
    let usedBefore = "";
    const setHost = async (mac: string, uses?: string) => {
      await nav(page, "Hosts");
      await page
        .getByRole("row", { name: /office-pc/ })
        .getByRole("link")
        .first()
        .click();
      const select = page.getByLabel("Uses", { exact: true });
      if (uses === undefined) {
        usedBefore = await select.inputValue();
        await select.selectOption("ISP1");
      } else await select.selectOption(uses);
      await form.fill({ "MAC address (optional)": mac });
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await expect(page).toHaveURL(/\/hosts/);
    };
    test.setTimeout(120_000);
    await nav(page, "ISPs");
    await page.getByRole("link", { name: "ISP1", exact: true }).first().click();
    await form.fill({ "IPv6 prefix": "2001:db8:1::5/48", "IPv6 gateway (next hop)": "fe80::1" });
    await expect(page.getByLabel("Translate other ISPs' prefixes for hosts placed here")).toBeChecked();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(form.fieldError("IPv6 prefix")).toHaveText("2001:db8:1::5/48 has host bits set: enter the network, 2001:db8:1::/48");
    await expect(page.getByRole("alert").filter({ hasText: "Nothing was saved" })).toBeVisible();
    await form.fill({ "IPv6 prefix": "2001:DB8:1::/48" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page).toHaveURL(/\/isps\?saved=1$/);
    // stored in its canonical form
    await expect(page.getByRole("row", { name: /ISP1/ })).toContainText("IPv6 2001:db8:1::/48");

    await nav(page, "Settings");
    const subnets6 = "IPv6 subnets (optional)";
    await form.fill({ [subnets6]: "2001:db8:9:1::1/64" });
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(form.fieldError(subnets6)).toHaveText(/inside no ISP's IPv6 prefix \(ISP1 2001:db8:1::\/48\)/);
    await form.fill({ [subnets6]: "2001:db8:1:1::1/64" });
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page).toHaveURL(/\/settings\?saved=1$/);
    await expect(page.getByLabel(subnets6, { exact: true })).toHaveValue("2001:db8:1:1::1/64");

    // office-pc, on ISP1 (with IPv6), gets a MAC: v4 and v6; laptop (no MAC) cannot be matched for
    // IPv6, so its IPv6 goes the unlisted hosts' way: the default ISP, ISP1
    await setHost("52:54:00:00:23:01");
    await page.goto("/");
    await expect(page.getByRole("button", { name: /^office-pc \(/ }).getByTestId("ipv6-line")).toHaveText("v4 and v6");
    await expect(page.getByRole("button", { name: /^laptop \(/ }).getByTestId("ipv6-line")).toHaveText("no MAC: IPv6 by ISP1, as the unlisted hosts'");

    // the Live page's literal view lists the IPv6 side too while the configuration routes IPv6
    await page.goto("/status?view=literal");
    await expect(page.getByRole("group", { name: "ip -6 rule show" })).toContainText(/32766:\s+from all lookup main/);
    await expect(page.getByRole("group", { name: "ip6tables -t mangle -L -v -n -x" })).toContainText(/Chain PREROUTING \(policy ACCEPT/);

    // clean up: the MAC, the LAN /64, then the ISP's IPv6; the board shows no IPv6 line again
    await setHost("", usedBefore);
    await nav(page, "Settings");
    await form.fill({ [subnets6]: "" });
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page).toHaveURL(/\/settings\?saved=1$/);
    await nav(page, "ISPs");
    await page.getByRole("link", { name: "ISP1", exact: true }).first().click();
    await form.fill({ "IPv6 prefix": "", "IPv6 gateway (next hop)": "" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page).toHaveURL(/\/isps\?saved=1$/);
    await expect(page.getByRole("row", { name: /ISP1/ })).not.toContainText("IPv6");
    await page.goto("/");
    await expect(page.getByRole("button", { name: /^office-pc \(/ })).toBeVisible();
    await expect(page.getByTestId("ipv6-line")).toHaveCount(0);
    await page.goto("/status?view=literal");
    await expect(page.getByRole("group", { name: "ip rule show" })).toBeVisible();
    await expect(page.getByRole("group", { name: "ip -6 rule show" })).toHaveCount(0);
  });
});
