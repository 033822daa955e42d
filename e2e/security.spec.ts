// The real server's gate, over HTTP: no page without a login, no foreign Host (DNS
// rebinding), no state change from a foreign or missing Origin (CSRF).
import http from "node:http";
import { test, expect } from "./fixtures";

const PORT = 3100;
function raw(method: string, path: string, headers: Record<string, string>, body = ""): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: PORT, method, path, headers, setHost: false }, (res) => {
      let data = "";
      res.on("data", (c) => (data += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: data }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
const HOST = `127.0.0.1:${PORT}`;

test.describe("security over HTTP", () => {
  test("a page without a session sends the browser to the login page", async ({ page }) => {
    await page.goto("/hosts");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  });

  test("a foreign Host header is refused before the app sees it", async () => {
    const r = await raw("GET", "/login", { host: "rebind.evil.example" });
    expect(r.status).toBe(421);
    expect(r.body).toMatch(/not allowed/);
  });

  test("a POST with a foreign or missing Origin is refused", async () => {
    const body = JSON.stringify({});
    const foreign = await raw("POST", "/api/apply", { host: HOST, origin: "http://evil.example", "content-type": "application/json" }, body);
    expect(foreign.status).toBe(403);
    const missing = await raw("POST", "/api/apply", { host: HOST, "content-type": "application/json" }, body);
    expect(missing.status).toBe(403);
    // same-site but no session: the app's own guard answers
    const noSession = await raw("POST", "/api/apply", { host: HOST, origin: `http://${HOST}`, "content-type": "application/json" }, body);
    expect(noSession.status).toBe(401);
  });

  test('a spoofed "X-Forwarded-For: 127.0.0.1" earns no access', async () => {
    const r = await raw("GET", "/api/kernel", { host: HOST, "x-forwarded-for": "127.0.0.1" });
    expect(r.status).toBe(401);
  });
});
