// Router advertisements from the browser (docs/ipv6.md): the Settings field beside "IPv6 subnets",
// refused at the field without a LAN /64, saved with one, and the /64 cannot be removed while it is
// on. Nothing is applied; everything it set is cleared at the end (RA, the /64, the ISP's prefix).
import { test, expect, nav } from "./fixtures";

test.describe.serial("router advertisements setting", () => {
  test("needs a LAN /64, is saved with one, and keeps the /64 while on", async ({ loggedIn: page, form }) => {
    test.setTimeout(120_000);
    const ra = "Router advertisements";
    const subnets6 = "IPv6 subnets (optional)";
    const save = async () => page.getByRole("button", { name: "Save settings" }).click();

    await nav(page, "Settings");
    await expect(page.getByLabel(ra, { exact: true })).toHaveValue("off");
    await form.fill({ [ra]: "on" });
    await save();
    await expect(form.fieldError(ra)).toHaveText(/need a LAN with IPv6 subnets/);

    await nav(page, "ISPs");
    await page.getByRole("link", { name: "ISP1", exact: true }).first().click();
    await form.fill({ "IPv6 prefix": "2001:db8:1::/48", "IPv6 gateway (next hop)": "fe80::1" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page).toHaveURL(/\/isps\?saved=1$/);

    await nav(page, "Settings");
    await form.fill({ [subnets6]: "2001:db8:1:1::1/64", [ra]: "on" });
    await save();
    await expect(page).toHaveURL(/\/settings\?saved=1$/);
    await expect(page.getByLabel(ra, { exact: true })).toHaveValue("on");

    // the /64 is what RA advertises: not removed while RA is on
    await form.fill({ [subnets6]: "" });
    await save();
    await expect(form.fieldError(ra)).toHaveText(/need a LAN with IPv6 subnets/);

    // clean up: RA off with the /64 gone, then the ISP's prefix
    await nav(page, "Settings");
    await form.fill({ [subnets6]: "", [ra]: "off" });
    await save();
    await expect(page).toHaveURL(/\/settings\?saved=1$/);
    await nav(page, "ISPs");
    await page.getByRole("link", { name: "ISP1", exact: true }).first().click();
    await form.fill({ "IPv6 prefix": "", "IPv6 gateway (next hop)": "" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page).toHaveURL(/\/isps\?saved=1$/);
  });
});
