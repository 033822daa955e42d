// The gate in server.mjs that every HTTP request passes: allowed Host names only
// (DNS rebinding), same-site Origin on state-changing requests (CSRF), and the
// client address from the socket unless a trusted proxy forwarded it.
import { describe, expect, it } from "vitest";
import { gate } from "../../server.mjs";

const allowed = new Set(["localhost", "127.0.0.1", "router.lan"]);
function request(method: string, headers: Record<string, string>, remote = "192.168.1.50") {
  return { method, headers: { ...headers } as Record<string, string | undefined>, socket: { remoteAddress: remote } };
}

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
