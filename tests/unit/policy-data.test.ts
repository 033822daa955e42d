// Policies through the data layer and the forms' server actions, on a real (temporary)
// SQLite database: create, assign, rename and delete follow through; refusals say why at
// the field (a member's error on its own row) and save nothing; config export/import
// (the CLI) round-trips a configuration with policies.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig, PolicyConfig } from "@/lib/model";
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

const actor = { username: "tester", clientIp: "127.0.0.1" };
type Action = (prev: object, fd: FormData) => Promise<{ errors?: Record<string, string[]>; values?: Record<string, string> }>;

let db: typeof import("@/lib/db").db;
let dbUrl: string;
let cleanup: () => Promise<void>;
let cfg: typeof import("@/lib/data/config");
let isps: typeof import("@/lib/data/isps");
let hosts: typeof import("@/lib/data/hosts");
let policies: typeof import("@/lib/data/policies");
let savePolicy: Action;
let saveHost: Action;
let saveSettings: Action;
let assignHostAction: typeof import("@/app/(admin)/hosts/actions").assignHostAction;

beforeAll(async () => {
  const t = await tempDatabase("policy");
  cleanup = t.cleanup;
  dbUrl = t.url;
  process.env.DATABASE_URL = t.url;
  ({ db } = await import("@/lib/db"));
  cfg = await import("@/lib/data/config");
  isps = await import("@/lib/data/isps");
  hosts = await import("@/lib/data/hosts");
  policies = await import("@/lib/data/policies");
  await cfg.replaceConfig(classicOffice);
  const user = await (await import("@/lib/auth/users")).createUser("admin", "correct horse battery");
  token = await (await import("@/lib/auth/session")).createSession(user.id, "192.168.1.50", "test");
  savePolicy = (await import("@/app/(admin)/policies/actions")).savePolicyAction as Action;
  ({ saveHostAction: saveHost, assignHostAction } = (await import("@/app/(admin)/hosts/actions")) as never);
  saveSettings = (await import("@/app/(admin)/settings/actions")).saveSettingsAction as Action;
});

afterAll(async () => {
  await db?.$disconnect();
  await cleanup?.();
});

const SPLIT: PolicyConfig = {
  name: "split",
  members: [
    { isp: "ISP1", tier: 1, weight: 2 },
    { isp: "ISP2", tier: 1, weight: 1 },
  ],
  sticky: true,
  lastResort: null,
  notes: "",
};
const FAILOVER: PolicyConfig = {
  name: "fiber-first",
  members: [
    { isp: "ISP1", tier: 1, weight: 1 },
    { isp: "ISP2", tier: 2, weight: 1 },
  ],
  sticky: false,
  lastResort: null,
  notes: "backup on ISP2",
};
const withPolicies: GatewayConfig = {
  ...classicOffice,
  settings: { ...classicOffice.settings, defaultIsp: null, defaultPolicy: "fiber-first", failback: "keep" },
  hosts: [classicOffice.hosts[0], { ...classicOffice.hosts[1], isp: null, policy: "split" }],
  policies: [SPLIT, FAILOVER],
};

beforeEach(async () => {
  expect(await cfg.replaceConfig(classicOffice)).toEqual({ ok: true });
});

const form = (values: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, v);
  return fd;
};
const policyForm = (over: Record<string, string> = {}) =>
  form({
    name: "split",
    "members.0.isp": "ISP1",
    "members.0.tier": "1",
    "members.0.weight": "2",
    "members.1.isp": "ISP2",
    "members.1.tier": "1",
    "members.1.weight": "1",
    lastResort: "",
    notes: "",
    ...over,
  });
const idOf = async (collection: "hosts" | "isps" | "policies", name: string) => {
  const { config, ids } = await cfg.loadConfigWithIds();
  return ids[collection][(config[collection] ?? []).findIndex((x) => x.name === name)];
};
const state = async () =>
  JSON.stringify(await Promise.all([db.policy.findMany(), db.policyMember.findMany(), db.host.findMany(), db.settings.findMany(), db.auditEvent.count()]));

describe("policies in the data layer", () => {
  it("creates a policy, a host uses it, and a rename of the policy follows into its hosts", async () => {
    expect(await policies.createPolicy(SPLIT, actor)).toEqual({ ok: true });
    expect(await hosts.assignHost(await idOf("hosts", "laptop"), { policy: "split" }, actor)).toEqual({ ok: true });
    let c = await cfg.loadConfig();
    expect(c.policies).toEqual([SPLIT]);
    expect(c.hosts.find((h) => h.name === "laptop")).toMatchObject({ isp: null, policy: "split" });
    expect(await policies.updatePolicy(await idOf("policies", "split"), { ...SPLIT, name: "halves" }, actor)).toEqual({ ok: true });
    c = await cfg.loadConfig();
    expect(c.hosts.find((h) => h.name === "laptop")?.policy).toBe("halves");
    const trail = await db.auditEvent.findMany({ where: { action: { startsWith: "policy." } }, orderBy: { id: "asc" } });
    expect(trail.map((a) => [a.action, a.target])).toEqual([
      ["policy.create", "split"],
      ["policy.update", "halves"],
    ]);
  });

  it("an ISP rename follows into the members and the last resort", async () => {
    expect(await policies.createPolicy({ ...FAILOVER, members: [FAILOVER.members[0]], lastResort: "ISP2" }, actor)).toEqual({ ok: true });
    expect(await policies.createPolicy(SPLIT, actor)).toEqual({ ok: true });
    expect(await isps.updateIsp(await idOf("isps", "ISP2"), { ...classicOffice.isps[1], name: "LTE" }, actor)).toEqual({ ok: true });
    const c = await cfg.loadConfig();
    expect(c.policies!.find((p) => p.name === "fiber-first")!.lastResort).toBe("LTE");
    expect(c.policies!.find((p) => p.name === "split")!.members.map((m) => m.isp)).toEqual(["ISP1", "LTE"]);
  });

  it("refuses to delete the only ISP of a policy, says which, and deletes nothing", async () => {
    expect(await policies.createPolicy({ ...FAILOVER, name: "only-two", members: [{ isp: "ISP2", tier: 1, weight: 1 }] }, actor)).toEqual({ ok: true });
    const before = await state();
    const r = await isps.deleteIsp(await idOf("isps", "ISP2"), actor);
    expect(r).toEqual({ ok: false, errors: { _form: ["ISP2 is the only ISP of policy only-two: change or delete that policy first"] } });
    expect(await state()).toBe(before);
    expect((await cfg.loadConfig()).isps.map((i) => i.name)).toEqual(["ISP1", "ISP2"]);
  });

  it("deleting a policy sends its hosts, and everyone else, back to the default", async () => {
    expect(await cfg.replaceConfig(withPolicies)).toEqual({ ok: true });
    expect(await policies.deletePolicy(await idOf("policies", "split"), actor)).toEqual({ ok: true });
    expect(await policies.deletePolicy(await idOf("policies", "fiber-first"), actor)).toEqual({ ok: true });
    const c = await cfg.loadConfig();
    expect(c.policies).toBeUndefined();
    expect(c.hosts.find((h) => h.name === "laptop")).toEqual({ ...classicOffice.hosts[1], isp: null });
    expect(c.settings).toEqual({ ...classicOffice.settings, defaultIsp: null, failback: "keep" });
  });

  it("refuses what the whole configuration forbids, each at its field, a member's error on its row", async () => {
    const before = await state();
    const twice = await policies.createPolicy({ ...SPLIT, members: [SPLIT.members[0], { ...SPLIT.members[1], isp: "ISP1" }] }, actor);
    expect(twice).toEqual({ ok: false, errors: { "members.1.isp": ["ISP ISP1 is already used"] } });
    const unknown = await policies.createPolicy({ ...SPLIT, members: [SPLIT.members[0], { ...SPLIT.members[1], isp: "ISP9" }], lastResort: "ISP7" }, actor);
    expect(unknown).toEqual({ ok: false, errors: { "members.1.isp": ["There is no ISP named ISP9"], lastResort: ["There is no ISP named ISP7"] } });
    const member = await policies.createPolicy({ ...SPLIT, lastResort: "ISP2" }, actor);
    expect(member.ok || member.errors.lastResort).toEqual([expect.stringMatching(/ISP2 is already in this policy/)]);
    const named = await policies.createPolicy({ ...SPLIT, name: "isp1" }, actor);
    expect(named.ok || named.errors.name).toEqual([expect.stringMatching(/^isp1 is an ISP's name: give the policy its own/)]);
    expect(await state()).toBe(before);
  });

  it("config export and import (the CLI) round-trip a configuration with policies", async () => {
    expect(await cfg.replaceConfig(withPolicies)).toEqual({ ok: true });
    const env = { DATABASE_URL: dbUrl };
    const out = await switchyard(["config", "export"], env);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(withPolicies);
    await cfg.replaceConfig(classicOffice);
    const imported = await switchyard(["config", "import", "-"], env, out.stdout);
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(await cfg.loadConfig()).toEqual(withPolicies);
    // a file that breaks a policy rule is refused whole, each issue at its policy's field
    const bad = {
      ...withPolicies,
      policies: [
        { ...SPLIT, members: [SPLIT.members[0], { isp: "ISP2", tier: 1, weight: 101 }] },
        { ...FAILOVER, lastResort: "ISP9" },
      ],
    };
    const refused = await cfg.replaceConfig(bad);
    expect(refused.ok).toBe(false);
    expect(refused.ok || refused.issues).toEqual([
      { path: ["policies", 0, "members", 1, "weight"], message: expect.stringMatching(/^Weight must be between 1 and 100/) },
      { path: ["policies", 1, "lastResort"], message: "There is no ISP named ISP9" },
    ]);
    expect(await cfg.loadConfig()).toEqual(withPolicies);
  });
});

describe("the policy form", () => {
  it("shows every error of the form at once, each at its field or row, and saves nothing", async () => {
    const before = await state();
    const r = await savePolicy({}, policyForm({ name: "my split", "members.0.tier": "first", "members.1.weight": "0", sticky: "maybe" }));
    expect(r.errors).toEqual({
      name: ["Start with a letter; use letters, digits, '-' or '_'"],
      "members.0.tier": [expect.stringMatching(/^Tier must be a whole number/)],
      "members.1.weight": ["Weight must be between 1 and 100 (its share of new connections within its tier)"],
    });
    // what was typed comes back, rows included
    expect(r.values).toMatchObject({ name: "my split", "members.1.weight": "0", "members.1.isp": "ISP2" });
    expect(await savePolicy({}, form({ name: "empty" }))).toMatchObject({ errors: { members: ["Add at least one ISP"] } });
    expect(await state()).toBe(before);
  });

  it("then the whole-config errors, on the member's row", async () => {
    const r = await savePolicy({}, policyForm({ "members.1.isp": "ISP1" }));
    expect(r.errors).toEqual({ "members.1.isp": ["ISP ISP1 is already used"] });
  });

  it("saves a valid policy (rows in order, the checkbox ticked) and edits it by id", async () => {
    await expect(savePolicy({}, policyForm({ sticky: "on" }))).rejects.toThrow(/saved and redirected to \/policies(\?saved=[^ ]+)?$/);
    expect((await cfg.loadConfig()).policies).toEqual([SPLIT]);
    const id = String(await idOf("policies", "split"));
    await expect(
      savePolicy({}, policyForm({ id, "members.1.tier": "2", "members.2.isp": "ISP2", "members.2.tier": "3", "members.2.weight": "1" })),
    ).resolves.toMatchObject({
      errors: { "members.2.isp": ["ISP ISP2 is already used"] },
    });
    await expect(savePolicy({}, policyForm({ id, "members.1.tier": "2" }))).rejects.toThrow(/saved and redirected/);
    expect((await cfg.loadConfig()).policies).toEqual([{ ...SPLIT, sticky: false, members: [SPLIT.members[0], { ...SPLIT.members[1], tier: 2 }] }]);
  });
});

describe("choosing an ISP or a policy", () => {
  const hostForm = (uses: string) => form({ name: "printer", address: "192.168.1.77", mac: "", uses, notes: "" });

  it("the host form's one 'Uses' select sets the policy or the ISP, and its errors land on it", async () => {
    await policies.createPolicy(SPLIT, actor);
    const r = await saveHost({}, hostForm("policy:nope"));
    expect(r.errors).toEqual({ uses: ["There is no policy named nope"] });
    await expect(saveHost({}, hostForm("policy:split"))).rejects.toThrow(/saved and redirected/);
    expect((await cfg.loadConfig()).hosts.find((h) => h.name === "printer")).toMatchObject({ isp: null, policy: "split" });
    const id = String(await idOf("hosts", "printer"));
    await expect(saveHost({}, form({ id, name: "printer", address: "192.168.1.77", mac: "", uses: "ISP2", notes: "" }))).rejects.toThrow(
      /saved and redirected/,
    );
    const printer = (await cfg.loadConfig()).hosts.find((h) => h.name === "printer");
    expect(printer).toMatchObject({ isp: "ISP2" });
    expect(printer?.policy ?? null).toBeNull();
  });

  it("drag and drop: assignHostAction takes an ISP, a policy or the default, and refuses anything else", async () => {
    await policies.createPolicy(SPLIT, actor);
    const id = await idOf("hosts", "office-pc");
    expect(await assignHostAction(id, { policy: "split" })).toEqual({});
    expect((await cfg.loadConfig()).hosts.find((h) => h.name === "office-pc")).toMatchObject({ isp: null, policy: "split" });
    expect(await assignHostAction(id, { isp: "ISP2" })).toEqual({});
    expect(await assignHostAction(id, { policy: "gone" })).toEqual({ error: "There is no policy named gone" });
    expect(await assignHostAction(id, { policy: "x; reboot" } as never)).toEqual({ error: "That host, ISP or policy does not exist." });
    expect(await assignHostAction(id, { isp: "ISP1", policy: "split" } as never)).toEqual({ error: "That host, ISP or policy does not exist." });
    expect(await assignHostAction(id, null)).toEqual({});
    const pc = (await cfg.loadConfig()).hosts.find((h) => h.name === "office-pc");
    expect([pc?.isp, pc?.policy ?? null]).toEqual([null, null]);
  });

  it("settings: everyone else uses a policy, failback keeps connections; an unknown policy is refused at the field", async () => {
    await policies.createPolicy(FAILOVER, actor);
    const settings = (uses: string, failback = "keep") => form({ lanInterface: "lan0", lanSubnets: "192.168.1.1/24", uses, failback });
    expect((await saveSettings({}, settings("policy:nope"))).errors).toEqual({ uses: ["There is no policy named nope"] });
    expect((await saveSettings({}, settings("ISP1", "later"))).errors).toEqual({ failback: ["Choose move or keep"] });
    await expect(saveSettings({}, settings("policy:fiber-first"))).rejects.toThrow(/saved and redirected/);
    expect((await cfg.loadConfig()).settings).toEqual({
      lanInterface: "lan0",
      lanSubnets: ["192.168.1.1/24"],
      defaultIsp: null,
      defaultPolicy: "fiber-first",
      failback: "keep",
    });
    await expect(saveSettings({}, settings("ISP2", "move"))).rejects.toThrow(/saved and redirected/);
    expect((await cfg.loadConfig()).settings).toEqual({ lanInterface: "lan0", lanSubnets: ["192.168.1.1/24"], defaultIsp: "ISP2" });
  });
});
