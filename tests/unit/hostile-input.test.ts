// The hostile-input corpus (tests/fixtures/hostile.ts, 200+ values) sent through the
// server actions (as a logged-in admin), config import, and the CLI: each value is
// refused at its field with a message, nothing is saved, and no process is started.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { onExec } from "@/lib/net/exec";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { HOSTILE, corpusSize } from "../fixtures/hostile";
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

let db: typeof import("@/lib/db").db;
let dbUrl: string;
let cleanup: () => Promise<void>;
let spawned = 0;
let stop: () => void;
type Action = (prev: object, fd: FormData) => Promise<{ errors?: Record<string, string[]> }>;
let actions: Record<"isp" | "host" | "nat" | "settings", Action>;

const state = async () =>
  JSON.stringify(await Promise.all([db.isp.findMany(), db.host.findMany(), db.natAddress.findMany(), db.settings.findMany(), db.auditEvent.count()]));

beforeAll(async () => {
  const t = await tempDatabase("hostile");
  cleanup = t.cleanup;
  dbUrl = t.url;
  process.env.DATABASE_URL = t.url;
  ({ db } = await import("@/lib/db"));
  await (await import("@/lib/data/config")).replaceConfig(classicOffice);
  const user = await (await import("@/lib/auth/users")).createUser("admin", "correct horse battery");
  token = await (await import("@/lib/auth/session")).createSession(user.id, "192.168.1.50", "test");
  actions = {
    isp: (await import("@/app/(admin)/isps/actions")).saveIspAction as Action,
    host: (await import("@/app/(admin)/hosts/actions")).saveHostAction as Action,
    nat: (await import("@/app/(admin)/nat/actions")).saveNatAction as Action,
    settings: (await import("@/app/(admin)/settings/actions")).saveSettingsAction as Action,
  };
  stop = onExec(() => spawned++);
});
afterAll(async () => {
  stop?.();
  await db?.$disconnect();
  await cleanup?.();
});

const BASE = {
  isp: {
    name: "ISP3",
    wanInterface: "eth2",
    linkAddress: "192.0.2.10",
    linkPrefix: "24",
    gatewayAddress: "192.0.2.1",
    routingTable: "150",
    mark: "3",
    natMode: "SNAT",
    enabled: "on",
  },
  host: { name: "printer", address: "192.168.1.77", mac: "", isp: "ISP1", notes: "" },
  nat: { address: "203.0.113.11", isp: "ISP1", host: "" },
  settings: { lanInterface: "lan0", lanSubnets: "192.168.1.1/24", defaultIsp: "ISP1" },
};

/** Which form field each kind of hostile value is aimed at. */
const TARGETS: [keyof typeof HOSTILE, keyof typeof BASE, string][] = [
  ["interface", "isp", "wanInterface"],
  ["interface", "settings", "lanInterface"],
  ["ipv4", "isp", "gatewayAddress"],
  ["ipv4", "isp", "linkAddress"],
  ["ipv4", "host", "address"],
  ["ipv4", "nat", "address"],
  ["prefix", "isp", "linkPrefix"],
  ["table", "isp", "routingTable"],
  ["mark", "isp", "mark"],
  ["ispName", "isp", "name"],
  ["hostName", "host", "name"],
  ["mac", "host", "mac"],
  ["notes", "host", "notes"],
  ["lanSubnets", "settings", "lanSubnets"],
];

const form = (values: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, v);
  return fd;
};

describe("hostile input", () => {
  it("the corpus has at least 200 values", () => expect(corpusSize()).toBeGreaterThanOrEqual(200));

  it("the baselines are valid (so a refusal is the hostile value's doing)", async () => {
    // each baseline alone would save: the mocked redirect says so
    const before = await state();
    await expect(actions.host({}, form(BASE.host))).rejects.toThrow(/saved and redirected/);
    await db.host.deleteMany({ where: { name: "printer" } });
    await db.auditEvent.deleteMany({ where: { target: "printer" } });
    expect(await state()).toBe(before);
  });

  for (const [kind, entity, field] of TARGETS) {
    it(`${kind} values in ${entity}.${field} are refused at the field; nothing saved, nothing run`, async () => {
      const before = await state();
      for (const value of HOSTILE[kind]) {
        const r = await actions[entity]({}, form({ ...BASE[entity], [field]: value }));
        expect(r.errors?.[field]?.[0], `${entity}.${field} = ${JSON.stringify(value)}`).toMatch(/\w{3,}/);
      }
      expect(await state()).toBe(before);
      expect(spawned).toBe(0);
    });
  }

  it("config import refuses each hostile value and names where it is", async () => {
    const { replaceConfig } = await import("@/lib/data/config");
    const before = await state();
    const paths: Record<string, (c: GatewayConfig, v: string) => (string | number)[]> = {
      interface: (c, v) => ((c.isps[1].wanInterface = v), ["isps", 1, "wanInterface"]),
      ipv4: (c, v) => ((c.hosts[1].address = v), ["hosts", 1, "address"]),
      ispName: (c, v) => ((c.isps[0].name = v), ["isps", 0, "name"]),
      hostName: (c, v) => ((c.hosts[0].name = v), ["hosts", 0, "name"]),
      mac: (c, v) => ((c.hosts[0].mac = v), ["hosts", 0, "mac"]),
      notes: (c, v) => ((c.hosts[0].notes = v), ["hosts", 0, "notes"]),
    };
    let n = 0;
    for (const [kind, put] of Object.entries(paths)) {
      for (const value of HOSTILE[kind as keyof typeof HOSTILE]) {
        const c = structuredClone(classicOffice) as GatewayConfig;
        const where = put(c, value);
        const r = await replaceConfig(c);
        expect(r.ok, `${kind} ${JSON.stringify(value)}`).toBe(false);
        if (!r.ok) expect(r.issues.map((i) => i.path.join("."))).toContain(where.join("."));
        n++;
      }
    }
    expect(n).toBeGreaterThan(100);
    expect(await state()).toBe(before);
    expect(spawned).toBe(0);
  });

  it("the CLI refuses a file full of hostile host values, names every one, saves nothing and runs nothing", async () => {
    const values = [...HOSTILE.hostName, ...HOSTILE.mac.map((m) => `mac:${m}`)];
    const c = structuredClone(classicOffice) as GatewayConfig;
    c.hosts = values.map((v, i) => ({
      name: v.startsWith("mac:") ? `h${i}` : v,
      address: `192.168.1.${10 + i}`,
      mac: v.startsWith("mac:") ? v.slice(4) : null,
      isp: "ISP1",
      notes: "",
    }));
    const env = { DATABASE_URL: dbUrl, SWITCHYARD_LOG_EXEC: "1" };
    const before = await state();
    const r = await switchyard(["config", "import", "-"], env, JSON.stringify(c));
    expect(r.exitCode).toBe(2);
    values.forEach((v, i) => expect(r.stderr, JSON.stringify(v)).toContain(`hosts[${i}].${v.startsWith("mac:") ? "mac" : "name"}`));
    expect(r.stderr).not.toContain("[exec]");
    expect(await state()).toBe(before);
  });

  it.each(["x;rm -rf /", "$(id)", "ns name", "a".repeat(65), "-n", "../../etc"])("the CLI refuses --netns %j before running anything", async (ns) => {
    const r = await switchyard(["--netns", ns, "status"], { DATABASE_URL: dbUrl, SWITCHYARD_LOG_EXEC: "1" });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/namespace|--netns/i);
    expect(r.stderr).not.toContain("[exec]");
  });
});

describe("more hostile input (issue 8)", () => {
  it("lo, all, default as interfaces, and a LAN address that is its subnet's network or broadcast, are refused at the field", async () => {
    const before = await state();
    const ran = spawned;
    for (const [entity, field, value] of [
      ["isp", "wanInterface", "lo"],
      ["isp", "wanInterface", "all"],
      ["isp", "wanInterface", "default"],
      ["settings", "lanInterface", "lo"],
      ["settings", "lanSubnets", "192.168.1.0/24"],
      ["settings", "lanSubnets", "192.168.1.255/24"],
      ["host", "notes", "pay\u202etxt.exe"],
      ["host", "notes", "a\u2066b"],
    ] as const) {
      const r = await actions[entity]({}, form({ ...BASE[entity], [field]: value }));
      expect(r.errors?.[field]?.[0], `${entity}.${field} = ${JSON.stringify(value)}`).toMatch(/\w{3,}/);
    }
    expect(await state()).toBe(before);
    expect(spawned).toBe(ran);
  });

  it("a multi-line note from a browser (CRLF) is saved, with LF line ends", async () => {
    await expect(actions.host({}, form({ ...BASE.host, notes: "rack 2\r\nport 14\r\n" }))).rejects.toThrow(/saved and redirected/);
    expect((await db.host.findFirstOrThrow({ where: { name: "printer" } })).notes).toBe("rack 2\nport 14\n");
    await db.host.deleteMany({ where: { name: "printer" } });
  });

  it('an ISP form with an unticked checkbox saves a disabled ISP; an import\'s 1 or "yes" is refused', async () => {
    const { enabled: _ticked, ...unticked } = { ...BASE.isp, natMode: "MASQUERADE" };
    void _ticked;
    await expect(actions.isp({}, form(unticked))).rejects.toThrow(/saved and redirected/);
    expect((await db.isp.findFirstOrThrow({ where: { name: "ISP3" } })).enabled).toBe(false);
    await db.isp.deleteMany({ where: { name: "ISP3" } });
    const { validateConfig } = await import("@/lib/validation");
    for (const v of [1, "yes", 0, null]) {
      const r = validateConfig({ ...classicOffice, isps: classicOffice.isps.map((i) => ({ ...i, enabled: v })) });
      expect(r.ok, JSON.stringify(v)).toBe(false);
    }
  });

  it("ISP names that are Object.prototype's keys (constructor, toString, valueOf) do not break the live view", async () => {
    const { assembleLive, openFlows } = await import("@/lib/engine/live");
    const { parseLinkNeighBatch } = await import("@/lib/net/parse/ip-batch");
    const { classify } = await import("@/lib/net/observe");
    const { advance } = await import("@/components/kernel/use-live-kernel");
    const fs = await import("node:fs");
    const path = await import("node:path");
    const fixture = (n: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/kernel", n), "utf8");
    const rename: Record<string, string> = { ISP1: "constructor", ISP2: "toString" };
    const c = structuredClone(classicOffice) as GatewayConfig;
    c.isps.forEach((i) => (i.name = rename[i.name]));
    c.natAddresses.forEach((n) => (n.isp = rename[n.isp]));
    c.hosts.forEach((h) => (h.isp = h.isp ? rename[h.isp] : null));
    c.settings.defaultIsp = c.settings.defaultIsp ? rename[c.settings.defaultIsp] : null;
    expect((await import("@/lib/validation")).validateConfig(c).ok).toBe(true);
    const snap = assembleLive({
      target: "lab",
      observed: classify(fixture("live-ip-rule.json"), fixture("live-ip-route.json"), fixture("live-iptables-save.txt")),
      ...parseLinkNeighBatch(fixture("live-link-neigh-batch.txt")),
      flows: openFlows(fixture("live-conntrack-list.txt")),
      config: c,
      lastGood: { id: 1, config: c },
      readMs: 1,
    });
    const pc = snap.hosts.find((h) => h.address === "192.168.1.100")!;
    expect(JSON.parse(JSON.stringify(pc.flowsByIsp))).toEqual({ constructor: 1 });
    const laptop = snap.hosts.find((h) => h.address === "192.168.1.101")!;
    expect(JSON.parse(JSON.stringify(laptop.flowsByIsp))).toEqual({});
    // the page's state, across two readings (what crashed with "r.map is not a function")
    const wire = JSON.parse(JSON.stringify(snap)) as typeof snap;
    const later = {
      ...wire,
      observedAt: new Date(Date.parse(wire.observedAt) + 2000).toISOString(),
      isps: wire.isps.map((i) => ({ ...i, txBytes: i.txBytes + 2000 })),
    };
    const empty = { snapshot: null, previous: null, rates: Object.create(null), history: Object.create(null), error: null, updatedAt: null };
    const s1 = advance(empty, wire, null, 1);
    for (const name of ["constructor", "toString", "valueOf"]) {
      expect(Array.isArray(s1.history[name] ?? []), name).toBe(true);
      expect(s1.rates[name], name).toBeUndefined();
    }
    const s2 = advance(s1, later, wire, 2);
    expect(s2.rates.constructor).toEqual({ txRate: 1000, rxRate: 0 });
    expect(s2.history.toString).toHaveLength(1);
    expect(s2.history.valueOf).toBeUndefined();
  });
});
