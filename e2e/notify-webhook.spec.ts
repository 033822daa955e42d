// Settings -> Notifications from the browser: a webhook channel set up (a bad URL refused at its
// field), its Test button delivering a signed message to a receiver on 127.0.0.1, the result
// and the last delivery on the channel's page, the secret never shown again; an e-mail channel
// whose SMTP password a local server (smtp-server, 127.0.0.1) refuses says so. Removes both after.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac } from "node:crypto";
import { test, expect, EntityFormPage } from "./fixtures";

test("a webhook channel receives a signed test message", { tag: "@any-backend" }, async ({ loggedIn: page }) => {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/switchyard`;
  try {
    const form = new EntityFormPage(page);
    await page.goto("/settings");
    await page.getByRole("link", { name: "Notification channels" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
    await page.getByRole("link", { name: "Add channel" }).click();
    await form.fill({ Name: "e2e hook", Type: "webhook", URL: "ftp://nope", Secret: "e2e-hmac-secret" });
    await page.getByRole("button", { name: "Add channel" }).click();
    await expect(form.fieldError("URL")).toHaveText("The webhook URL must be an http:// or https:// address");
    await expect(page.getByLabel("Secret", { exact: true })).toHaveValue(""); // not even sent back after an error
    await form.fill({ URL: url, Secret: "e2e-hmac-secret" });
    await page.getByRole("button", { name: "Add channel" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Channel e2e hook" })).toBeVisible();
    await expect(page.getByLabel("New secret (empty: keep)")).toHaveValue("");
    await expect(page.locator("body")).not.toContainText("e2e-hmac-secret");

    await page.getByRole("button", { name: "Send a test message" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Test message sent." })).toBeVisible();
    expect(got).toHaveLength(1);
    const msg = JSON.parse(got[0].body);
    expect(msg).toMatchObject({ kind: "test", title: "Switchyard test message", channel: "e2e hook" });
    expect(got[0].headers["x-switchyard-signature"]).toBe(`sha256=${createHmac("sha256", "e2e-hmac-secret").update(got[0].body).digest("hex")}`);
    await expect(page.getByText(/^Last delivery:/)).toContainText("sent");

    await page.goto("/settings/notifications");
    await expect(page.getByRole("row", { name: /^e2e hook webhook/ })).toContainText("sent");
    await page.getByRole("link", { name: "e2e hook" }).click();
    await page.getByRole("button", { name: "Delete channel e2e hook" }).click();
    await page.getByRole("button", { name: "Delete e2e hook" }).click();
    await expect(page).toHaveURL(/\/settings\/notifications$/);
    await expect(page.getByRole("link", { name: "e2e hook" })).toHaveCount(0);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test("a wrong SMTP password is a clear error on the channel's page", { tag: "@any-backend" }, async ({ loggedIn: page }) => {
  const { SMTPServer } = await import("smtp-server");
  const smtp = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth: (auth, _s, cb) =>
      auth.password === "right"
        ? cb(null, { user: auth.username })
        : cb(Object.assign(new Error("5.7.8 Authentication credentials invalid"), { responseCode: 535 })),
    onData: (stream, _s, cb) => stream.on("data", () => {}).on("end", () => cb()),
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  const port = String((smtp.server.address() as AddressInfo).port);
  try {
    const form = new EntityFormPage(page);
    await page.goto("/settings/notifications/new");
    await form.fill({
      Name: "e2e mail",
      Type: "email",
      "SMTP server": "127.0.0.1",
      Port: port,
      Security: "none",
      "User name": "gw",
      From: "gw@example.org",
      To: "admin@example.org",
      Secret: "wrong",
    });
    await page.getByRole("button", { name: "Add channel" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Channel e2e mail" })).toBeVisible();
    await page.getByRole("button", { name: "Send a test message" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Test failed" })).toHaveText(
      /^Test failed: SMTP login refused: 535 5\.7\.8 Authentication credentials invalid/,
    );
    await expect(page.getByText(/^Last delivery:/)).toContainText("SMTP login refused: 535");
    // the right password, typed into the write-only field, fixes it
    await form.fill({ "New secret (empty: keep)": "right" });
    await page.getByRole("button", { name: "Save channel" }).click();
    await page.getByRole("button", { name: "Send a test message" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Test message sent." })).toBeVisible();
    await page.getByRole("button", { name: "Delete channel e2e mail" }).click();
    await page.getByRole("button", { name: "Delete e2e mail" }).click();
    await expect(page).toHaveURL(/\/settings\/notifications$/);
  } finally {
    await new Promise<void>((r) => smtp.close(() => r()));
  }
});
