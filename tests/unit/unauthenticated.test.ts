// Every entry point without a session: each server action and each route handler
// (found on disk, so a new one is covered the day it is written) is refused, and
// nothing changes: not the database, not the kernel (no process is started at all,
// and only the executor can start one).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { onExec } from "@/lib/net/exec";
import { classicOffice } from "@/lib/examples";
import { repoRoot, tempDatabase } from "../helpers/processes";

vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, set: vi.fn(), delete: vi.fn() }),
  headers: async () => new Headers({ "x-switchyard-client-ip": "198.51.100.99", "user-agent": "attacker" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
  notFound: () => {
    throw new Error("not found");
  },
}));

/** Entry points that must work without a session, and why. */
const PUBLIC = new Map([
  ["app/login/actions.ts#loginAction", "logging in"],
  ["app/login/actions.ts#logoutAction", "ends a session if there is one"],
  ["app/setup/actions.ts#setupAction", "first run only: refused once an admin exists (tested below)"],
  ["app/api/health/route.ts#GET", "liveness, says nothing"],
]);

function walk(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
}
const appFiles = walk("app");
const actionFiles = appFiles.filter((f) => /\.tsx?$/.test(f) && /^\s*["']use server["']/.test(readFileSync(path.join(repoRoot, f), "utf8")));
const routeFiles = appFiles.filter((f) => /\/route\.ts$/.test(f));

let db: typeof import("@/lib/db").db;
let cleanup: () => Promise<void>;
let spawned = 0;
let stopWatching: () => void;

async function databaseState() {
  const [isps, hosts, nat, settings, revisions, sessions, users, audit] = await Promise.all([
    db.isp.findMany(),
    db.host.findMany(),
    db.natAddress.findMany(),
    db.settings.findMany(),
    db.revision.count(),
    db.session.count(),
    db.user.findMany(),
    db.auditEvent.count(),
  ]);
  return JSON.stringify({ isps, hosts, nat, settings, revisions, sessions, users, audit });
}

beforeAll(async () => {
  const t = await tempDatabase("unauth");
  cleanup = t.cleanup;
  process.env.DATABASE_URL = t.url;
  ({ db } = await import("@/lib/db"));
  const { replaceConfig } = await import("@/lib/data/config");
  const { createUser } = await import("@/lib/auth/users");
  await replaceConfig(classicOffice);
  await createUser("admin", "correct horse battery");
  stopWatching = onExec(() => spawned++);
});

afterAll(async () => {
  stopWatching?.();
  await db?.$disconnect();
  await cleanup?.();
});

function hostileForm(): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries({
    id: "1",
    name: "pwned",
    address: "192.168.1.66",
    isp: "ISP2",
    wanInterface: "eth0",
    gatewayAddress: "203.0.113.1",
    linkAddress: "203.0.113.10",
    linkPrefix: "24",
    routingTable: "100",
    mark: "1",
    natMode: "SNAT",
    enabled: "on",
    lanInterface: "lan0",
    lanSubnets: "10.0.0.1/8",
    defaultIsp: "ISP2",
    isDefault: "on",
    host: "",
    notes: "",
    current: "x",
    password: "new-password-123",
    confirm: "new-password-123",
    revision: "1",
  }))
    fd.set(k, v);
  return fd;
}

describe("without a session", () => {
  it("finds the entry points", () => {
    expect(actionFiles.length).toBeGreaterThanOrEqual(5);
    expect(routeFiles.length).toBeGreaterThanOrEqual(1);
  });

  it("every server action is refused and changes nothing", async () => {
    const before = await databaseState();
    const checked: string[] = [];
    for (const file of actionFiles) {
      const mod = (await import(path.join(repoRoot, file))) as Record<string, unknown>;
      for (const [name, fn] of Object.entries(mod)) {
        if (typeof fn !== "function" || PUBLIC.has(`${file}#${name}`)) continue;
        for (const args of [[{}, hostileForm()], [1, "ISP2"], []]) {
          await expect((fn as (...a: unknown[]) => Promise<unknown>)(...args), `${file}#${name}`).rejects.toThrow(/redirect \/login\?ended=1/);
        }
        checked.push(`${file}#${name}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(8);
    expect(await databaseState()).toBe(before);
    expect(spawned).toBe(0);
  });

  it("every route handler answers 401 and changes nothing", async () => {
    const before = await databaseState();
    let checked = 0;
    for (const file of routeFiles) {
      const mod = (await import(path.join(repoRoot, file))) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const handler = mod[method];
        if (typeof handler !== "function" || PUBLIC.has(`${file}#${method}`)) continue;
        const req = new Request("http://127.0.0.1:3000/api/x", {
          method,
          body: method === "GET" ? undefined : "{}",
          headers: { "content-type": "application/json" },
        });
        const res = (await (handler as (r: Request, ctx: unknown) => Promise<Response>)(req, { params: Promise.resolve({ id: "1" }) })) as Response;
        expect(res.status, `${file} ${method}`).toBe(401);
        checked++;
      }
    }
    // every route file but the health check has at least one guarded method
    expect(checked).toBeGreaterThanOrEqual(routeFiles.length - 1);
    expect(await databaseState()).toBe(before);
    expect(spawned).toBe(0);
  });

  it("first-run setup is refused once an admin exists", async () => {
    const before = await databaseState();
    const { setupAction } = await import("@/app/setup/actions");
    const fd = new FormData();
    fd.set("username", "eve");
    fd.set("password", "long-enough-password");
    fd.set("confirm", "long-enough-password");
    await expect(setupAction({}, fd)).rejects.toThrow(/redirect \/login/);
    expect(await databaseState()).toBe(before);
  });

  it("the public health check says nothing about the gateway", async () => {
    const { GET } = await import("@/app/api/health/route");
    expect(await (GET as () => Response)().json()).toEqual({ ok: true });
  });
});
