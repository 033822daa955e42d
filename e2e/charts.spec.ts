// The Live page's long-term charts, as a user reads them at desktop and phone size: the x axis
// is the chosen range (the 30-day view with one sample spans the 30 days ending now), y tick
// labels are distinct and in a unit that fits, sent and received differ, and the readout
// follows the mouse, or a finger on a phone. Screenshots: test-results/charts-*.png.
import path from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { LoginPage } from "./fixtures";
import { HOST, run } from "../lib/net/exec";
import { e2eEnv } from "../playwright.config";

const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const seed = async (what: "seed" | "clean") => {
  const r = await run(HOST, "node", [tsx, "e2e/charts-seed.ts", what], { env: e2eEnv, cwd: root, timeoutMs: 60_000, allowFailure: true });
  expect(r.exitCode, r.stderr).toBe(0);
};
const shot = (name: string) => path.join(root, "test-results", name);
const DAY = 86400;

test.beforeAll(() => seed("seed"));
test.afterAll(() => seed("clean"));

/** The y tick labels of a chart once it has drawn the range asked (seconds), ending now. */
async function axes(page: Page, title: string, span: number) {
  const fig = page.getByRole("group", { name: title, exact: true });
  const drawn = async () => {
    const [min, max, labels] = await Promise.all([fig.getAttribute("data-x-min"), fig.getAttribute("data-x-max"), fig.getAttribute("data-y-labels")]);
    return { x: [Number(min), Number(max)], y: JSON.parse(labels ?? "[]") as string[] };
  };
  // the axis ends now and starts `span` before, however the samples lie
  await expect
    .poll(async () => {
      const { x } = await drawn();
      return Math.abs(x[1] - Date.now() / 1000) < 60 && Math.abs(x[1] - x[0] - span) < 60;
    })
    .toBe(true);
  return drawn();
}

async function readChart(page: Page, touch: boolean, name: string) {
  await page.goto("/status");
  const history = page.getByRole("region", { name: "Long-term history" });
  const traffic = history.getByRole("group", { name: "Traffic ISP1", exact: true });
  await traffic.scrollIntoViewIfNeeded();

  // 1 hour: the axis ends now and starts an hour before
  let a = await axes(page, "Traffic ISP1", 3600);
  expect(new Set(a.y).size).toBe(a.y.length);
  expect(a.y.at(-1)).toMatch(/MB\/s$/);

  // sent and received: distinct colours and line styles, in the legend too
  const readout = history.getByRole("status", { name: "Traffic ISP1 readout" });
  const swatch = (s: string) => readout.locator(`[data-series="${s}"] line`);
  const [sent, received] = [await swatch("sent").getAttribute("stroke"), await swatch("received").getAttribute("stroke")];
  expect(sent).not.toBe(received);
  expect(await swatch("sent").getAttribute("stroke-dasharray")).not.toBe(await swatch("received").getAttribute("stroke-dasharray"));
  // without a pointer: the newest readings, never "–"
  await expect(readout).toContainText("latest");
  await expect(readout.locator('[data-series="sent"] [data-value]')).toHaveText(/^\d+(\.\d+)? MB\/s$/);

  // pointing 12 minutes back (mouse, or a tap on a phone) shows the readings there
  const over = traffic.locator(".u-over");
  const box = (await over.boundingBox())!;
  const at = { x: box.x + box.width * 0.8, y: box.y + box.height / 2 };
  if (touch) await page.touchscreen.tap(at.x, at.y);
  else await page.mouse.move(at.x, at.y);
  await expect(readout).not.toContainText("latest");
  await expect(readout.locator('[data-series="sent"] [data-value]')).toHaveText(/^\d+(\.\d+)? MB\/s$/);
  await expect(readout.locator('[data-series="received"] [data-value]')).toHaveText(/^\d+(\.\d+)? MB\/s$/);
  // in the hole the monitor left, nothing is named
  const hole = { x: box.x + box.width * (35 / 60), y: at.y };
  if (touch) await page.touchscreen.tap(hole.x, hole.y);
  else await page.mouse.move(hole.x, hole.y);
  await expect(readout.locator('[data-series="sent"] [data-value]')).toHaveText("–");
  await expect(readout).toContainText("nothing measured");
  if (touch) await page.touchscreen.tap(at.x, at.y);
  else await page.mouse.move(at.x, at.y);

  // nothing wider than the screen: the canvas and the readout stay inside the viewport
  const width = page.viewportSize()!.width;
  for (const el of [traffic, readout]) {
    const b = (await el.boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width).toBeLessThanOrEqual(width);
  }
  await history.screenshot({ path: shot(`charts-${name}.png`) });

  // 30 days with one idle sample: the 30 days ending now, a scale that reads (not "0 B/s" three times)
  await history.getByRole("button", { name: "30 days" }).click();
  await expect(history.getByRole("group", { name: "Traffic ISP2", exact: true })).toHaveCount(0);
  a = await axes(page, "Traffic ISP1", 30 * DAY);
  expect(new Set(a.y).size).toBe(a.y.length);
  expect(a.y.filter((l) => l === "0 B/s")).toHaveLength(1);
  await expect(readout.locator('[data-series="sent"] [data-value]')).toHaveText("0 B/s");
  await history.screenshot({ path: shot(`charts-${name}-30d.png`) });
  // 24 hours: the day ending now, the 50 measured minutes at its right end
  await history.getByRole("button", { name: "24 hours" }).click();
  await axes(page, "Traffic ISP1", DAY);
  await history.screenshot({ path: shot(`charts-${name}-24h.png`) });
}

test.describe("desktop", { tag: "@any-backend" }, () => {
  test.use({ viewport: { width: 1280, height: 800 } });
  test("long-term charts read at desktop size, with the mouse", async ({ page }) => {
    await new LoginPage(page).login();
    await expect(page).not.toHaveURL(/\/login/);
    await readChart(page, false, "desktop");
  });
});

test.describe("phone", { tag: "@any-backend" }, () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  test("long-term charts read at phone size, with a finger", async ({ page }) => {
    await new LoginPage(page).login();
    await expect(page).not.toHaveURL(/\/login/);
    await readChart(page, true, "phone");
    // the other charts on this page (the sparklines of the ISP cards), for a look
    await page.getByRole("region", { name: "Traffic per ISP" }).screenshot({ path: shot("charts-phone-isp-cards.png") });
  });
});
