// The admin's everyday (issue 12): the literal kernel view, the audit log's filter and CSV,
// the phone menu, a comment per apply, forms that show every error at once, and a screenshot
// of every page at desktop and phone size (e2e/screenshots/ui-*.png). Runs after the other
// specs (file name order): the apply here does not shift their revision numbers.
import zlib from "node:zlib";
import { test, expect, nav, NFTABLES } from "./fixtures";

const PHONE = { width: 390, height: 844 };
const PAGES = ["/", "/isps", "/hosts", "/nat", "/settings", "/ruleset", "/status", "/history", "/audit", "/account", "/isps/new", "/hosts/new"];
const shotName = (path: string) => (path === "/" ? "dashboard" : path.slice(1).replaceAll("/", "-"));

test.describe.serial("the admin's everyday", () => {
  test("an apply with a comment: the comment and a change summary in History, editable on the revision", async ({ loggedIn: page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: /^Apply & verify/ }).click();
    const dialog = page.getByRole("dialog", { name: "Apply & verify" });
    await dialog.getByLabel(/^Comment/).fill("e2e: nightly check");
    await dialog.getByRole("button", { name: "Confirm and apply" }).click();
    await expect(dialog.getByRole("heading", { name: /Verified|Failed/ })).toBeVisible({ timeout: 45_000 });
    await expect(dialog).toContainText(/Took \d+\.\d s/);
    await dialog.getByRole("button", { name: "Close" }).last().click();

    await nav(page, "History");
    const newest = page.getByRole("table").getByRole("row").nth(1);
    await expect(newest).toContainText("e2e: nightly check");
    await newest.getByRole("link").first().click();
    const comment = page.getByLabel("Comment", { exact: true });
    await expect(comment).toHaveValue("e2e: nightly check");
    await comment.fill("e2e: nightly check, edited");
    await page.getByRole("button", { name: "Save comment" }).click();
    await expect(page.getByText("Comment saved.")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Comment", { exact: true })).toHaveValue("e2e: nightly check, edited");

    // re-applying says what it would change before it does anything
    await page.getByRole("button", { name: "Re-apply this revision" }).click();
    const re = page.getByRole("dialog", { name: /Re-apply revision/ });
    await expect(re.getByRole("heading", { name: "Replaces in your staged configuration" })).toBeVisible();
    await expect(re.getByRole("heading", { name: /Kernel changes/ })).toBeVisible();
    await re.getByRole("button", { name: "Cancel" }).click();
  });

  test("Live kernel: the literal view shows nft list table inet switchyard (nftables) or the SWYD- chains (iptables), iptables -L -v -n with policy counters, ip rule and ip route per table", async ({
    loggedIn: page,
  }) => {
    await nav(page, "Live kernel");
    await expect(page.getByRole("region", { name: "Policy rules" })).toBeVisible();
    // collapsible: hiding a section keeps its heading
    await page.getByRole("button", { name: "Hide Policy rules" }).click();
    await expect(page.getByRole("region", { name: "Policy rules" }).getByRole("table")).toBeHidden();
    await page.getByRole("button", { name: "Show Policy rules" }).click();
    await expect(page.getByRole("region", { name: "Policy rules" }).getByRole("table")).toBeVisible();

    await page
      .getByRole("group", { name: "View" })
      .getByRole("button", { name: /^Literal/ })
      .click();
    await expect(page).toHaveURL(/view=literal/);
    const filter = page.getByRole("group", { name: "iptables -t filter -L -v -n -x" });
    await expect(filter).toContainText(/Chain FORWARD \(policy ACCEPT \d+ packets, \d+ bytes\)/);
    const mangle = page.getByRole("group", { name: "iptables -t mangle -L -v -n -x" });
    await expect(mangle).toContainText(/pkts\s+bytes\s+target/);
    const nft = page.getByRole("group", { name: "nft list table inet switchyard" });
    if (NFTABLES) {
      // Switchyard's table as nft lists it, counters included; iptables holds none of its chains
      await expect(nft).toContainText("chain SWYD-GUARD {");
      await expect(nft).toContainText(/oifname "eth0" counter packets \d+ bytes \d+/);
      await expect(nft).toContainText(/192\.168\.1\.100 counter packets \d+ bytes \d+ : jump SWYD-ISP100/);
      await expect(mangle).not.toContainText("SWYD-");
      await expect(page.getByRole("group", { name: "nft list tables" })).toContainText("table inet switchyard");
    } else {
      await expect(filter).toContainText("SWYD-GUARD");
      await expect(mangle).toContainText("SWYD-ACCT");
      await expect(nft).toContainText("(not loaded");
    }
    await expect(page.getByRole("group", { name: "ip rule show" })).toContainText(/10\d{3}:\s+from all fwmark 0x2\/0xff lookup/);
    await expect(page.getByRole("group", { name: "ip route show table main" })).toBeVisible();
    await expect(page.getByRole("group", { name: /^ip route show table (100|ISP1)$/ })).toContainText("default via");
    // the jump list leads to the sections of the view shown
    const jump = page.getByRole("navigation", { name: "Jump to" });
    await expect(jump.getByRole("link", { name: "ip rule" })).toHaveAttribute("href", "#literal-rules");
    await expect(jump.getByRole("link", { name: "nft list table" })).toHaveAttribute("href", "#literal-nft");
    // the long-term graphs have their region (samples come from the monitor)
    await expect(page.getByRole("region", { name: "Long-term history" })).toBeVisible();
  });

  test("Audit log: filter by kind and user, export the filtered log as CSV", async ({ loggedIn: page }) => {
    await nav(page, "Audit log");
    await page.getByLabel("Kind").selectOption("login");
    await page.getByLabel("User").selectOption("admin");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/kind=login&user=admin/);
    const rows = page.getByRole("table").getByRole("row");
    await expect(rows.nth(1)).toContainText("login");
    for (const text of (await rows.allInnerTexts()).slice(1)) expect(text).toMatch(/\tlogin(\.[\w-]+)?\t/);

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await (await download).path();
    const csv = (await import("node:fs")).readFileSync(file, "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("id,at,actor,client_ip,action,target,result,before,after");
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines.slice(1)) expect(l).toMatch(/^"\d+","[^"]+","admin","[^"]*","login(\.[\w-]+)?",/);

    // without a session there is no CSV: the gate sends the browser to the login page (the handler itself answers 401)
    const anon = await page.context().browser()!.newContext();
    const res = await anon.request.get(`${test.info().project.use.baseURL}/audit/export`, { maxRedirects: 0 });
    expect([302, 303, 307, 401]).toContain(res.status());
    expect(res.headers()["content-type"] ?? "").not.toMatch(/csv/);
    await anon.close();
  });

  test("forms: every error at once, who uses a value, a field checked when it is left, the next free numbers prefilled", async ({ loggedIn: page, form }) => {
    await page.goto("/isps/new");
    // ISP1 and ISP2 have tables 100, 200 and marks 1, 2 (earlier specs may have added more)
    await expect(page.getByLabel("Routing table number", { exact: true })).not.toHaveValue(/^(100|200|)$/);
    await expect(page.getByLabel("Firewall mark", { exact: true })).not.toHaveValue(/^(1|2|)$/);
    await form.fill({ "WAN interface": "eth 9" });
    await page.getByLabel("Name", { exact: true }).focus(); // leaving the field checks it
    await expect(form.fieldError("WAN interface")).toHaveText(/no spaces/);

    await form.fill({
      Name: "ISP9",
      "WAN interface": "eth9",
      "This gateway's address on the link": "100.64.0.10",
      "Link prefix length": "24",
      "ISP gateway (next hop)": "100.65.0.1",
      "Routing table number": "300",
      "Firewall mark": "1",
    });
    await page.getByRole("button", { name: "Add ISP" }).click();
    await expect(form.fieldError("Routing table number")).toHaveText(/between 1 and 252/);
    await expect(form.fieldError("ISP gateway (next hop)")).toHaveText(/inside the link subnet 100\.64\.0\.0\/24/);
    await expect(form.fieldError("Firewall mark")).toHaveText(/Firewall mark 1 is already used by ISP1; \d+ is free/);
    await page.goto("/isps");
    await expect(page.getByRole("row", { name: /ISP9/ })).toHaveCount(0);
  });

  test("a save says it is staged, and the list marks the staged row", async ({ loggedIn: page, form }) => {
    await page.goto("/hosts/new");
    await form.fill({ Name: "scanner", "LAN address": "192.168.1.88" });
    await page.getByRole("button", { name: "Add host" }).click();
    await expect(page).toHaveURL(/\/hosts\?saved=1$/);
    await expect(page.getByRole("status").filter({ hasText: "Saved host." })).toContainText("apply on the dashboard");
    await expect(page.getByRole("row", { name: /scanner/ })).toContainText("staged: new");
  });

  test("phone: a menu with every page, tables that do not scroll the page sideways", async ({ loggedIn: page }) => {
    await page.setViewportSize(PHONE);
    await page.goto("/");
    const menu = page.getByRole("button", { name: /^Menu/ });
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await menu.click();
    const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
    await expect(links).toHaveCount(12);
    for (const l of await links.all()) await expect(l).toBeInViewport();
    await links.filter({ hasText: "Audit log" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    for (const path of ["/isps", "/hosts", "/history", "/audit", "/nat"]) {
      await page.goto(path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} scrolls sideways`).toBeLessThanOrEqual(PHONE.width);
    }
    // the History and Audit cards show the result of each entry
    await page.goto("/history");
    await expect(page.getByRole("list", { name: "Revisions" }).getByRole("listitem").first()).toContainText(/verified|failed|unchanged/);
  });

  test("the skip link leads to the page, and the favicon is served", async ({ loggedIn: page }) => {
    await page.goto("/");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#main$/);
    const icon = await page.request.get("/favicon.ico");
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toMatch(/icon/);
  });

  test("screenshots of every page at desktop and phone size; the dashboard's JavaScript, gzipped", async ({ loggedIn: page }) => {
    test.setTimeout(120_000);
    const scripts = new Map<string, number>();
    page.on("response", async (r) => {
      if (r.request().resourceType() !== "script" || !r.ok()) return;
      try {
        scripts.set(r.url(), zlib.gzipSync(await r.body(), { level: 9 }).length);
      } catch {
        /* the page moved on */
      }
    });
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    console.log(`dashboard JavaScript: ${scripts.size} files, ${(total / 1024).toFixed(1)} KiB gzipped`);
    page.removeAllListeners("response");

    for (const [size, tag] of [
      [{ width: 1280, height: 900 }, "desktop"],
      [PHONE, "phone"],
    ] as const) {
      await page.setViewportSize(size);
      for (const path of PAGES) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        if (path === "/status") await expect(page.getByRole("region", { name: "Traffic per ISP" })).toBeVisible();
        await page.screenshot({ path: `e2e/screenshots/ui-${tag}-${shotName(path)}.png`, fullPage: true });
      }
    }
  });
});
