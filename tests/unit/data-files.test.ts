// Files the server trusts or protects (issue 20): a setup token file someone else put beside the
// database first is never adopted (the setup page and action say why), the server makes its own
// exclusively and 0600 whatever the umask; the database directory becomes 0700 and its files
// 0600, and a shared, writable directory that is not ours is refused.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { tempDatabase } from "../helpers/processes";

vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, set: vi.fn(), delete: vi.fn() }),
  headers: async () => new Headers({ "x-switchyard-client-ip": "127.0.0.1" }),
}));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));

const NOBODY = 65534;
const root = process.getuid?.() === 0;
let t: Awaited<ReturnType<typeof tempDatabase>>;
let db: typeof import("@/lib/db").db;
let tokenFile: string;
const mode = (f: string) => fs.statSync(f).mode & 0o777;

beforeAll(async () => {
  t = await tempDatabase("files");
  process.env.DATABASE_URL = t.url;
  ({ db } = await import("@/lib/db"));
  tokenFile = `${t.file}.setup-token`;
});
afterAll(async () => {
  await db?.$disconnect();
  await t?.cleanup();
});
beforeEach(() => fs.rmSync(tokenFile, { force: true }));

async function setupWith(token: string) {
  const { setupAction } = await import("@/app/setup/actions");
  const fd = new FormData();
  for (const [k, v] of Object.entries({ token, username: "admin", password: "first-run-password", confirm: "first-run-password" })) fd.set(k, v);
  try {
    return await setupAction({}, fd);
  } catch (e) {
    return { message: (e as Error).message };
  }
}

describe("the setup token file", () => {
  it("is made exclusively, mode 0600, even under umask 000", async () => {
    const { ensureSetupToken, setupTokenRefusal } = await import("@/lib/auth/setup-token");
    const old = process.umask(0);
    try {
      expect(ensureSetupToken()).toBeNull();
    } finally {
      process.umask(old);
    }
    expect(mode(tokenFile)).toBe(0o600);
    expect(setupTokenRefusal()).toBeNull();
  });

  const planted: [string, () => void][] = [
    [
      "readable by everyone (0644)",
      () => {
        fs.writeFileSync(tokenFile, "planted-token-0123456789\n");
        fs.chmodSync(tokenFile, 0o644);
      },
    ],
    [
      "a symbolic link",
      () => {
        const target = path.join(path.dirname(tokenFile), "elsewhere");
        fs.writeFileSync(target, "planted-token-0123456789\n", { mode: 0o600 });
        fs.symlinkSync(target, tokenFile);
      },
    ],
    ...(root
      ? [
          [
            "owned by another user (nobody), 0600",
            () => {
              fs.writeFileSync(tokenFile, "planted-token-0123456789\n", { mode: 0o600 });
              fs.chownSync(tokenFile, NOBODY, NOBODY);
            },
          ] as [string, () => void],
        ]
      : []),
  ];
  for (const [what, plant] of planted) {
    it(`planted first and ${what}: refused, and its token creates no admin`, async () => {
      plant();
      const { ensureSetupToken } = await import("@/lib/auth/setup-token");
      const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const why = ensureSetupToken(true);
      errors.mockRestore();
      expect(why).toMatch(/was not made by this server .*delete the file and restart/);
      expect(fs.readFileSync(tokenFile, "utf8")).toContain("planted-token"); // left for the admin to look at
      const r = await setupWith("planted-token-0123456789");
      expect(r.errors?.token?.[0]).toMatch(/was not made by this server/);
      expect(await db.user.count()).toBe(0);
      // the page says why too
      const page = await import("@/app/setup/page");
      const html = JSON.stringify(await page.default());
      expect(html).toContain("Setup token refused");
    });
  }

  it("the server's own token does create the admin, once", async () => {
    const { ensureSetupToken } = await import("@/lib/auth/setup-token");
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    ensureSetupToken();
    log.mockRestore();
    const token = fs.readFileSync(tokenFile, "utf8").trim();
    expect((await setupWith(token)).message).toBe("redirect /login");
    expect(await db.user.count()).toBe(1);
    expect(fs.existsSync(tokenFile)).toBe(false);
  });
});

describe("the database's files", () => {
  it("a data directory 0755 with a database 0644 becomes 0700 and 0600 (journal and other files too)", async () => {
    const { secureDataFiles } = await import("@/lib/data-files");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-modes-"));
    const data = path.join(dir, "data");
    fs.mkdirSync(data, { mode: 0o755 });
    fs.chmodSync(data, 0o755);
    const files = ["switchyard.db", "switchyard.db-journal", "monitor.log"].map((f) => path.join(data, f));
    for (const f of files) fs.writeFileSync(f, "x", { mode: 0o644 });
    for (const f of files) fs.chmodSync(f, 0o644);
    const r = secureDataFiles(files[0]);
    expect(r.refused).toBeNull();
    expect(mode(data)).toBe(0o700);
    for (const f of files) expect(mode(f), f).toBe(0o600);
    expect(r.fixed).toHaveLength(4);
    expect(secureDataFiles(files[0]).fixed).toEqual([]); // nothing left to do
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a database in a directory others can write and that is not ours (a sticky /tmp) is refused; the directory is left as it was", async () => {
    const { secureDataFiles } = await import("@/lib/data-files");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-shared-"));
    fs.chmodSync(dir, 0o1777);
    const r = secureDataFiles(path.join(dir, "switchyard.db"));
    expect(r.refused).toMatch(/can be written by other users/);
    expect(fs.statSync(dir).mode & 0o7777).toBe(0o1777);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
