// Login: throttled and then locked per account and per client address; the client
// address is the one our server took from the socket, so a spoofed X-Forwarded-For
// changes nothing. Sessions: idle and absolute expiry; a password change ends the others.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { tempDatabase } from "../helpers/processes";

const req = { ip: "192.168.1.50", xff: "10.0.0.1", cookie: undefined as string | undefined };
const jar = {
  set: vi.fn((_n: string, v: string) => {
    req.cookie = v;
  }),
  get: () => (req.cookie ? { value: req.cookie } : undefined),
  delete: vi.fn(),
};
vi.mock("next/headers", () => ({
  cookies: async () => jar,
  headers: async () => new Headers({ "x-switchyard-client-ip": req.ip, "x-forwarded-for": req.xff }),
}));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));

process.env.SWITCHYARD_LOGIN_DELAY_MS = "1";
let db: typeof import("@/lib/db").db;
let cleanup: () => Promise<void>;
let login: typeof import("@/app/login/actions").loginAction;

const attempt = async (username: string, password: string) => {
  const fd = new FormData();
  fd.set("username", username);
  fd.set("password", password);
  try {
    return (await login({}, fd)).message ?? "";
  } catch (e) {
    return (e as Error).message; // a redirect: logged in
  }
};

beforeAll(async () => {
  const t = await tempDatabase("login");
  cleanup = t.cleanup;
  process.env.DATABASE_URL = t.url;
  ({ db } = await import("@/lib/db"));
  await (await import("@/lib/auth/users")).createUser("admin", "correct horse battery");
  ({ loginAction: login } = await import("@/app/login/actions"));
});
afterAll(async () => {
  await db?.$disconnect();
  await cleanup?.();
});
beforeEach(async () => {
  await db.loginAttempt.deleteMany();
  (await import("@/lib/auth/throttle")).forgetLoginLocks();
  await db.session.deleteMany();
  req.ip = "192.168.1.50";
  req.cookie = undefined;
});

describe("login", () => {
  it("logs in with the right password and sets an HttpOnly, SameSite=Strict cookie", async () => {
    expect(await attempt("admin", "correct horse battery")).toBe("redirect /");
    expect(jar.set).toHaveBeenLastCalledWith("swyd_session", expect.any(String), expect.objectContaining({ httpOnly: true, sameSite: "strict", path: "/" }));
    expect(await db.session.count()).toBe(1);
    expect((await db.session.findFirst())!.id).not.toBe(req.cookie); // only the token's hash is stored
  });

  it("slows down, then locks the account, and a spoofed X-Forwarded-For does not reset it", async () => {
    const { loginThrottle } = await import("@/lib/auth/throttle");
    for (let i = 0; i < 3; i++) expect(await attempt("admin", "wrong")).toBe("Wrong user name or password.");
    expect((await loginThrottle("admin", req.ip)).delayMs).toBeGreaterThan(0);
    for (let i = 3; i < 10; i++) {
      req.xff = `10.0.0.${i}`; // a different "client" each time, as far as that header goes
      await attempt("admin", "wrong");
    }
    req.xff = "10.9.9.9";
    expect(await attempt("admin", "correct horse battery")).toMatch(/Too many failed logins/);
    expect(await db.session.count()).toBe(0);
    // the lock is on this account from this address: another address (the console) still gets in
    req.ip = "192.168.1.51";
    expect(await attempt("admin", "correct horse battery")).toBe("redirect /");
    req.ip = "127.0.0.1";
    expect(await attempt("admin", "correct horse battery")).toBe("redirect /");
    req.ip = "192.168.1.50";
    expect(await attempt("admin", "correct horse battery")).toMatch(/Too many failed logins/);
  });

  it("counts attempts sent at once before checking any password: none beyond the limit", async () => {
    const answers = await Promise.all([...Array.from({ length: 40 }, (_, i) => attempt("admin", `wrong-${i}`)), attempt("admin", "correct horse battery")]);
    const checked = answers.filter((a) => a === "Wrong user name or password." || a === "redirect /").length;
    expect(checked).toBeLessThanOrEqual(10);
    expect(answers.filter((a) => /Too many failed logins/.test(a)).length).toBeGreaterThanOrEqual(31);
    expect(await db.loginAttempt.count({ where: { clientIp: req.ip } })).toBeLessThanOrEqual(10);
  });

  it("locks a client address that tries many accounts", async () => {
    for (const u of ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]) await attempt(u, "guess");
    expect(await attempt("admin", "correct horse battery")).toMatch(/Too many failed logins/);
    req.ip = "192.168.1.52";
    expect(await attempt("admin", "correct horse battery")).toBe("redirect /");
  });

  it("records failed logins in the audit log", async () => {
    req.ip = "192.168.1.77"; // an address with no burst of refusals yet
    await attempt("admin", "nope");
    expect(await db.auditEvent.findFirst({ where: { action: "login.failed" }, orderBy: { id: "desc" } })).toMatchObject({
      target: "admin",
      clientIp: "192.168.1.77",
      result: "failed",
    });
  });
});

describe("sessions", () => {
  it("end after the idle time and after the absolute time", async () => {
    const { createSession, sessionUser, IDLE_MS, ABSOLUTE_MS } = await import("@/lib/auth/session");
    const user = await db.user.findFirstOrThrow();
    const idle = await createSession(user.id, "x", "");
    expect(await sessionUser(idle, Date.now() + IDLE_MS - 5_000)).not.toBeNull();
    expect(await sessionUser(idle, Date.now() + 2 * IDLE_MS)).toBeNull();
    const start = Date.now();
    const old = await createSession(user.id, "x", "");
    // active all along, every half idle period, right up to the absolute limit...
    for (let t = start + IDLE_MS / 2; t < start + ABSOLUTE_MS - 1000; t += IDLE_MS / 2) expect(await sessionUser(old, t)).not.toBeNull();
    // ...and still over once it passes
    expect(await sessionUser(old, Date.now() + ABSOLUTE_MS + 1000)).toBeNull();
  });

  it("changing the password ends every other session", async () => {
    const { createSession, sessionUser } = await import("@/lib/auth/session");
    const user = await db.user.findFirstOrThrow();
    const other = await createSession(user.id, "192.168.1.60", "phone");
    await attempt("admin", "correct horse battery");
    const { changePasswordAction } = await import("@/app/(admin)/account/actions");
    const fd = new FormData();
    fd.set("current", "correct horse battery");
    fd.set("password", "a brand new password");
    fd.set("confirm", "a brand new password");
    expect((await changePasswordAction({}, fd)).message).toMatch(/1 other session\(s\) ended/);
    expect(await sessionUser(other)).toBeNull();
    expect(await sessionUser(req.cookie)).not.toBeNull();
    expect(await attempt("admin", "a brand new password")).toBe("redirect /");
  });
});
