// An ISP without IPv6 (issue 23, docs/ipv6.md): its form offers what becomes of its hosts' IPv6
// only while its IPv6 prefix is empty; "Refused" is stored and shown on the ISPs page. Nothing is
// applied; ISP2 is set back to "follows the address" at the end.
import { test, expect, nav } from "./fixtures";

test("an ISP without IPv6: its hosts' IPv6 follows the address or is refused", async ({ loggedIn: page, form }) => {
  const choice = "IPv6 of the hosts placed here";
  const openIsp2 = async () => {
    await nav(page, "ISPs");
    await page.getByRole("link", { name: "ISP2", exact: true }).first().click();
  };
  await openIsp2();
  await expect(page.getByLabel(choice)).toHaveValue("follow");
  // a prefix typed: the choice goes (an ISP with IPv6 routes its hosts' IPv6 itself); cleared: back
  await form.fill({ "IPv6 prefix": "2001:db8:2::/48" });
  await expect(page.getByLabel(choice)).toHaveCount(0);
  await form.fill({ "IPv6 prefix": "" });
  await page.getByLabel(choice).selectOption("unreachable");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(/\/isps\?saved=1$/);
  await expect(page.getByRole("row", { name: /ISP2/ })).toContainText("no IPv6: its hosts' IPv6 refused");

  await openIsp2();
  await expect(page.getByLabel(choice)).toHaveValue("unreachable");
  await page.getByLabel(choice).selectOption("follow");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(/\/isps\?saved=1$/);
  await expect(page.getByRole("row", { name: /ISP2/ })).not.toContainText("refused");
});
