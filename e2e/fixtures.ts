// Page objects injected through test.extend, and a logged-in page for every spec.
import { test as base, expect, type Page } from "@playwright/test";

export const ADMIN = { username: "admin", password: "e2e-admin-password" };

export class LoginPage {
  constructor(readonly page: Page) {}
  async login(username = ADMIN.username, password = ADMIN.password) {
    await this.page.goto("/login");
    await this.page.getByLabel("User name").fill(username);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Log in" }).click();
  }
}

export class EntityFormPage {
  constructor(readonly page: Page) {}
  async fill(values: Record<string, string>) {
    for (const [label, value] of Object.entries(values)) {
      const field = this.page.getByLabel(label, { exact: true });
      if ((await field.evaluate((el) => el.tagName)) === "SELECT") await field.selectOption(value);
      else await field.fill(value);
    }
  }
  /** the error messages shown at one field */
  fieldError(label: string) {
    return this.page.getByLabel(label, { exact: true }).locator("xpath=ancestor::div[1]").locator("[aria-live] p");
  }
}

/** Follow a link of the main navigation. */
export async function nav(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

export const test = base.extend<{ loginPage: LoginPage; form: EntityFormPage; loggedIn: Page }>({
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  form: async ({ page }, use) => use(new EntityFormPage(page)),
  loggedIn: async ({ page, loginPage }, use) => {
    await loginPage.login();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await use(page);
  },
});

export { expect };

/** The netfilter backend the lab gateway runs in this pass of the suite (playwright.config.ts: nftables unless SWITCHYARD_FIREWALL says iptables). */
export const NFTABLES = process.env.SWITCHYARD_FIREWALL !== "iptables";
/** What a user reads for one thing, on the backend in use. */
export const onBackend = <T>(nftables: T, iptables: T): T => (NFTABLES ? nftables : iptables);
