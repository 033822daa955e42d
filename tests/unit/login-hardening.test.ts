// Hardening of the login (issue 20), through the real login action on a real database, as
// login.test.ts does: refused logins never grow the audit log without bound, a locked address
// is answered without a query queue or the password hash (an admin elsewhere gets in first),
// an account has a budget over every address with the console's apart, and logging in again
// ends the browser's previous session.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { tempDatabase } from "../helpers/processes";

const req = { ip: "192.168.1.50", cookie: undefined as string | undefined };
const jar = {
  set: vi.fn((_n: string, v: string) => {
    req.cookie = v;
  }),
  get: () => (req.cookie ? { value: req.cookie } : undefined),
  delete: vi.fn(),
};
vi.mock("next/headers", () => ({
  cookies: async () => jar,
  headers: async () => new Headers({ "x-switchyard-client-ip": req.ip }),
}));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));
// counts every password check (the real one runs)
const hashes = { n: 0 };
vi.mock("@/lib/auth/password", async (orig) => {
  const real = await orig<typeof import("@/lib/auth/password")>();
  return {
    ...real,
    verifyPassword: (pw: string, stored: string) => {
      hashes.n++;
      return real.verifyPassword(pw, stored);
    },
  };
});

process.env.SWITCHYARD_LOGIN_DELAY_MS = "1";
const PASSWORD = "correct horse battery";
let db: typeof import("@/lib/db").db;
let cleanup: () => Promise<void>;
let login: typeof import("@/app/login/actions").loginAction;

/** One login from an address (each call its own request), with the browser's cookie if given. */
async function attempt(ip: string, username: string, password: string, cookie?: string): Promise<string> {
  const fd = new FormData();
  fd.set("username", username);
  fd.set("password", password);
  req.ip = ip;
  req.cookie = cookie;
  try {
    return (await login({}, fd)).message ?? "";
  } catch (e) {
    return (e as Error).message; // a redirect: logged in
  }
}
const refusedRows = (clientIp?: string) =>
  db.auditEvent.count({ where: { action: { in: ["login.failed", "login.locked"] }, ...(clientIp ? { clientIp } : {}) } });

beforeAll(async () => {
  const t = await tempDatabase("loginhard");
  cleanup = t.cleanup;
  process.env.DATABASE_URL = t.url;
  ({ db } = await import("@/lib/db"));
  await (await import("@/lib/auth/users")).createUser("admin", PASSWORD);
  ({ loginAction: login } = await import("@/app/login/actions"));
});
afterAll(async () => {
  await db?.$disconnect();
  await cleanup?.();
});
beforeEach(async () => {
  await db.loginAttempt.deleteMany();
  await db.session.deleteMany();
  (await import("@/lib/auth/throttle")).forgetLoginLocks();
  hashes.n = 0;
});

describe("refused logins and storage", () => {
  it("a flood from one address is one audit row per kind, with the count, and no login rows past the limit", async () => {
    const ip = "192.168.1.66";
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) answers.push(await attempt(ip, "admin", `wrong-${i}`));
    // 300 more, 50 at a time, as a script would send them
    for (let round = 0; round < 6; round++)
      answers.push(...(await Promise.all(Array.from({ length: 50 }, (_, i) => attempt(ip, "admin", `guess-${round}-${i}`)))));
    expect(answers.filter((a) => a === "Wrong user name or password.")).toHaveLength(10);
    expect(answers.filter((a) => /Too many failed logins/.test(a))).toHaveLength(300);
    expect(await refusedRows(ip)).toBe(2); // one burst of wrong passwords, one of refusals
    const failed = await db.auditEvent.findFirstOrThrow({ where: { action: "login.failed", clientIp: ip } });
    const locked = await db.auditEvent.findFirstOrThrow({ where: { action: "login.locked", clientIp: ip } });
    expect(JSON.parse(failed.after!)).toMatchObject({ attempts: 10, users: ["admin"] });
    expect(JSON.parse(locked.after!)).toMatchObject({ attempts: 300, users: ["admin"] });
    expect(locked.target).toBe("admin (300 attempts)");
    expect(await db.loginAttempt.count({ where: { clientIp: ip } })).toBe(10);
    expect(hashes.n).toBe(10); // no password hash for a locked address
    // server.mjs's early answer for a form post from this address counts into the same row
    const addressLock = (globalThis as { switchyardAddressLock?: (ip: string) => number }).switchyardAddressLock!;
    expect(addressLock(ip)).toBeGreaterThan(10 * 60_000);
    expect(addressLock("192.168.1.99")).toBe(0);
    await (await import("@/lib/data/audit")).recordRefusedLogin("login.locked", "root", ip, "refused");
    expect(JSON.parse((await db.auditEvent.findFirstOrThrow({ where: { action: "login.locked", clientIp: ip } })).after!)).toMatchObject({
      attempts: 302,
      users: ["admin", "root"],
    });
  });

  it("keeps only the newest refused-login rows, never a real event", async () => {
    const { recordRefusedLogin, recordAudit, REFUSED_LOGIN_ROWS_MAX } = await import("@/lib/data/audit");
    await recordAudit(db, { username: "admin", clientIp: "192.168.1.2" }, "isp.update", "ISP1", { a: 1 }, { a: 2 });
    // as many bursts as distinct addresses (an IPv6 /64 has plenty): the first ones written at
    // once (the same rows the function writes, faster), the last 150 through it
    const row = (i: number) => ({
      actor: "admin",
      clientIp: `2001:db8::${i.toString(16)}`,
      action: "login.locked",
      target: "admin",
      result: "refused",
      after: JSON.stringify({ attempts: 1, users: ["admin"], first: "", last: "" }),
    });
    await db.auditEvent.createMany({ data: Array.from({ length: REFUSED_LOGIN_ROWS_MAX }, (_, i) => row(i)) });
    for (let i = REFUSED_LOGIN_ROWS_MAX; i < REFUSED_LOGIN_ROWS_MAX + 150; i++)
      await recordRefusedLogin("login.locked", "admin", `2001:db8::${i.toString(16)}`, "refused");
    expect(await refusedRows()).toBe(REFUSED_LOGIN_ROWS_MAX);
    expect(await db.auditEvent.count({ where: { action: "isp.update" } })).toBe(1);
    // the newest stayed
    expect(await db.auditEvent.count({ where: { clientIp: `2001:db8::${(REFUSED_LOGIN_ROWS_MAX + 149).toString(16)}` } })).toBe(1);
    expect(await db.auditEvent.count({ where: { clientIp: "2001:db8::0" } })).toBe(0);
  });
});

describe("refusals not waited for", () => {
  it("5,000 refusals sent without waiting (server.mjs's early answer) are one row and a few writes, not a queue of 5,000", async () => {
    const { recordRefusedLogin } = await import("@/lib/data/audit");
    const ip = "192.168.1.88";
    const updates = vi.spyOn(db.auditEvent, "update");
    const creates = vi.spyOn(db.auditEvent, "create");
    await Promise.all(Array.from({ length: 5000 }, () => recordRefusedLogin("login.locked", "", ip, "refused")));
    expect(await refusedRows(ip)).toBe(1);
    expect(JSON.parse((await db.auditEvent.findFirstOrThrow({ where: { clientIp: ip } })).after!)).toMatchObject({ attempts: 5000, users: [] });
    expect(updates.mock.calls.length + creates.mock.calls.length).toBeLessThanOrEqual(2);
    updates.mockRestore();
    creates.mockRestore();
  });
});

describe("a locked address does not hold up anyone else", () => {
  it("a flood from a locked address is answered without the throttle's queries or the hash, and the admin elsewhere gets in", async () => {
    const flooder = "192.168.1.70";
    for (let i = 0; i < 10; i++) await attempt(flooder, "admin", `wrong-${i}`);
    (await import("@/lib/auth/throttle")).forgetLoginLocks(); // as after a restart: the lock is only in the database
    const reads = vi.spyOn(db.loginAttempt, "findMany");
    hashes.n = 0;
    const flood = Array.from({ length: 300 }, (_, i) => attempt(flooder, "admin", `flood-${i}`));
    const admin = attempt("192.168.1.10", "admin", PASSWORD);
    const [adminAnswer, ...floodAnswers] = await Promise.all([admin, ...flood]);
    expect(adminAnswer).toBe("redirect /");
    expect(floodAnswers.every((a) => /Too many failed logins/.test(a))).toBe(true);
    // the lock is found in the database once (3 reads), then answered from memory: before, every
    // refused attempt queued for its own 2 reads (600), the admin's login behind all of them
    expect(reads.mock.calls.length).toBeLessThanOrEqual(2 * 3);
    expect(hashes.n).toBe(1); // the admin's
    reads.mockRestore();
  });
});

describe("a budget per account", () => {
  it("30 addresses make at most 20 guesses at an account; then only the console gets in, with its own budget", async () => {
    const { ACCOUNT_LOCK_AFTER, CONSOLE_LOCK_AFTER } = await import("@/lib/auth/throttle");
    const answers: string[] = [];
    // 3 guesses from each (below each address's own limit), from 30 addresses at once
    for (let round = 0; round < 3; round++)
      answers.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(`10.1.0.${i + 1}`, "admin", `guess-${round}-${i}`)))));
    const checked = answers.filter((a) => a === "Wrong user name or password.").length;
    expect(checked).toBe(ACCOUNT_LOCK_AFTER); // before: 90
    expect(hashes.n).toBe(ACCOUNT_LOCK_AFTER);
    // the right password from a fresh LAN address: the account is locked for the LAN...
    expect(await attempt("10.1.0.200", "admin", PASSWORD)).toMatch(/Too many failed logins/);
    // ...and other loopback addresses are not the console
    expect(await attempt("127.0.0.5", "admin", PASSWORD)).toMatch(/Too many failed logins/);
    // the console still gets in
    expect(await attempt("127.0.0.1", "admin", PASSWORD)).toBe("redirect /");
    // the console's own budget: its guesses stop at CONSOLE_LOCK_AFTER, and lock only the console
    const local: string[] = [];
    for (let i = 0; i < CONSOLE_LOCK_AFTER + 5; i++) local.push(await attempt("::1", "admin", `local-${i}`));
    expect(local.filter((a) => a === "Wrong user name or password.")).toHaveLength(CONSOLE_LOCK_AFTER);
    expect(await attempt("127.0.0.1", "admin", PASSWORD)).toMatch(/Too many failed logins/);
  });
});

describe("sessions", () => {
  it("logging in again ends this browser's previous session, not another device's", async () => {
    const { sessionUser, createSession } = await import("@/lib/auth/session");
    const user = await db.user.findFirstOrThrow();
    const phone = await createSession(user.id, "192.168.1.61", "phone");
    expect(await attempt("192.168.1.60", "admin", PASSWORD)).toBe("redirect /");
    const first = req.cookie!;
    expect(await sessionUser(first)).not.toBeNull();
    expect(await attempt("192.168.1.60", "admin", PASSWORD, first)).toBe("redirect /");
    const second = req.cookie!;
    expect(second).not.toBe(first);
    expect(await sessionUser(first)).toBeNull(); // before: still valid
    expect(await sessionUser(second)).not.toBeNull();
    expect(await sessionUser(phone)).not.toBeNull();
  });
});
