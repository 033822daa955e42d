// Health-check settings against a real (temporary) database: the ISP form saves them with the
// ISP (one submit, every error at once, nothing half saved), renames and deletes follow the
// ISP, `health set/reset` merge and validate, and the config file carries them both ways.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { classicOffice } from "@/lib/examples";
import { SERVER_ADDRESS } from "@/lib/lab/topology";
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
let hs: typeof import("@/lib/data/health-settings");
let file: typeof import("@/lib/data/config-file");
let cfg: typeof import("@/lib/data/config");
const actor = { username: "tester" };

beforeAll(async () => {
  const t = await tempDatabase("health-settings");
  ({ url, cleanup } = t);
  process.env.DATABASE_URL = url;
  process.env.SWITCHYARD_TARGET = "lab"; // the lab's defaults (its test server)
  ({ db } = await import("@/lib/db"));
  cfg = await import("@/lib/data/config");
  hs = await import("@/lib/data/health-settings");
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
  expect((await file.importConfigFile({ ...classicOffice, healthChecks: {} })).ok).toBe(true);
});

const ISP3 = {
  name: "ISP3",
  wanInterface: "eth2",
  linkAddress: "192.0.2.10",
  linkPrefix: "24",
  gatewayAddress: "192.0.2.1",
  routingTable: "150",
  mark: "3",
  natMode: "SNAT",
  enabled: "on",
  addressMode: "static",
};
const HEALTH = {
  targets: "198.18.0.1, 198.18.0.2",
  reliability: "2",
  intervalMs: "500",
  timeoutMs: "400",
  downAfter: "3",
  upAfter: "4",
  lossDegradedPct: "20",
  lossDownPct: "60",
  lossRecoverPct: "5",
  lossWindow: "20",
  recoverWindow: "30",
  rttDegradedMs: "250",
  rttDownMs: "1500",
  minHoldMs: "10000",
  maxChanges: "6",
  changeWindowMs: "300000",
};
const form = (v: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, x] of Object.entries(v)) fd.set(k, x);
  return fd;
};
const rows = () => db.ispHealthSettings.findMany({ orderBy: { isp: "asc" } });
const ispId = async (name: string) => (await db.isp.findFirstOrThrow({ where: { name } })).id;

describe("the store", () => {
  it("a row written by saveHealthSettings is loaded again (it used to stop the monitor: Unrecognized keys id, updatedAt)", async () => {
    const { saveHealthSettings, loadHealthSettings } = await import("@/lib/health/store");
    const r = await saveHealthSettings({ ...hs.defaultFields("ISP1", true), isp: "ISP1", targets: ["198.18.0.7"] });
    expect(r.ok).toBe(true);
    const loaded = await loadHealthSettings(classicOffice, { lab: true });
    expect(loaded.get("ISP1")?.targets).toEqual(["198.18.0.7"]);
    expect(loaded.get("ISP2")?.targets).toEqual([SERVER_ADDRESS]);
  });
});

describe("the ISP form", () => {
  it("adds an ISP with its health checks in one submit", async () => {
    await expect(save({}, form({ ...ISP3, ...HEALTH }))).rejects.toThrow(/redirected to \/isps/);
    const [row] = (await rows()).filter((r) => r.isp === "ISP3");
    expect(row).toMatchObject({ targets: "198.18.0.1,198.18.0.2", reliability: 2, intervalMs: 500, timeoutMs: 400, downAfter: 3, upAfter: 4 });
    expect(await db.auditEvent.count({ where: { action: "health.set", target: "ISP3" } })).toBe(1);
  });

  it("every problem at once, at its field, the ISP's and the health checks'; nothing saved", async () => {
    const before = JSON.stringify([await db.isp.findMany(), await rows()]);
    const r = await save({}, form({ ...ISP3, mark: "1", ...HEALTH, lossRecoverPct: "20", intervalMs: "50", targets: "198.18.0.1; reboot" }));
    expect(r.message).toMatch(/Nothing was saved/);
    expect(r.errors?.mark?.[0]).toMatch(/Firewall mark 1 is already used by ISP1/);
    expect(r.errors?.intervalMs?.[0]).toBe("Interval must be between 100 and 60000 ms");
    expect(r.errors?.targets?.[0]).toMatch(/IPv4 address/);
    const again = await save({}, form({ ...ISP3, ...HEALTH, lossRecoverPct: "20" }));
    expect(again.errors?.lossRecoverPct?.[0]).toMatch(/Loss to recover must be below loss for degraded \(20 %\)/);
    expect(JSON.stringify([await db.isp.findMany(), await rows()])).toBe(before);
  });

  it("an ISP the whole configuration refuses saves no health checks either (one transaction)", async () => {
    const id = await ispId("ISP2");
    const r = await save({}, form({ ...ISP3, name: "ISP2", id: String(id), routingTable: "100", ...HEALTH }));
    expect(r.errors?.routingTable?.[0]).toMatch(/already used by ISP1/);
    expect(await rows()).toEqual([]);
  });

  it("the defaults store nothing; another value is stored; back to the defaults removes the row", async () => {
    const id = String(await ispId("ISP2"));
    const isp2 = {
      ...ISP3,
      name: "ISP2",
      id,
      wanInterface: "wan1",
      linkAddress: "198.51.100.10",
      gatewayAddress: "198.51.100.1",
      routingTable: "200",
      mark: "2",
    };
    const defaults = Object.fromEntries(Object.entries(hs.defaultFields("ISP2", true)).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)]));
    await expect(save({}, form({ ...isp2, ...defaults }))).rejects.toThrow(/redirected/);
    expect(await rows()).toEqual([]);
    await expect(save({}, form({ ...isp2, ...defaults, downAfter: "2" }))).rejects.toThrow(/redirected/);
    expect((await rows()).map((r) => [r.isp, r.downAfter])).toEqual([["ISP2", 2]]);
    await expect(save({}, form({ ...isp2, ...defaults }))).rejects.toThrow(/redirected/);
    expect(await rows()).toEqual([]);
  });

  it("a post without the health fields leaves them as they are", async () => {
    await hs.setHealthSettings("ISP2", { downAfter: 2 }, actor, true);
    const id = String(await ispId("ISP2"));
    await expect(
      save(
        {},
        form({ ...ISP3, name: "ISP2", id, wanInterface: "wan1", linkAddress: "198.51.100.10", gatewayAddress: "198.51.100.1", routingTable: "200", mark: "2" }),
      ),
    ).rejects.toThrow(/redirected/);
    expect((await rows()).map((r) => r.downAfter)).toEqual([2]);
  });

  it("renaming an ISP renames its settings; deleting it deletes them", async () => {
    const isps = await import("@/lib/data/isps");
    await hs.setHealthSettings("ISP2", { targets: ["198.18.0.9"] }, actor, true);
    const id = await ispId("ISP2");
    const isp2 = classicOffice.isps[1];
    expect((await isps.updateIsp(id, { ...isp2, name: "Fiber" }, actor)).ok).toBe(true);
    expect((await rows()).map((r) => [r.isp, r.targets])).toEqual([["Fiber", "198.18.0.9"]]);
    const shown = await hs.effectiveHealthSettings(await cfg.loadConfig(), true);
    expect(shown.find((e) => e.isp === "Fiber")).toMatchObject({ stored: true, scope: "internet" });
    expect((await isps.deleteIsp(id, actor)).ok).toBe(true);
    expect(await rows()).toEqual([]);
  });
});

describe("health set / reset", () => {
  it("merges over the current settings, validates the whole, refuses an unknown ISP", async () => {
    const r = await hs.setHealthSettings("ISP1", { targets: ["198.18.0.1", "198.18.0.2"], reliability: 2 }, actor, true);
    expect(r).toMatchObject({ ok: true, stored: true, settings: { targets: ["198.18.0.1", "198.18.0.2"], reliability: 2, intervalMs: 1000 } });
    const bad = await hs.setHealthSettings("ISP1", { targets: ["198.18.0.1"] }, actor, true);
    expect(bad).toEqual({ ok: false, issues: [{ path: ["reliability"], message: "Only 1 target given: at most 1 can be required to answer" }] });
    expect(await hs.setHealthSettings("ISP9", { reliability: 1 }, actor, true)).toEqual({
      ok: false,
      issues: [{ path: [], message: "There is no ISP named ISP9 (ISPs: ISP1, ISP2)" }],
    });
    const link = await hs.setHealthSettings("ISP1", { targets: ["203.0.113.1"], reliability: 1 }, actor, true);
    expect(link.ok && link.warning).toMatch(/proves the link only, not the internet beyond it/);
    expect((await hs.resetHealthSettings("ISP1", actor, true)).ok).toBe(true);
    expect(await rows()).toEqual([]);
  });
});

describe("the config file", () => {
  it("export carries the stored settings, import restores them (round trip)", async () => {
    await hs.setHealthSettings("ISP2", { targets: ["198.18.0.5"], downAfter: 2 }, actor, true);
    const out = await file.exportConfigFile();
    expect(Object.keys(out.healthChecks ?? {})).toEqual(["ISP2"]);
    expect(out.healthChecks?.ISP2).toMatchObject({ targets: ["198.18.0.5"], downAfter: 2, reliability: 1 });
    await hs.resetHealthSettings("ISP2", actor, true);
    expect(await file.exportConfigFile()).toEqual(classicOffice); // nothing stored: the file is as before
    expect((await file.importConfigFile(JSON.parse(JSON.stringify(out)))).ok).toBe(true);
    expect(await file.exportConfigFile()).toEqual(out);
  });

  it("a bad file lists every problem with its path and changes nothing", async () => {
    await hs.setHealthSettings("ISP2", { downAfter: 2 }, actor, true);
    const before = JSON.stringify(await file.exportConfigFile());
    const good = hs.defaultFields("ISP1", true);
    const r = await file.importConfigFile({
      ...classicOffice,
      isps: [classicOffice.isps[0]],
      hosts: [],
      natAddresses: classicOffice.natAddresses.filter((n) => n.isp === "ISP1"),
      healthChecks: { ISP1: { ...good, reliability: 3, lossRecoverPct: 50 }, ISP2: good, ISP3: { ...good, bogus: 1 } },
    });
    expect(r.ok).toBe(false);
    const issues = !r.ok ? r.issues.map((i) => `${i.path.join(".")}: ${i.message}`) : [];
    expect(issues).toContain("healthChecks.ISP1.reliability: Only 1 target given: at most 1 can be required to answer");
    expect(issues).toContain("healthChecks.ISP1.lossRecoverPct: Loss to recover must be below loss for degraded (20 %), or a steady loss flaps");
    expect(issues).toContain("healthChecks.ISP2: There is no ISP named ISP2 in this file");
    expect(issues.some((i) => i.startsWith("healthChecks.ISP3") && /bogus/.test(i))).toBe(true);
    expect(JSON.stringify(await file.exportConfigFile())).toBe(before);
  });

  it("the health settings are in the import's transaction: a failure before its end writes none", async () => {
    const before = JSON.stringify(await file.exportConfigFile());
    const withHealth = { ...classicOffice, healthChecks: { ISP1: { ...hs.defaultFields("ISP1", true), downAfter: 9 } } };
    await expect(
      file.importConfigFile(withHealth, async () => {
        throw new Error("killed before the audit");
      }),
    ).rejects.toThrow(/killed/);
    expect(JSON.stringify(await file.exportConfigFile())).toBe(before);
    expect(await rows()).toEqual([]);
  });

  it("a file without healthChecks keeps the settings of the ISPs it still defines", async () => {
    await hs.setHealthSettings("ISP1", { downAfter: 2 }, actor, true);
    await hs.setHealthSettings("ISP2", { downAfter: 3 }, actor, true);
    const only1 = {
      ...classicOffice,
      isps: [classicOffice.isps[0]],
      hosts: classicOffice.hosts.filter((h) => h.isp !== "ISP2"),
      natAddresses: classicOffice.natAddresses.filter((n) => n.isp === "ISP1"),
    };
    const r = await file.importConfigFile(only1);
    expect(r.ok ? null : r.issues).toBeNull();
    expect((await rows()).map((x) => [x.isp, x.downAfter])).toEqual([["ISP1", 2]]);
  });

  it("the CLI: import and export through the command, a bad setting's exit and message", async () => {
    const env = { DATABASE_URL: url, SWITCHYARD_TARGET: "lab" };
    const set = await switchyard(["health", "set", "ISP1", "--targets", "198.18.0.3,198.18.0.4", "--reliability", "2", "--interval-ms", "500"], env);
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/uses them within a second/);
    const bad = await switchyard(["health", "set", "ISP1", "--loss-recover-pct", "25"], env);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--loss-recover-pct: Loss to recover must be below loss for degraded/);
    const exported = await switchyard(["config", "export"], env);
    const data = JSON.parse(exported.stdout);
    expect(data.healthChecks.ISP1).toMatchObject({ targets: ["198.18.0.3", "198.18.0.4"], reliability: 2, intervalMs: 500 });
    data.healthChecks.ISP1.reliability = 5;
    const refused = await switchyard(["config", "import", "-"], env, JSON.stringify(data));
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/healthChecks\.ISP1\.reliability: Only 2 targets given/);
    const show = await switchyard(["health", "show", "ISP1", "--json"], env);
    expect(JSON.parse(show.stdout).isps[0]).toMatchObject({ isp: "ISP1", stored: true, settings: { reliability: 2 } });
  }, 60_000);
});
