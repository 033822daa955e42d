// The gate in server.mjs that every HTTP request passes: allowed Host names only
// (DNS rebinding), same-site Origin on state-changing requests (CSRF), and the
// client address from the socket unless a trusted proxy forwarded it.
import { afterAll, describe, expect, it } from "vitest";
import { gate, hostOnly, lockedLoginPost, loginGate, sessionChecker } from "../../server.mjs";
import { tempDatabase } from "../helpers/processes";

const allowed = new Set(["localhost", "127.0.0.1", "router.lan"]);
function request(method: string, headers: Record<string, string>, remote = "192.168.1.50") {
  return { method, headers: { ...headers } as Record<string, string | undefined>, socket: { remoteAddress: remote } };
}

describe("login posts from a locked address", () => {
  const locked = (ip: string) => (ip === "192.168.1.66" ? 5 * 60_000 : 0);
  const post = (ip: string, headers: Record<string, string> = {}, url = "/login") => ({
    ...request("POST", { "x-switchyard-client-ip": ip, ...headers }),
    url,
  });
  it("are answered before Next, with the lock's time left; others, and the page's own JavaScript posts, go on", () => {
    const r = lockedLoginPost(post("192.168.1.66"), locked);
    expect(r).toMatchObject({ status: 429, headers: { "retry-after": "300" } });
    expect(r!.body).toContain("Too many failed logins. Try again in 5 minute(s).");
    expect(lockedLoginPost(post("192.168.1.67"), locked)).toBeNull();
    expect(lockedLoginPost(post("192.168.1.66", { "next-action": "x" }), locked)).toBeNull();
    expect(lockedLoginPost(post("192.168.1.66", {}, "/setup"), locked)).toBeNull();
    expect(lockedLoginPost({ ...post("192.168.1.66"), method: "GET" }, locked)).toBeNull();
    expect(lockedLoginPost(post("192.168.1.66"), undefined)).toBeNull(); // no login tried yet in this process
  });
});

describe("server gate", () => {
  it("lets a normal page load through and records the socket address", () => {
    const r = request("GET", { host: "router.lan:3000" });
    expect(gate(r, allowed, new Set())).toBeNull();
    expect(r.headers["x-switchyard-client-ip"]).toBe("192.168.1.50");
  });

  it("refuses a Host it does not know (DNS rebinding)", () => {
    expect(gate(request("GET", { host: "evil.example" }), allowed, new Set())).toMatchObject({ status: 421 });
    expect(gate(request("GET", {}), allowed, new Set())).toMatchObject({ status: 421 });
  });

  it("refuses a state-changing request with a foreign or missing Origin", () => {
    expect(gate(request("POST", { host: "router.lan:3000", origin: "http://evil.example" }), allowed, new Set())).toMatchObject({ status: 403 });
    expect(gate(request("POST", { host: "router.lan:3000" }), allowed, new Set())).toMatchObject({ status: 403 });
    expect(gate(request("POST", { host: "router.lan:3000", origin: "http://router.lan:3001" }), allowed, new Set())).toMatchObject({ status: 403 });
    expect(gate(request("POST", { host: "router.lan:3000", origin: "null" }), allowed, new Set())).toMatchObject({ status: 403 });
    expect(gate(request("POST", { host: "router.lan:3000", origin: "http://router.lan:3000" }), allowed, new Set())).toBeNull();
    // request bodies: a declared length over the ceiling (413), no declared length at all (411)
    const same = { host: "router.lan:3000", origin: "http://router.lan:3000" };
    expect(gate(request("POST", { ...same, "content-length": String(256 * 1024 + 1) }), allowed, new Set())).toMatchObject({ status: 413 });
    expect(gate(request("POST", { ...same, "content-length": String(256 * 1024) }), allowed, new Set())).toBeNull();
    expect(gate(request("POST", { ...same, "transfer-encoding": "chunked" }), allowed, new Set())).toMatchObject({ status: 411 });
    expect(gate(request("GET", { host: "router.lan:3000", "transfer-encoding": "chunked" }), allowed, new Set())).toBeNull();
  });

  it("ignores X-Forwarded-For unless the peer is a trusted proxy", () => {
    const spoofed = request("GET", { host: "localhost", "x-forwarded-for": "10.9.9.9", "x-forwarded-proto": "https" });
    gate(spoofed, allowed, new Set());
    expect(spoofed.headers["x-switchyard-client-ip"]).toBe("192.168.1.50");
    expect(spoofed.headers["x-forwarded-proto"]).toBeUndefined();
    const proxied = request("GET", { host: "localhost", "x-forwarded-for": "10.9.9.9, 192.168.1.77" }, "127.0.0.1");
    gate(proxied, allowed, new Set(["127.0.0.1"]));
    expect(proxied.headers["x-switchyard-client-ip"]).toBe("192.168.1.77");
  });
});

describe("Host header", () => {
  it("takes a name with at most a numeric port: anything else after the name is refused", () => {
    expect(hostOnly("router.lan:3000")).toBe("router.lan");
    expect(hostOnly("[::1]:3000")).toBe("[::1]");
    expect(hostOnly("LOCALHOST")).toBe("localhost");
    for (const h of ["localhost:evil", "localhost:3000:x", "localhost:99999", "localhost:", "[::1]x", "[::1]:3000:1", "a b", "evil@localhost", ""])
      expect(hostOnly(h), h).toBeNull();
    for (const h of ["localhost:evil", "localhost:3000:x", "router.lan:3000/x"])
      expect(gate(request("GET", { host: h }), allowed, new Set()), h).toMatchObject({ status: 421 });
  });
});

describe("login gate (before Next renders anything)", () => {
  const no = () => false;
  const yes = () => true;
  const req = (method: string, url: string, headers: Record<string, string> = {}) => ({ method, url, headers });
  it("sends a page request without a session to the login page with a way back, with no body", () => {
    expect(loginGate(req("GET", "/ruleset"), no)).toEqual({ status: 307, headers: expect.objectContaining({ location: "/login?next=%2Fruleset" }), body: "" });
    expect(loginGate(req("GET", "/"), no)).toMatchObject({ status: 307, headers: { location: "/login" } });
  });
  it("answers RSC, API and other requests without a session with 401", () => {
    for (const r of [
      req("GET", "/history/1", { rsc: "1" }),
      req("GET", "/history/1?_rsc"),
      req("GET", "/api/kernel"),
      req("POST", "/hosts/new"),
      req("PUT", "/"),
      req("GET", "/x", { "next-router-prefetch": "1" }),
    ]) {
      expect(loginGate(r, no), `${r.method} ${r.url}`).toMatchObject({ status: 401 });
    }
  });
  it("lets public paths, server actions and requests with a session through, and refuses the image optimiser", () => {
    for (const u of ["/login", "/setup", "/api/health", "/_next/static/chunks/a.js", "/login?next=%2F"]) expect(loginGate(req("GET", u), no), u).toBeNull();
    expect(loginGate(req("POST", "/hosts/new", { "next-action": "abc" }), no)).toBeNull();
    expect(loginGate(req("GET", "/ruleset", { rsc: "1" }), yes)).toBeNull();
    expect(loginGate(req("GET", "/_next/image?url=/ruleset"), yes)).toMatchObject({ status: 404 });
    expect(loginGate(req("GET", "/_next/static/../../ruleset"), no)).toMatchObject({ status: 307 });
  });
  it("lets the phone's manifest, its icons, robots.txt and /metrics (its own token check) through, and nothing beside them", () => {
    for (const u of ["/robots.txt", "/manifest.webmanifest", "/icon-192.png", "/icon-512.png", "/icon-maskable-512.png", "/apple-touch-icon.png", "/metrics"])
      expect(loginGate(req("GET", u), no), u).toBeNull();
    for (const u of ["/metrics/x", "/metricsx", "/icon-193.png", "/manifest.json", "/robots.txt/x", "/settings/backup", "/settings/backup/download"])
      expect(loginGate(req("GET", u), no), u).not.toBeNull();
  });
});

describe("session check against the database", () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterAll(async () => cleanup?.());
  it("accepts a live session's cookie, refuses a forged, an idle and an ended one", async () => {
    const t = await tempDatabase("gate");
    cleanup = t.cleanup;
    process.env.DATABASE_URL = t.url;
    const { db } = await import("@/lib/db");
    const { createSession, endSession, IDLE_MS } = await import("@/lib/auth/session");
    const user = await db.user.create({ data: { username: "admin", passwordHash: "x" } });
    const token = await createSession(user.id, "127.0.0.1", "");
    const has = sessionChecker(t.file);
    expect(has(`a=b; swyd_session=${token}`)).toBe(true);
    expect(has("swyd_session=forged")).toBe(false);
    expect(has(undefined)).toBe(false);
    expect(has(`swyd_session=${token}`, Date.now() + IDLE_MS + 60_000)).toBe(false);
    await endSession(token);
    expect(has(`swyd_session=${token}`)).toBe(false);
    await db.$disconnect();
  });
});
