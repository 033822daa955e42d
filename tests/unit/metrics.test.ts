// /metrics (app/metrics/route.ts) on a real database: refused without a valid token (401 with
// WWW-Authenticate), and with one, an answer that a strict parser of the Prometheus text format
// reads, with what the database and the kernel's counters say. The kernel read is replaced by
// fixed counters (a unit test reads no gateway). Tokens: stored hashed, revoked means refused.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { tempDatabase } from "../helpers/processes";
import { parsePrometheusText, sampleValue } from "../helpers/prom-text";
import { formatMetrics, type MetricsSnapshot } from "@/lib/metrics/format";

const kernel = { counters: { eth0: { tx: 123456, rx: 654321 } } as Record<string, { tx: number; rx: number }> | null };
vi.mock("@/lib/health/samples", async (orig) => ({ ...(await orig<typeof import("@/lib/health/samples")>()), readAccounting: async () => kernel.counters }));

let cleanup: () => Promise<void>;
let db: typeof import("@/lib/db").db;
let GET: typeof import("@/app/metrics/route").GET;
let tokens: typeof import("@/lib/metrics/tokens");
const admin = { username: "admin", clientIp: "127.0.0.1" };
const scrape = (authorization?: string) => GET(new Request("http://127.0.0.1/metrics", { headers: authorization ? { authorization } : {} }));

beforeAll(async () => {
  const t = await tempDatabase("metrics");
  cleanup = t.cleanup;
  process.env.DATABASE_URL = t.url;
  ({ db } = await import("@/lib/db"));
  const { importConfigFile } = await import("@/lib/data/config-file");
  const { classicOffice } = await import("@/lib/examples");
  expect(await importConfigFile(classicOffice)).toMatchObject({ ok: true });
  ({ GET } = await import("@/app/metrics/route"));
  tokens = await import("@/lib/metrics/tokens");
});
afterAll(async () => {
  await db?.$disconnect();
  await cleanup?.();
});

describe("GET /metrics", () => {
  it("refuses a scrape without a token, with a wrong one, or with a revoked one: 401 and WWW-Authenticate", async () => {
    const made = await tokens.createMetricsToken("prometheus", admin);
    if (!made.ok) throw new Error("not created");
    // one character off (a token that already ends in "A" gets a "B": else it would be itself, 1 time in 64)
    const oneOff = `${made.token.slice(0, -1)}${made.token.endsWith("A") ? "B" : "A"}`;
    for (const auth of [undefined, "Bearer swm_wrong", `Bearer ${oneOff}`, `Basic ${made.token}`, made.token]) {
      const r = await scrape(auth);
      expect(r.status, String(auth)).toBe(401);
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(await r.text()).not.toContain("switchyard_");
    }
    expect((await scrape(`Bearer ${made.token}`)).status).toBe(200);
    expect(await tokens.revokeMetricsToken("prometheus", admin)).toBe(true);
    expect((await scrape(`Bearer ${made.token}`)).status).toBe(401);
  });

  it("keeps only the token's hash; shows it once; a second token of the same name is refused at the name", async () => {
    const made = await tokens.createMetricsToken("grafana", admin);
    if (!made.ok) throw new Error("not created");
    expect(made.token).toMatch(/^swm_[A-Za-z0-9_-]{43}$/);
    const row = await db.metricsToken.findUniqueOrThrow({ where: { name: "grafana" } });
    expect(JSON.stringify(row)).not.toContain(made.token.slice(4));
    expect(JSON.stringify(await tokens.listMetricsTokens())).not.toContain(made.token.slice(8));
    expect(await tokens.createMetricsToken("grafana", admin)).toEqual({ ok: false, errors: { name: ['A token named "grafana" exists already'] } });
    expect(await tokens.createMetricsToken("  ", admin)).toMatchObject({ ok: false, errors: { name: ["Enter a name"] } });
  });

  it("with a token: per-ISP state, RTT, loss, bytes, failovers, applies, in the text format", async () => {
    const made = await tokens.createMetricsToken("home-assistant", admin);
    if (!made.ok) throw new Error("not created");
    const since = new Date("2026-12-07T10:00:00Z");
    await db.ispHealth.createMany({
      data: [
        { isp: "ISP1", state: "up", since, rttMs: 12.5, lossPct: 5 },
        { isp: "ISP2", state: "down", since, linkUp: false, lossPct: 100 },
      ],
    });
    await db.healthEvent.createMany({
      data: [
        { isp: "ISP2", from: "up", to: "down", reason: "" },
        { isp: "ISP2", from: "down", to: "up", reason: "" },
        { isp: "ISP2", from: "degraded", to: "down", reason: "" },
        { isp: "ISP1", from: "up", to: "degraded", reason: "" },
      ],
    });
    const rev = { actor: "admin", source: "ui", target: "host", config: "{}", ruleset: "", plan: "[]" };
    await db.revision.createMany({
      data: [
        { ...rev, result: "applied", durationMs: 800 },
        { ...rev, result: "rolled-back", durationMs: 7000 },
        { ...rev, result: "applied", durationMs: 1500 },
      ],
    });

    const r = await scrape(`Bearer ${made.token}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parsePrometheusText(await r.text());
    expect(sampleValue(m, "switchyard_isp_up", { isp: "ISP1" })).toBe(1);
    expect(sampleValue(m, "switchyard_isp_up", { isp: "ISP2" })).toBe(0);
    expect(sampleValue(m, "switchyard_isp_state", { isp: "ISP2", state: "down" })).toBe(1);
    expect(sampleValue(m, "switchyard_isp_state", { isp: "ISP2", state: "up" })).toBe(0);
    expect(sampleValue(m, "switchyard_isp_link_up", { isp: "ISP2" })).toBe(0);
    expect(sampleValue(m, "switchyard_isp_rtt_seconds", { isp: "ISP1" })).toBe(0.0125);
    expect(sampleValue(m, "switchyard_isp_rtt_seconds", { isp: "ISP2" })).toBeUndefined(); // nothing measured: no sample, not 0
    expect(sampleValue(m, "switchyard_isp_loss_ratio", { isp: "ISP1" })).toBe(0.05);
    expect(sampleValue(m, "switchyard_isp_sent_bytes_total", { isp: "ISP1" })).toBe(123456);
    expect(sampleValue(m, "switchyard_isp_received_bytes_total", { isp: "ISP1" })).toBe(654321);
    expect(sampleValue(m, "switchyard_isp_sent_bytes_total", { isp: "ISP2" })).toBeUndefined(); // eth1 has no counter
    expect(sampleValue(m, "switchyard_isp_failovers_total", { isp: "ISP2" })).toBe(2);
    expect(sampleValue(m, "switchyard_isp_failovers_total", { isp: "ISP1" })).toBe(0);
    expect(sampleValue(m, "switchyard_applies_total", { result: "applied" })).toBe(2);
    expect(sampleValue(m, "switchyard_applies_total", { result: "rolled-back" })).toBe(1);
    expect(sampleValue(m, "switchyard_applies_total", { result: "failed" })).toBe(0);
    expect(sampleValue(m, "switchyard_apply_duration_seconds_count")).toBe(3);
    expect(sampleValue(m, "switchyard_apply_duration_seconds_sum")).toBeCloseTo(9.3);
    expect(sampleValue(m, "switchyard_apply_duration_seconds_bucket", { le: "1" })).toBe(1);
    expect(sampleValue(m, "switchyard_apply_duration_seconds_bucket", { le: "+Inf" })).toBe(3);
    expect(sampleValue(m, "switchyard_last_apply_duration_seconds")).toBe(1.5);
    expect(sampleValue(m, "switchyard_last_apply_success")).toBe(1);
    expect(sampleValue(m, "switchyard_kernel_read_ok")).toBe(1);
    expect(m.get("switchyard_isp_sent_bytes_total")?.type).toBe("counter");

    kernel.counters = null; // the kernel could not be read: said, and no byte series rather than zeros
    const m2 = parsePrometheusText(await (await scrape(`Bearer ${made.token}`)).text());
    expect(sampleValue(m2, "switchyard_kernel_read_ok")).toBe(0);
    expect(sampleValue(m2, "switchyard_isp_sent_bytes_total", { isp: "ISP1" })).toBeUndefined();
  });
});

describe("formatMetrics (pure)", () => {
  const snap: MetricsSnapshot = {
    kernelRead: true,
    isps: [
      {
        name: 'we"ird\\isp',
        enabled: true,
        state: "unknown",
        linkUp: null,
        rttMs: null,
        lossPct: null,
        stateSince: null,
        txBytes: 1,
        rxBytes: 2,
        failovers: 0,
      },
    ],
    applies: { results: {}, durationsMs: [], last: null },
  };
  it("escapes label values, keeps one registry per scrape (no series carried over)", async () => {
    const a = parsePrometheusText((await formatMetrics(snap)).text);
    expect(sampleValue(a, "switchyard_isp_state", { isp: 'we"ird\\isp', state: "unknown" })).toBe(1);
    expect(sampleValue(a, "switchyard_isp_up", { isp: 'we"ird\\isp' })).toBe(0);
    const b = parsePrometheusText((await formatMetrics({ ...snap, isps: [{ ...snap.isps[0], name: "other" }] })).text);
    expect(sampleValue(b, "switchyard_isp_up", { isp: 'we"ird\\isp' })).toBeUndefined();
    expect(sampleValue(b, "switchyard_isp_sent_bytes_total", { isp: "other" })).toBe(1); // not 2: a fresh counter
    expect(sampleValue(b, "switchyard_last_apply_success")).toBeUndefined();
  });
  it("the test's parser is strict: it refuses what is not the format", () => {
    for (const bad of ["x 1", '# TYPE x gauge\nx{a="1} 1\n', "# TYPE x gauge\nx one\n", "# TYPE x gauge\nx{a=1} 1\n"])
      expect(() => parsePrometheusText(bad), bad).toThrow();
  });
});
