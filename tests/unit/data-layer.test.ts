// The data layer against a real (temporary) SQLite database: every write is
// validated against the whole resulting configuration, refused writes leave
// nothing behind, references follow renames and re-addressing, and every
// accepted write leaves an audit row.
import { switchyard } from "../helpers/processes";
import { openTestDatabase, type TestDatabase } from "../helpers/test-db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { HostConfig } from "@/lib/model";

const actor = { username: "tester", clientIp: "127.0.0.1" };

// lib/db reads DATABASE_URL when it is first imported, so everything that
// imports it is loaded in beforeAll, after the variable is set.
let db: typeof import("@/lib/db").db;
let cfg: typeof import("@/lib/data/config");
let isps: typeof import("@/lib/data/isps");
let hosts: typeof import("@/lib/data/hosts");
let nat: typeof import("@/lib/data/nat");
let settings: typeof import("@/lib/data/settings");

let testDb: TestDatabase | undefined;

beforeAll(async () => {
  testDb = await openTestDatabase("switchyard-data");
  ({ db } = testDb);
  cfg = await import("@/lib/data/config");
  isps = await import("@/lib/data/isps");
  hosts = await import("@/lib/data/hosts");
  nat = await import("@/lib/data/nat");
  settings = await import("@/lib/data/settings");
});

afterAll(async () => {
  await testDb?.close();
});

beforeEach(async () => {
  const r = await cfg.replaceConfig(classicOffice);
  expect(r).toEqual({ ok: true });
});

async function idOf(collection: "isps" | "hosts" | "natAddresses", key: string): Promise<number> {
  const { config, ids } = await cfg.loadConfigWithIds();
  const items = config[collection] as { name?: string; address?: string }[];
  const i = items.findIndex((x) => x.name === key || x.address === key);
  if (i < 0) throw new Error(`no ${collection} ${key}`);
  return ids[collection][i];
}

const allErrors = (r: { ok: boolean; errors?: Record<string, string[]> }) =>
  Object.values(r.errors ?? {})
    .flat()
    .join(" ");
const host = (name: string) => cfg.loadConfig().then((c) => c.hosts.find((h) => h.name === name));

describe("hosts", () => {
  it("refuses a host outside the LAN, on its address field, and saves nothing", async () => {
    const audits = await db.auditEvent.count();
    const r = await hosts.createHost({ name: "printer", address: "10.9.9.9", mac: null, isp: null, notes: "" }, actor);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.address).toEqual([expect.stringMatching(/inside a LAN subnet \(192\.168\.1\.1\/24\)/)]);
    expect(await db.host.count()).toBe(classicOffice.hosts.length);
    expect(await db.auditEvent.count()).toBe(audits);
  });

  it("creates a valid host and records it in the audit log", async () => {
    const input: HostConfig = { name: "printer", address: "192.168.1.50", mac: "52:54:00:aa:bb:cc", isp: "ISP2", notes: "2nd floor" };
    expect(await hosts.createHost(input, actor)).toEqual({ ok: true });
    expect(await host("printer")).toEqual(input);
    const audit = await db.auditEvent.findFirst({ orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ actor: "tester", clientIp: "127.0.0.1", action: "host.create", target: "printer", before: null, result: "ok" });
    expect(JSON.parse(audit!.after!)).toEqual(input);
  });

  it("keeps a pinned NAT address on the host when the host's address changes", async () => {
    expect(await nat.createNatAddress({ address: "203.0.113.12", isp: "ISP1", isDefault: false, host: "192.168.1.100" }, actor)).toEqual({ ok: true });
    const pc = (await host("office-pc"))!;
    const r = await hosts.updateHost(await idOf("hosts", "office-pc"), { ...pc, address: "192.168.1.150" }, actor);
    expect(r).toEqual({ ok: true });
    const c = await cfg.loadConfig();
    expect(c.natAddresses.find((n) => n.address === "203.0.113.12")?.host).toBe("192.168.1.150");
    expect(c.hosts.find((h) => h.name === "office-pc")?.address).toBe("192.168.1.150");
  });

  it("unpins (but keeps) the pinned NAT address when its host is deleted", async () => {
    await nat.createNatAddress({ address: "203.0.113.12", isp: "ISP1", isDefault: false, host: "192.168.1.100" }, actor);
    expect(await hosts.deleteHost(await idOf("hosts", "office-pc"), actor)).toEqual({ ok: true });
    const c = await cfg.loadConfig();
    expect(c.hosts.map((h) => h.name)).toEqual(["laptop"]);
    expect(c.natAddresses.find((n) => n.address === "203.0.113.12")).toMatchObject({ isp: "ISP1", host: null });
  });

  it("assignHost moves a host between ISPs and back to the default, and refuses an unknown ISP", async () => {
    const id = await idOf("hosts", "laptop");
    expect(await hosts.assignHost(id, "ISP1", actor)).toEqual({ ok: true });
    expect((await host("laptop"))?.isp).toBe("ISP1");
    expect(await hosts.assignHost(id, null, actor)).toEqual({ ok: true });
    expect((await host("laptop"))?.isp).toBeNull();
    const r = await hosts.assignHost(id, "ISP9", actor);
    expect(r.ok).toBe(false);
    expect(allErrors(r)).toMatch(/There is no ISP named ISP9/);
    expect((await host("laptop"))?.isp).toBeNull();
    const trail = await db.auditEvent.findMany({ where: { action: "host.assign", target: "laptop" }, orderBy: { id: "asc" } });
    expect(trail.map((a) => [JSON.parse(a.before!).isp, JSON.parse(a.after!).isp])).toEqual([
      ["ISP2", "ISP1"],
      ["ISP1", null],
    ]);
  });
});

describe("ISPs", () => {
  it("renaming an ISP keeps its hosts, NAT addresses and the default ISP pointing at it", async () => {
    const isp1 = classicOffice.isps[0];
    expect(await isps.updateIsp(await idOf("isps", "ISP1"), { ...isp1, name: "Fiber" }, actor)).toEqual({ ok: true });
    const c = await cfg.loadConfig();
    expect(c.hosts.find((h) => h.name === "office-pc")?.isp).toBe("Fiber");
    expect(c.natAddresses.find((n) => n.address === "203.0.113.10")?.isp).toBe("Fiber");
    expect(c.settings.defaultIsp).toBe("Fiber");
    expect(await db.auditEvent.findFirst({ orderBy: { id: "desc" } })).toMatchObject({ action: "isp.update", target: "Fiber" });
  });
});

describe("NAT addresses", () => {
  it("making an address the default takes the default away from the ISP's previous one", async () => {
    expect(await nat.createNatAddress({ address: "203.0.113.11", isp: "ISP1", isDefault: true, host: null }, actor)).toEqual({ ok: true });
    let defaults = (await cfg.loadConfig()).natAddresses.filter((n) => n.isp === "ISP1" && n.isDefault);
    expect(defaults.map((n) => n.address)).toEqual(["203.0.113.11"]);
    // and back again, by editing the old one
    const old = await idOf("natAddresses", "203.0.113.10");
    expect(await nat.updateNatAddress(old, { address: "203.0.113.10", isp: "ISP1", isDefault: true, host: null }, actor)).toEqual({ ok: true });
    defaults = (await cfg.loadConfig()).natAddresses.filter((n) => n.isp === "ISP1" && n.isDefault);
    expect(defaults.map((n) => n.address)).toEqual(["203.0.113.10"]);
    // ISP2's default is untouched
    expect((await cfg.loadConfig()).natAddresses.find((n) => n.isp === "ISP2")?.isDefault).toBe(true);
  });

  it("refuses to delete the only default address of an SNAT ISP, says why, and deletes nothing", async () => {
    const audits = await db.auditEvent.count();
    const r = await nat.deleteNatAddress(await idOf("natAddresses", "203.0.113.10"), actor);
    expect(r.ok).toBe(false);
    expect(allErrors(r)).toMatch(/ISP ISP1 .*SNAT needs a default NAT address on this ISP/);
    expect(await db.natAddress.count()).toBe(classicOffice.natAddresses.length);
    expect(await db.auditEvent.count()).toBe(audits);
  });

  it("refuses to un-default the only default address", async () => {
    const r = await nat.updateNatAddress(
      await idOf("natAddresses", "203.0.113.10"),
      { address: "203.0.113.10", isp: "ISP1", isDefault: false, host: null },
      actor,
    );
    expect(r.ok).toBe(false);
    expect(allErrors(r)).toMatch(/SNAT needs a default NAT address/);
    expect((await cfg.loadConfig()).natAddresses.find((n) => n.address === "203.0.113.10")?.isDefault).toBe(true);
  });

  it("refuses an address outside the ISP's link on its address field", async () => {
    const r = await nat.createNatAddress({ address: "198.51.100.20", isp: "ISP1", isDefault: false, host: null }, actor);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.address).toEqual([expect.stringMatching(/inside its link subnet/)]);
    expect(await db.natAddress.count()).toBe(classicOffice.natAddresses.length);
  });

  it("deletes a non-default address", async () => {
    await nat.createNatAddress({ address: "203.0.113.11", isp: "ISP1", isDefault: false, host: "192.168.1.101" }, actor);
    expect(await nat.deleteNatAddress(await idOf("natAddresses", "203.0.113.11"), actor)).toEqual({ ok: true });
    expect(await db.natAddress.count()).toBe(classicOffice.natAddresses.length);
    expect(await db.auditEvent.findFirst({ orderBy: { id: "desc" } })).toMatchObject({ action: "nat.delete", target: "203.0.113.11" });
  });
});

describe("settings", () => {
  it("refuses a LAN that would strand the hosts, naming them", async () => {
    const r = await settings.updateSettings({ lanInterface: "lan0", lanSubnets: ["10.0.0.1/24"], defaultIsp: "ISP1" }, actor);
    expect(r.ok).toBe(false);
    expect(allErrors(r)).toMatch(/Host office-pc \(address\): The address must be inside a LAN subnet/);
    expect((await cfg.loadConfig()).settings.lanSubnets).toEqual(["192.168.1.1/24"]);
  });

  it("saves valid settings, creating the row if it is missing", async () => {
    await db.settings.deleteMany();
    const input = { lanInterface: "br0", lanSubnets: ["192.168.1.1/24", "10.0.0.1/24"], defaultIsp: "ISP2" };
    expect(await settings.updateSettings(input, actor)).toEqual({ ok: true });
    expect((await cfg.loadConfig()).settings).toEqual(input);
    expect(await settings.updateSettings({ ...input, defaultIsp: null }, actor)).toEqual({ ok: true });
    expect((await cfg.loadConfig()).settings.defaultIsp).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "settings.update" } })).toBeGreaterThanOrEqual(2);
  });

  it("stores the firewall backend; a save without it keeps it; auto is left out of the config again", async () => {
    const base = { lanInterface: "lan0", lanSubnets: ["192.168.1.1/24"], defaultIsp: "ISP1" };
    expect(await settings.updateSettings({ ...base, firewall: "nftables" }, actor)).toEqual({ ok: true });
    expect((await cfg.loadConfig()).settings).toEqual({ ...base, firewall: "nftables" });
    expect((await db.settings.findUnique({ where: { id: 1 } }))?.firewall).toBe("nftables");
    // a form or caller that does not send the field (an older client) does not reset it
    expect(await settings.updateSettings({ ...base, defaultIsp: "ISP2" }, actor)).toEqual({ ok: true });
    expect((await cfg.loadConfig()).settings).toEqual({ ...base, defaultIsp: "ISP2", firewall: "nftables" });
    const audit = await db.auditEvent.findFirst({ where: { action: "settings.update" }, orderBy: { id: "desc" } });
    expect(audit?.after).toContain('"firewall":"nftables"');
    expect(await settings.updateSettings({ ...base, firewall: "auto" }, actor)).toEqual({ ok: true });
    // auto is the default: the configuration reads exactly as before the setting existed
    expect(JSON.stringify(await cfg.loadConfig())).toBe(JSON.stringify(classicOffice));
    expect((await db.settings.findUnique({ where: { id: 1 } }))?.firewall).toBe("auto");
  });

  it("config import and export (the CLI) round-trip the firewall backend; auto is not written out", async () => {
    const env = { DATABASE_URL: process.env.DATABASE_URL! };
    const iptables = { ...classicOffice, settings: { ...classicOffice.settings, firewall: "iptables" as const } };
    const imported = await switchyard(["config", "import", "-"], env, JSON.stringify(iptables));
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect((await cfg.loadConfig()).settings.firewall).toBe("iptables");
    const out = await switchyard(["config", "export"], env);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(iptables);
    // "auto" spelled out is accepted and exported as an older configuration was: without the key
    const auto = { ...classicOffice, settings: { ...classicOffice.settings, firewall: "auto" } };
    expect(await cfg.replaceConfig(auto)).toEqual({ ok: true });
    const again = await switchyard(["config", "export"], env);
    expect(again.stdout).toBe(`${JSON.stringify(classicOffice, null, 2)}\n`);
    // a bad value is refused at its key and changes nothing
    const bad = await switchyard(
      ["config", "import", "-"],
      env,
      JSON.stringify({ ...classicOffice, settings: { ...classicOffice.settings, firewall: "ebtables" } }),
    );
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/settings\.firewall.*Choose automatic, nftables or iptables/);
    expect(await cfg.loadConfig()).toEqual(classicOffice);
  });
});
