// Monthly caps reachable from the ISP form, the CLI and the import file, validated by the one
// schema (lib/validation/usage.ts) with every error at its field; against a real database.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { classicOffice } from "@/lib/examples";
import { parseCli } from "@/lib/cli/args";
import { switchyard, tempDatabase } from "../helpers/processes";

let token: string | undefined;
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (n: string) => (n === "swyd_session" && token ? { value: token } : undefined), set: vi.fn(), delete: vi.fn() }),
  headers: async () => new Headers({ "x-switchyard-client-ip": "192.168.1.50" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`saved and redirected to ${to}`);
  },
  notFound: () => {
    throw new Error("not found");
  },
}));

type Action = (prev: object, fd: FormData) => Promise<{ errors?: Record<string, string[]>; message?: string }>;
let db: typeof import("@/lib/db").db;
let url: string;
let cleanup: () => Promise<void>;
let save: Action;
let file: typeof import("@/lib/data/config-file");

beforeAll(async () => {
  ({ url, cleanup } = await tempDatabase("usage-caps"));
  process.env.DATABASE_URL = url;
  process.env.SWITCHYARD_TARGET = "lab";
  ({ db } = await import("@/lib/db"));
  file = await import("@/lib/data/config-file");
  const user = await (await import("@/lib/auth/users")).createUser("admin", "correct horse battery");
  token = await (await import("@/lib/auth/session")).createSession(user.id, "192.168.1.50", "test");
  save = (await import("@/app/(admin)/isps/actions")).saveIspAction as Action;
});
afterAll(async () => {
  await db?.$disconnect();
  await cleanup?.();
});
beforeEach(async () => {
  expect((await file.importConfigFile({ ...classicOffice, usageCaps: {} })).ok).toBe(true);
});

const form = (v: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, x] of Object.entries(v)) fd.set(k, x);
  return fd;
};
const ISP2 = async () => {
  const isp = await db.isp.findFirstOrThrow({ where: { name: "ISP2" } });
  return {
    id: String(isp.id),
    name: "ISP2",
    wanInterface: isp.wanInterface,
    linkAddress: isp.linkAddress,
    linkPrefix: String(isp.linkPrefix),
    gatewayAddress: isp.gatewayAddress,
    routingTable: String(isp.routingTable),
    mark: String(isp.mark),
    natMode: isp.natMode,
    enabled: "on",
    addressMode: "static",
  };
};

describe("the ISP form", () => {
  it("saves a cap with the ISP; bad values are errors at their fields and nothing is saved; empty removes it", async () => {
    const bad = await save({}, form({ ...(await ISP2()), capBytes: "lots", warnPct: "80, 300", lastResort: "on" }));
    expect(bad.errors?.capBytes?.[0]).toMatch(/monthly allowance, like 50GB/);
    expect(bad.errors?.warnPct?.[0]).toMatch(/between 1 and 200 %/);
    expect(await db.ispCap.count()).toBe(0);
    await expect(save({}, form({ ...(await ISP2()), capBytes: "50GB", warnPct: "90, 80", lastResort: "on" }))).rejects.toThrow(/redirected to \/isps/);
    expect(await db.ispCap.findMany()).toMatchObject([{ isp: "ISP2", capBytes: 50e9, warnPct: "80,90", lastResort: true }]);
    await expect(save({}, form({ ...(await ISP2()), capBytes: "" }))).rejects.toThrow(/redirected/);
    expect(await db.ispCap.count()).toBe(0);
  });
});

describe("the import file", () => {
  it("carries the caps both ways; a bad entry is refused at its path and changes nothing", async () => {
    expect((await file.importConfigFile({ ...classicOffice, usageCaps: { ISP2: { capBytes: "1.5TB", lastResort: true } } })).ok).toBe(true);
    const out = await file.exportConfigFile();
    expect(out.usageCaps).toEqual({ ISP2: { capBytes: 1.5e12, warnPct: [80, 90, 100], lastResort: true } });
    const r = await file.importConfigFile({ ...classicOffice, usageCaps: { ISP2: { capBytes: 5, warnPct: [80, 80] }, LTE: { capBytes: "1GB" } } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "usageCaps.ISP2.capBytes: A cap must be at least 1 MB",
      "usageCaps.ISP2.warnPct: Each percentage only once",
      "usageCaps.LTE: There is no ISP named LTE in this file",
    ]);
    expect((await file.exportConfigFile()).usageCaps).toEqual(out.usageCaps);
  });
});

describe("the CLI", () => {
  it("parses cap commands, each value checked at its flag", () => {
    expect(parseCli(["cap", "set", "ISP2", "--cap", "50GB", "--cap-warn", "80,90", "--cap-last-resort"])).toMatchObject({
      ok: true,
      command: { name: "cap-set", isp: "ISP2", changes: { capBytes: 50e9, warnPct: [80, 90], lastResort: true } },
    });
    expect(parseCli(["cap", "set", "ISP2", "--cap", "fifty"])).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^--cap: "fifty": Enter the monthly allowance/),
    });
    expect(parseCli(["cap", "show", "--cap", "1GB"])).toMatchObject({ ok: false, error: "--cap applies to cap set only" });
    expect(parseCli(["cap", "remove", "ISP2"])).toMatchObject({ ok: true, command: { name: "cap-remove", isp: "ISP2" } });
  });

  it("sets a cap, refuses a new one without --cap, and shows it with the month's use", async () => {
    const env = { DATABASE_URL: url, SWITCHYARD_TARGET: "lab" };
    const { setCap } = await import("@/lib/data/caps");
    expect(await setCap("ISP2", { lastResort: true }, { username: "t" })).toMatchObject({
      ok: false,
      issues: [{ path: ["capBytes"], message: expect.stringMatching(/Enter the monthly allowance/) }],
    });
    const set = await switchyard(["cap", "set", "ISP2", "--cap", "2GB", "--cap-warn", "50,100"], env);
    expect(set.exitCode, set.stderr).toBe(0);
    await db.ispTraffic.create({ data: { isp: "ISP2", day: (await import("@/lib/usage/traffic")).dayKey(Date.now()), txBytes: 0.5e9, rxBytes: 0.5e9 } });
    const show = await switchyard(["cap", "show", "ISP2"], env);
    expect(show.stdout).toMatch(/ISP2: 2.00 GB a month \(2000000000 bytes\), warnings at 50, 100 %/);
    expect(show.stdout).toMatch(/1.00 GB of 2.00 GB \(50 %\)/);
  }, 60_000);
});
