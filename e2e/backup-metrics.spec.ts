// Issue 21's metrics, backup and phone parts through the real server (server.mjs and its login
// gate): the manifest, icons and robots.txt without a login; /metrics refused without a token
// and, with one made on Settings → Metrics, an answer a strict Prometheus text parser reads;
// a backup downloaded, changed, uploaded, its diff seen, staged, and the original put back.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { request as httpRequest } from "@playwright/test";
import { test, expect } from "./fixtures";
import { parsePrometheusText, sampleValue } from "../tests/helpers/prom-text";

test.describe("metrics, backup and the phone's home screen", () => {
  test("the manifest, its icons and robots.txt are served without a login; pages are not", async ({ baseURL }) => {
    const anon = await httpRequest.newContext({ baseURL, maxRedirects: 0 });
    const robots = await anon.get("/robots.txt");
    expect(robots.status()).toBe(200);
    expect(await robots.text()).toMatch(/^Disallow: \/$/m);
    const manifest = await anon.get("/manifest.webmanifest");
    expect(manifest.status()).toBe(200);
    const m = await manifest.json();
    expect(m).toMatchObject({ start_url: "/", display: "standalone" });
    for (const icon of m.icons as { src: string; sizes: string }[]) {
      const r = await anon.get(icon.src);
      expect(r.status(), icon.src).toBe(200);
      expect(r.headers()["content-type"]).toBe("image/png");
    }
    expect((await anon.get("/apple-touch-icon.png")).status()).toBe(200);
    // every page links the manifest and asks not to be indexed
    const login = await (await anon.get("/login")).text();
    expect(login).toMatch(/<meta name="robots" content="noindex/);
    expect(login).toContain('<link rel="manifest" href="/manifest.webmanifest"');
    expect(login).toMatch(/<meta name="theme-color" content="#0f172a"/);
    expect((await anon.get("/settings/backup")).status()).toBe(307); // to the login
    expect((await anon.get("/settings/backup/download")).status()).toBe(307);
    await anon.dispose();
  });

  test("/metrics: 401 without a token; with one made in the UI, the Prometheus text format; revoked, 401 again", async ({ loggedIn: page, baseURL }) => {
    await page.goto("/settings");
    await page.getByRole("link", { name: "Metrics tokens" }).click();
    await page.getByLabel("Token name").fill("e2e-prometheus");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByLabel("New metrics token").textContent())?.trim() ?? "";
    expect(token).toMatch(/^swm_/);
    await page.reload();
    await expect(page.getByRole("row", { name: /e2e-prometheus/ })).toBeVisible();
    await expect(page.getByText(token)).toHaveCount(0); // shown once

    const anon = await httpRequest.newContext({ baseURL, maxRedirects: 0 });
    const refused = await anon.get("/metrics");
    expect(refused.status()).toBe(401);
    expect(refused.headers()["www-authenticate"]).toMatch(/^Bearer /);
    expect((await anon.get("/metrics", { headers: { authorization: "Bearer swm_" + "x".repeat(43) } })).status()).toBe(401);
    const ok = await anon.get("/metrics", { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status()).toBe(200);
    const families = parsePrometheusText(await ok.text());
    for (const isp of ["ISP1", "ISP2"]) {
      const states = ["up", "degraded", "down", "unknown"].map((state) => sampleValue(families, "switchyard_isp_state", { isp, state }));
      expect(
        states.filter((v) => v === 1),
        isp,
      ).toHaveLength(1);
      expect(sampleValue(families, "switchyard_isp_failovers_total", { isp })).toBeGreaterThanOrEqual(0);
    }
    expect(families.get("switchyard_apply_duration_seconds")?.type).toBe("histogram");

    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Revoke e2e-prometheus" }).click();
    await expect(page.getByRole("row", { name: /e2e-prometheus/ })).toHaveCount(0);
    expect((await anon.get("/metrics", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
    await anon.dispose();
  });

  test("restore a backup after seeing its diff", async ({ loggedIn: page }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-backup-"));
    await page.goto("/settings/backup");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the configuration" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^switchyard-config-\d{8}-\d{4}\.json$/);
    const original = path.join(dir, "original.json");
    await download.saveAs(original);
    const config = JSON.parse(fs.readFileSync(original, "utf8"));
    expect(config.isps.map((i: { name: string }) => i.name)).toEqual(["ISP1", "ISP2"]);

    // a file that is not valid: the reason, nothing to stage
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ ...config, hosts: [...config.hosts, { name: "tablet", address: "192.168.1.999", isp: "ISP1" }] }));
    await page.getByLabel("Configuration file").setInputFiles(bad);
    const refusal = page.getByRole("alert").filter({ hasText: "bad.json cannot be staged" });
    await expect(refusal).toContainText("hosts[2].address (tablet)");
    await expect(page.getByRole("button", { name: "Stage this configuration" })).toHaveCount(0);

    const changed = path.join(dir, "changed.json");
    fs.writeFileSync(changed, JSON.stringify({ ...config, hosts: [...config.hosts, { name: "tablet", address: "192.168.1.77", isp: "ISP2" }] }, null, 2));
    await page.getByLabel("Configuration file").setInputFiles(changed);
    await expect(page.getByRole("list", { name: "Changes" })).toContainText("host tablet added");
    const diff = page.getByLabel("The staged configuration against the file", { exact: true });
    await expect(diff).toContainText('"name": "tablet"');
    await expect(diff.locator("div", { hasText: '"address": "192.168.1.77"' }).first()).toHaveClass(/emerald/);
    await page.getByRole("button", { name: "Stage this configuration" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Staged changed.json" })).toBeVisible();

    await page.goto("/hosts");
    await expect(page.getByRole("row", { name: /tablet/ })).toContainText("192.168.1.77");

    // the original back, the same way
    await page.goto("/settings/backup");
    await page.getByLabel("Configuration file").setInputFiles(original);
    await expect(page.getByRole("list", { name: "Changes" })).toContainText("host tablet removed");
    await page.getByRole("button", { name: "Stage this configuration" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Staged original.json" })).toBeVisible();
    fs.rmSync(dir, { recursive: true, force: true });

    // the scheduled copies' setting: a bad value at its field, a good one said in words, then off again
    await page.getByLabel("Copies kept").fill("0");
    await page.getByRole("button", { name: "Save schedule" }).click();
    await expect(page.getByText("Keep at least 1 copy")).toBeVisible();
    await page.getByLabel("Scheduled copies").selectOption("weekly");
    await page.getByLabel("Copies kept").fill("3");
    await page.getByRole("button", { name: "Save schedule" }).click();
    await expect(page.getByText("A copy every week, the newest 3 kept")).toBeVisible();
    await page.getByLabel("Scheduled copies").selectOption("off");
    await page.getByRole("button", { name: "Save schedule" }).click();
    await expect(page.getByText("Scheduled copies are off.")).toBeVisible();
  });
});
