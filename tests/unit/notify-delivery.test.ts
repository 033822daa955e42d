// Notifications end to end at the HTTP/SMTP level, every receiver on 127.0.0.1 only: a local
// SMTP server (smtp-server) refusing a wrong password (a clear error, on the channel's page as
// its last delivery), a webhook receiver checking the HMAC signature, an ntfy-style receiver,
// and a receiver that is down getting the message from the queue once it is back.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { tempDatabase } from "../helpers/processes";

const actor = { username: "tester" };
let cleanup: () => Promise<void>;
let db: typeof import("@/lib/db").db;
let ch: typeof import("@/lib/notify/channels");
let dl: typeof import("@/lib/notify/deliver");
let ev: typeof import("@/lib/notify/events");
let schema: typeof import("@/lib/validation/notify").channelSchema;

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
function receiver(port = 0): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      res.end("ok");
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
const close = (s: http.Server) =>
  new Promise<void>((r) => {
    s.closeAllConnections();
    s.close(() => r());
  });

const mails: { from: string; to: string[]; data: string }[] = [];
let smtp: SMTPServer;
let smtpPort: number;

beforeAll(async () => {
  const t = await tempDatabase("notify");
  cleanup = t.cleanup;
  process.env.DATABASE_URL = t.url;
  ({ db } = await import("@/lib/db"));
  ch = await import("@/lib/notify/channels");
  dl = await import("@/lib/notify/deliver");
  ev = await import("@/lib/notify/events");
  schema = (await import("@/lib/validation/notify")).channelSchema;
  smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth: (auth, _s, cb) =>
      auth.username === "gw" && auth.password === "right"
        ? cb(null, { user: "gw" })
        : cb(Object.assign(new Error("5.7.8 Authentication credentials invalid"), { responseCode: 535 })),
    onData: (stream, session, cb) => {
      let data = "";
      stream.on("data", (c) => (data += c));
      stream.on("end", () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => smtp?.close(() => r()));
  await db?.$disconnect();
  await cleanup?.();
});

const save = async (input: Record<string, unknown>) => {
  const r = await ch.saveChannel(null, schema.parse(input), actor);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.channel;
};

describe("e-mail over SMTP", () => {
  it("a wrong password is a clear error, kept as the channel's last delivery; the right one delivers", async () => {
    await save({
      name: "mail",
      type: "email",
      events: "isp-down,isp-up,test",
      host: "127.0.0.1",
      port: String(smtpPort),
      security: "none",
      user: "gw",
      from: "gw@example.org",
      to: "admin@example.org",
      secret: "wrong",
    });
    const bad = await dl.sendTest("mail");
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/^SMTP login refused: 535 5\.7\.8 Authentication credentials invalid/) });
    const view = await ch.getChannel("mail");
    expect(view?.lastDelivery).toMatchObject({ status: "failed", error: bad.ok ? "" : bad.error });
    expect(view?.secretSet).toBe(true);
    expect(JSON.stringify(view)).not.toContain("wrong"); // what the page gets never holds the secret

    // only the password changes: the rest is kept, and the secret is replaced
    const r = await ch.saveChannel("mail", schema.parse({ ...ch.inputOf(view!), secret: "right" }), actor);
    expect(r.ok).toBe(true);
    expect(await dl.sendTest("mail")).toEqual({ ok: true });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: "gw@example.org", to: ["admin@example.org"] });
    expect(mails[0].data).toContain("Subject: [Switchyard] Switchyard test message");
    // saving again without a secret keeps it
    await ch.saveChannel("mail", schema.parse({ ...ch.inputOf((await ch.getChannel("mail"))!), secret: "" }), actor);
    expect(await dl.sendTest("mail")).toEqual({ ok: true });
    // another type without a new secret: the SMTP password is not kept as a webhook's HMAC secret
    await ch.saveChannel("mail", schema.parse({ name: "mail", type: "webhook", events: "test", url: "http://127.0.0.1:9/x" }), actor);
    expect((await ch.getChannel("mail"))?.secretSet).toBe(false);
    await ch.deleteChannel("mail", actor);
  });

  it("an SMTP server that is not there says so", async () => {
    await save({
      name: "nomail",
      type: "email",
      events: "test",
      host: "127.0.0.1",
      port: "9",
      security: "none",
      from: "gw@example.org",
      to: "admin@example.org",
    });
    const r = await dl.sendTest("nomail");
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^cannot reach the SMTP server 127\.0\.0\.1:9: .*ECONNREFUSED/) });
    await ch.deleteChannel("nomail", actor);
  });
});

describe("webhook and ntfy, from the outbox through the queue", () => {
  it("signed webhook and ntfy headers; a receiver that is down gets the message once it is back", async () => {
    let hook = await receiver();
    const port = (hook.address() as AddressInfo).port;
    await save({ name: "hook", type: "webhook", events: "isp-down,isp-up", url: `http://127.0.0.1:${port}/in`, secret: "hmac-key" });
    await save({ name: "phone", type: "ntfy", events: "isp-down", server: `http://127.0.0.1:${port}`, topic: "gw", priority: "3", secret: "tk_token" });

    await ev.emitEvent({ kind: "isp-down", isp: "fiber", reason: "3 of 3 probes lost", from: "up" });
    await dl.processOutbox();
    expect(await dl.deliverDue()).toBe(2);
    const toHook = received.find((r) => r.path === "/in")!;
    expect(JSON.parse(toHook.body)).toMatchObject({ kind: "isp-down", title: "fiber down" });
    expect(toHook.headers["x-switchyard-signature"]).toBe(`sha256=${createHmac("sha256", "hmac-key").update(toHook.body).digest("hex")}`);
    const toPhone = received.find((r) => r.path === "/gw")!;
    expect(toPhone.headers).toMatchObject({ title: "fiber down", priority: "4", authorization: "Bearer tk_token" });
    expect(toPhone.body).toMatch(/^fiber is down since \d\d:\d\d:\d\d UTC: 3 of 3 probes lost/);

    // the receiver goes away; the ISP comes back meanwhile
    await close(hook);
    received.length = 0;
    await ev.emitEvent({ kind: "isp-up", isp: "fiber", reason: "probes answer", from: "down" });
    await dl.processOutbox();
    expect(await dl.deliverDue()).toBe(0);
    const [waiting] = await ch.recentDeliveries({ channel: "hook", take: 1 });
    expect(waiting).toMatchObject({ status: "pending", attempts: 1, title: expect.stringMatching(/^fiber up again after \d+ s$/) });
    expect(waiting.error).toMatch(/^cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/);
    expect(await dl.deliverDue()).toBe(0); // not due yet: it waits its backoff

    hook = await receiver(port);
    expect(await dl.deliverDue(undefined, () => Date.now() + dl.backoffMs(1))).toBe(1);
    expect(received.map((r) => JSON.parse(r.body).title)).toEqual([waiting.title]);
    expect((await ch.getChannel("hook"))?.lastDelivery).toMatchObject({ status: "sent", attempts: 2, error: null });
    await close(hook);
  });

  it("gives up after a day, saying why", async () => {
    await save({ name: "gone", type: "webhook", events: "drift", url: "http://127.0.0.1:9/x" });
    await ev.emitEvent({ kind: "drift", summary: "1 rule differs: - rule 10100" });
    await dl.processOutbox();
    await dl.deliverDue(undefined, () => Date.now() + dl.GIVE_UP_MS);
    const [d] = await ch.recentDeliveries({ channel: "gone", take: 1 });
    expect(d).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^gave up after 1 attempt over 24 h: cannot reach 127\.0\.0\.1:9: its port is one the Fetch standard blocks/),
    });
  });
});

describe("drift", () => {
  it("is raised once when it appears, not at every read, and again only after it was gone", async () => {
    const { noteDrift } = await import("@/lib/notify/drift");
    const lines = [{ op: "-" as const, kind: "rule" as const, text: "rule 10100 fwmark 0x1/0xff lookup 100" }];
    const count = () => db.notifyEvent.count({ where: { kind: "drift" } });
    const before = await count();
    for (let i = 0; i < 5; i++) await noteDrift(lines, 3); // the Live page polling
    expect(await count()).toBe(before + 1);
    const last = await db.notifyEvent.findFirst({ where: { kind: "drift" }, orderBy: { id: "desc" } });
    expect(JSON.parse(last!.payload).summary).toBe("1 rule differs: - rule 10100 fwmark 0x1/0xff lookup 100 (against revision 3)");
    await noteDrift([], 4); // an apply fixed it
    await noteDrift([], 4);
    await noteDrift(lines, 4); // back
    expect(await count()).toBe(before + 2);
  });
});

describe("the config file", () => {
  it("exports channels without their secrets; an import without one keeps the stored secret", async () => {
    const file = await import("@/lib/data/config-file");
    const { classicOffice } = await import("@/lib/examples");
    expect((await file.importConfigFile(classicOffice)).ok).toBe(true);
    const out = await file.exportConfigFile();
    const text = JSON.stringify(out);
    expect(text).not.toContain("hmac-key");
    expect(text).not.toContain("tk_token");
    expect(out.notifications?.find((c) => c.name === "hook")).toMatchObject({ type: "webhook", secretSet: true });
    expect((await file.importConfigFile(JSON.parse(text))).ok).toBe(true);
    const row = await db.notifyChannel.findUnique({ where: { name: "hook" } });
    expect(row?.secret).toBe("hmac-key");
    const bad = await file.importConfigFile({
      ...JSON.parse(text),
      notifications: [{ name: "x", type: "ntfy", events: ["isp-down"], server: "https://ntfy.sh" }],
    });
    expect(bad).toMatchObject({ ok: false, issues: [{ path: ["notifications", 0, "topic"], message: expect.stringContaining("A topic") }] });
  });
});
