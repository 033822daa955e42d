// An ISP's health checks in its form (issue 19): pre-filled with the defaults (the lab's test
// server), a bad value refused at its field with nothing saved, a warning (not an error) for
// targets on the ISP's own link, a good value kept after a reload, IPv6 targets (refused when
// link-local or on an ISP without IPv6, accepted with its IPv6). Back to the defaults at the
// end: the monitor spec after this one probes with them.
import { test, expect, nav } from "./fixtures";
import { e2eEnv } from "../playwright.config";
import { switchyard } from "../tests/helpers/processes";

const cliEnv = { DATABASE_URL: e2eEnv.DATABASE_URL, SWITCHYARD_TARGET: "lab", SWITCHYARD_LAB_PREFIX: "e2e" };

test.describe("ISP health checks", { tag: "@any-backend" }, () => {
  test.afterAll(async () => {
    // whatever happened above, ISP2 leaves with the defaults (nothing stored)
    const r = await switchyard(["health", "reset", "ISP2"], cliEnv);
    expect(r.exitCode, r.stderr).toBe(0);
  });

  test("edit ISP2's health checks: a field error, a link-only warning, a value kept after reload", async ({ loggedIn: page, form }) => {
    await nav(page, "ISPs");
    await page.getByRole("link", { name: "Edit ISP2" }).click();
    const health = page.getByRole("group", { name: "Health checks" });
    await expect(health).toContainText("Not staged: a running monitor uses these within a second");
    await expect(page.getByTestId("health-source")).toContainText("the defaults");
    await expect(page.getByLabel("Probe targets", { exact: true })).toHaveValue("198.18.0.1");
    await expect(page.getByLabel("Loss for degraded (%)", { exact: true })).toHaveValue("20");

    // recovering at the loss that means degraded would flap: refused at the field, nothing saved
    await form.fill({ "Loss to recover (%)": "20", "Successes before up": "4" });
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Nothing was saved" })).toBeVisible();
    await expect(form.fieldError("Loss to recover (%)")).toHaveText(/must be below loss for degraded \(20 %\)/);
    await expect(page.getByLabel("Successes before up", { exact: true })).toHaveValue("4");

    // the ISP's own router as the only target: a warning, while typing
    await form.fill({ "Probe targets": "198.51.100.1" });
    const warning = health.getByRole("status");
    await expect(warning).toContainText("proves the link only, not the internet beyond it");
    await form.fill({ "Probe targets": "198.18.0.1, 198.51.100.1" });
    await expect(warning).toHaveCount(0);

    await form.fill({ "Loss to recover (%)": "3" });
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL(/\/isps\?saved=1$/);

    await page.getByRole("link", { name: "Edit ISP2" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "ISP ISP2" })).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("health-source")).toContainText("its own settings");
    await expect(page.getByLabel("Loss to recover (%)", { exact: true })).toHaveValue("3");
    await expect(page.getByLabel("Successes before up", { exact: true })).toHaveValue("4");
    await expect(page.getByLabel("Probe targets", { exact: true })).toHaveValue("198.18.0.1, 198.51.100.1");

    // the CLI sees what the form stored
    const shown = await switchyard(["health", "show", "ISP2", "--json"], cliEnv);
    expect(JSON.parse(shown.stdout).isps[0]).toMatchObject({
      stored: true,
      scope: "internet",
      settings: { lossRecoverPct: 3, upAfter: 4, targets: ["198.18.0.1", "198.51.100.1"] },
    });

    // the defaults again: nothing stored
    await form.fill({ "Loss to recover (%)": "5", "Successes before up": "5", "Probe targets": "198.18.0.1" });
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL(/\/isps\?saved=1$/);
    await page.getByRole("link", { name: "Edit ISP2" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "ISP ISP2" })).toBeVisible();
    await expect(page.getByTestId("health-source")).toContainText("the defaults");
    await expect(page.getByLabel("Probe targets", { exact: true })).toHaveValue("198.18.0.1");
  });

  test("an IPv6 target: link-local refused, one on an ISP without IPv6 refused, accepted once the ISP has IPv6", async ({ loggedIn: page, form }) => {
    await nav(page, "ISPs");
    await page.getByRole("link", { name: "Edit ISP2" }).click();
    const save = () => page.getByRole("button", { name: "Save", exact: true }).click();
    await form.fill({ "Probe targets": "198.18.0.1, fe80::1" });
    await save();
    await expect(form.fieldError("Probe targets")).toHaveText(/fe80::1 is link-local, not a global IPv6 address/);
    await form.fill({ "Probe targets": "198.18.0.1, 2001:2::1" });
    await save();
    await expect(page.getByRole("alert").filter({ hasText: "Nothing was saved" })).toBeVisible();
    await expect(form.fieldError("Probe targets")).toHaveText(/2001:2::1: ISP2 has no IPv6 \(set its IPv6 prefix first\)/);
    // with the ISP's IPv6 in the same submit: accepted, stored in canonical text
    await form.fill({ "Probe targets": "198.18.0.1, 2001:2:0::1", "IPv6 prefix": "2001:db8:2::/48", "IPv6 gateway (next hop)": "fe80::1" });
    await save();
    await expect(page).toHaveURL(/\/isps\?saved=1$/);
    await page.getByRole("link", { name: "Edit ISP2" }).click();
    await expect(page.getByLabel("Probe targets", { exact: true })).toHaveValue("198.18.0.1, 2001:2::1");
    // clean up: the defaults and no IPv6 again
    await form.fill({ "Probe targets": "198.18.0.1", "IPv6 prefix": "", "IPv6 gateway (next hop)": "" });
    await save();
    await expect(page).toHaveURL(/\/isps\?saved=1$/);
  });
});
