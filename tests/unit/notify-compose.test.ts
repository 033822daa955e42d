// Notifications, the pure parts: the webhook's signature, one message per outage with its
// duration (however the state wandered, across a restart), degraded flapping held back, the
// retry schedule, the failover/failback split, the words of the messages.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { composeIsp, composeOther, DEGRADED_GRACE_MS, DEGRADED_QUIET_MS, type IspMemory, type Message } from "@/lib/notify/compose";
import { backoffMs, BACKOFF_CAP_MS } from "@/lib/notify/deliver";
import { signBody, webhookBody } from "@/lib/notify/webhook";
import { headerText, ntfyRequest } from "@/lib/notify/ntfy";
import { movesDiff } from "@/lib/notify/monitor-hooks";
import { duration } from "@/lib/health/words";
import type { NotifyEvent } from "@/lib/notify/kinds";
import { channelSchema } from "@/lib/validation/notify";

type IspEvent = Extract<NotifyEvent, { isp: string; from: string }>;
const ev = (kind: IspEvent["kind"], isp = "fiber"): IspEvent => ({ kind, isp, reason: "3 of 3 probes lost", from: "up" });

/** Feed events through the per-ISP memory as the worker does; the messages that reach channels. */
function run(steps: [IspEvent["kind"], number][], start: IspMemory | null = null): { sent: Message[]; memory: IspMemory | null } {
  let memory = start;
  const held: Message[] = [];
  for (const [kind, at] of steps) {
    const c = composeIsp(ev(kind), at, memory);
    if (c.memory) memory = c.memory;
    if (c.cancel)
      held.splice(0, held.length, ...held.filter((m) => !(m.subject === c.cancel!.subject && m.kind === c.cancel!.kind && (m.notBefore ?? 0) > at)));
    if (c.message) held.push(c.message);
  }
  return { sent: held, memory };
}

describe("one message per outage", () => {
  const T = Date.UTC(2026, 11, 7, 14, 0, 0);
  it("down then up: two messages, the second with the outage's duration", () => {
    const { sent } = run([
      ["isp-down", T],
      ["isp-up", T + 192_000],
    ]);
    expect(sent.map((m) => m.kind)).toEqual(["isp-down", "isp-up"]);
    expect(sent[0].title).toBe("fiber down");
    expect(sent[1].title).toBe("fiber up again after 3 min 12 s");
    expect(sent[1].body).toContain("down for 3 min 12 s (since 14:00:00 UTC)");
  });

  it("degraded on the way down is overtaken by the down: one down, one up", () => {
    const { sent } = run([
      ["isp-degraded", T],
      ["isp-down", T + 2_000],
      ["isp-up", T + 62_000],
    ]);
    expect(sent.map((m) => m.title)).toEqual(["fiber down", "fiber up again after 1 min"]);
  });

  it("down -> degraded ends the outage (a degraded ISP carries its hosts again), said once", () => {
    const { sent } = run([
      ["isp-down", T],
      ["isp-degraded", T + 60_000],
      ["isp-up", T + 200_000],
    ]);
    expect(sent.map((m) => m.title)).toEqual(["fiber down", "fiber up again after 1 min"]);
    expect(sent[1].body).toContain("(degraded: 3 of 3 probes lost)");
  });

  it("a restarted monitor reporting the same down again says nothing new; the up counts from the first down", () => {
    const first = run([["isp-down", T]]);
    const after = run(
      [
        ["isp-down", T + 30_000],
        ["isp-up", T + 90_000],
      ],
      first.memory,
    );
    expect(after.sent.map((m) => m.title)).toEqual(["fiber up again after 1 min 30 s"]);
  });

  it("an up with nothing told before is no news", () => {
    expect(run([["isp-up", T]]).sent).toEqual([]);
  });
});

describe("degraded, held back and not flapping", () => {
  const T = 1_000_000_000;
  it("told after the grace period when it lasts, then its end with the duration", () => {
    const { sent } = run([
      ["isp-degraded", T],
      ["isp-up", T + DEGRADED_GRACE_MS + 5_000],
    ]);
    expect(sent.map((m) => m.title)).toEqual(["fiber degraded", "fiber no longer degraded"]);
    expect(sent[0].notBefore).toBe(T + DEGRADED_GRACE_MS);
    expect(sent[1].body).toContain("after 35 s degraded");
  });

  it("a short degradation is never told", () => {
    expect(
      run([
        ["isp-degraded", T],
        ["isp-up", T + 5_000],
      ]).sent,
    ).toEqual([]);
  });

  it("flapping between up and degraded: one degraded message per quiet period", () => {
    const steps: [IspEvent["kind"], number][] = [];
    for (let i = 0; i < 10; i++) steps.push(["isp-degraded", T + i * 120_000], ["isp-up", T + i * 120_000 + 60_000]);
    const { sent } = run(steps);
    expect(sent.filter((m) => m.kind === "isp-degraded")).toHaveLength(1);
    expect(sent.length).toBeLessThanOrEqual(2);
    const later = run([["isp-degraded", T + DEGRADED_QUIET_MS + 1]], { told: "up", since: T, degradedToldAt: T });
    expect(later.sent.map((m) => m.kind)).toEqual(["isp-degraded"]);
  });
});

describe("delivery", () => {
  it("retries after 5 s, doubling, never more than 10 minutes apart", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map(backoffMs)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000]);
    expect(BACKOFF_CAP_MS).toBe(600_000);
  });

  it("signs the exact body with HMAC-SHA256 of the secret", () => {
    const body = webhookBody({ kind: "test", title: "t", body: "b", at: 0, channel: "c", event: { kind: "test", channel: "c" } });
    const expected = createHmac("sha256", "s3cret").update(body).digest("hex");
    expect(signBody("s3cret", body)).toBe(`sha256=${expected}`);
    expect(signBody("other", body)).not.toBe(`sha256=${expected}`);
    expect(JSON.parse(body)).toMatchObject({ source: "switchyard", kind: "test", title: "t", text: "b", at: "1970-01-01T00:00:00.000Z" });
  });

  it("ntfy: title, priority (an outage at least high), tags and the token as headers", () => {
    const r = ntfyRequest("https://ntfy.example/", "gw", 3, "tk_x", { kind: "isp-down", title: "fiber down", body: "b", at: 0, channel: "c", event: null });
    expect(r.url).toBe("https://ntfy.example/gw");
    expect(r.headers).toMatchObject({ Title: "fiber down", Priority: "4", Tags: "rotating_light", Authorization: "Bearer tk_x" });
    expect(headerText("Büro down")).toBe(`=?UTF-8?B?${Buffer.from("Büro down").toString("base64")}?=`);
  });
});

describe("words", () => {
  it("durations", () => {
    expect([0, 45_000, 60_000, 192_000, 3_900_000, 90_000_000, 200_000_000].map(duration)).toEqual([
      "0 s",
      "45 s",
      "1 min",
      "3 min 12 s",
      "1 h 5 min",
      "25 h",
      "2 d 7 h",
    ]);
  });

  it("failover and failback name the hosts and where they went", () => {
    const moves = [
      { host: "laptop", from: "fiber", to: "lte" },
      { host: "nas", from: "fiber", to: "lte" },
    ];
    const m = composeOther({ kind: "failover", reason: "fiber down: 3 of 3 probes lost", moves, revisionId: 7 }, 0);
    expect(m.title).toBe("Failover: 2 hosts moved");
    expect(m.body).toBe("fiber down: 3 of 3 probes lost. Moved: laptop fiber -> lte, nas fiber -> lte (revision 7).");
  });

  it("between two failovers: who moved away, who came back", () => {
    const a = { host: "laptop", from: "fiber", to: "lte" };
    const b = { host: "nas", from: "fiber", to: "lte" };
    expect(movesDiff([], [a, b])).toEqual({ away: [a, b], back: [] });
    expect(movesDiff([a, b], [a, b])).toEqual({ away: [], back: [] });
    expect(movesDiff([a, b], [])).toEqual({
      away: [],
      back: [
        { host: "laptop", from: "lte", to: "fiber" },
        { host: "nas", from: "lte", to: "fiber" },
      ],
    });
  });
});

describe("the channel schema", () => {
  it("says at the field what a type needs", () => {
    const r = channelSchema.safeParse({ name: "mail", type: "email", events: ["isp-down"], from: "nope", to: "" });
    expect(r.success).toBe(false);
    const fields = Object.fromEntries(r.error!.issues.map((i) => [i.path[0], i.message]));
    expect(fields).toMatchObject({
      host: "Enter the SMTP server's name or address",
      from: "Enter an e-mail address (name@example.org)",
      to: "Enter at least one recipient",
    });
    expect(channelSchema.safeParse({ name: "hook", type: "webhook", events: [], url: "ftp://x" }).error!.issues.map((i) => i.path[0])).toEqual([
      "events",
      "url",
    ]);
  });

  it("an empty secret keeps the stored one; a line break is refused", () => {
    expect(channelSchema.parse({ name: "h", type: "webhook", events: "isp-down", url: "http://127.0.0.1:1/x", secret: "" }).secret).toBeUndefined();
    expect(channelSchema.safeParse({ name: "h", type: "webhook", events: "isp-down", url: "http://127.0.0.1:1/x", secret: "a\nb" }).success).toBe(false);
  });
});

describe("switchyard notify: arguments", async () => {
  const { parseCli } = await import("@/lib/cli/args");
  it("add with its flags, the secret only from stdin", () => {
    expect(
      parseCli(["notify", "add", "mail", "--type", "email", "--smtp-host", "smtp.example.org", "--to", "a@example.org", "--secret-stdin", "--disable"]),
    ).toMatchObject({
      ok: true,
      command: {
        name: "notify",
        action: "add",
        channel: "mail",
        fields: { type: "email", host: "smtp.example.org", to: "a@example.org", enabled: false },
        secret: "stdin",
      },
    });
    expect(parseCli(["notify", "set", "hook", "--secret", "x"])).toMatchObject({ ok: false, error: "unknown option --secret" });
    expect(parseCli(["notify", "add", "hook", "--url", "http://x"])).toMatchObject({ ok: false, error: "notify add needs --type webhook, ntfy or email" });
    expect(parseCli(["notify", "test"])).toMatchObject({ ok: false, error: "notify test needs the channel's name: notify test phone" });
    expect(parseCli(["notify"])).toMatchObject({ ok: true, command: { name: "notify", action: "list" } });
    expect(parseCli(["notify", "set", "hook", "--rename", "hook2"])).toMatchObject({ ok: true, command: { fields: { name: "hook2" }, secret: "keep" } });
  });
});
