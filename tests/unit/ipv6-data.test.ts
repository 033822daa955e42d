// IPv6 through the database and the configuration file (docs/ipv6.md): a configuration without
// IPv6 reads back without any new key (golden files and stored revisions compare it byte for
// byte); one with IPv6 comes back as it went in, and an import refuses bad IPv6 at its path.
import { openTestDatabase, type TestDatabase } from "../helpers/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { validateConfigFile } from "@/lib/validation/config-file";

let db: typeof import("@/lib/db").db;
let cfg: typeof import("@/lib/data/config");
let settings: typeof import("@/lib/data/settings");
let lans: typeof import("@/lib/data/lans");

let testDb: TestDatabase | undefined;

beforeAll(async () => {
  testDb = await openTestDatabase("switchyard-ipv6");
  ({ db } = testDb);
  cfg = await import("@/lib/data/config");
  settings = await import("@/lib/data/settings");
  lans = await import("@/lib/data/lans");
});

afterAll(async () => {
  await testDb?.close();
});

const actor = { username: "tester", clientIp: "127.0.0.1" };

const dualStack = (): GatewayConfig => {
  const c = structuredClone(classicOffice);
  c.isps[0].ipv6 = { prefix: "2001:db8:1::/48", gateway: "fe80::1" };
  c.isps[1].ipv6 = { prefix: "2001:db8:2::/48", gateway: "fe80::2", translate: false };
  c.settings.lanSubnets6 = ["2001:db8:1:1::1/64", "2001:db8:2:1::1/64"];
  c.settings.lans = [{ name: "guest", interface: "lan9", subnets: ["10.9.0.1/24"], subnets6: ["2001:db8:1:9::1/64"] }];
  return c;
};

describe("IPv6 in the database", () => {
  it("a configuration without IPv6 reads back byte-identical, without any new key", async () => {
    expect(await cfg.replaceConfig(classicOffice)).toEqual({ ok: true });
    const back = await cfg.loadConfig();
    expect(JSON.stringify(back)).toBe(JSON.stringify(classicOffice));
    const rows = await db.isp.findMany();
    expect(rows.map((r) => [r.ipv6Prefix, r.ipv6Gateway, r.ipv6Translate])).toEqual([
      ["", "", true],
      ["", "", true],
    ]);
  });

  it("a dual-stack configuration comes back as it went in (translate only where off)", async () => {
    expect(await cfg.replaceConfig(dualStack())).toEqual({ ok: true });
    expect(await cfg.loadConfig()).toEqual(dualStack());
    expect((await db.settings.findUnique({ where: { id: 1 } }))?.lanSubnets6).toBe("2001:db8:1:1::1/64,2001:db8:2:1::1/64");
  });

  it("the settings form keeps the /64s when it does not send them, and [] turns them off", async () => {
    expect(await cfg.replaceConfig(dualStack())).toEqual({ ok: true });
    const { lanSubnets6: _gone, ...rest } = dualStack().settings;
    void _gone;
    expect(await settings.updateSettings(rest, actor)).toEqual({ ok: true });
    expect((await cfg.loadConfig()).settings.lanSubnets6).toEqual(dualStack().settings.lanSubnets6);
    expect(await settings.updateSettings({ ...rest, lanSubnets6: [] }, actor)).toEqual({ ok: true });
    expect("lanSubnets6" in (await cfg.loadConfig()).settings).toBe(false);
  });

  it("a guest LAN's /64 is refused when another LAN has it, and saved when it is free", async () => {
    expect(await cfg.replaceConfig(dualStack())).toEqual({ ok: true });
    const guest = { name: "guest", interface: "lan9", subnets: ["10.9.0.1/24"], subnets6: ["2001:db8:1:1::9/64"] };
    const r = await lans.updateLan("guest", guest, actor);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).toMatch(/2001:db8:1:1::\/64 is already on LAN lan/);
    expect(await lans.updateLan("guest", { ...guest, subnets6: ["2001:db8:2:9::1/64"] }, actor)).toEqual({ ok: true });
    expect((await cfg.loadConfig()).settings.lans?.[0].subnets6).toEqual(["2001:db8:2:9::1/64"]);
  });
});

describe("IPv6 in the configuration file", () => {
  it("an export with IPv6 imports as it was", () => {
    const file = JSON.parse(JSON.stringify(dualStack()));
    const r = validateConfigFile(file);
    expect(r.ok && r.config).toEqual(dualStack());
  });

  it("an import refuses bad IPv6 at its path", () => {
    const file = JSON.parse(JSON.stringify(dualStack()));
    file.isps[0].ipv6.prefix = "2001:db8:1::1/48";
    file.settings.lanSubnets6 = ["2001:db8:1:1::/64"];
    const r = validateConfigFile(file);
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues).toContain("isps.0.ipv6.prefix: 2001:db8:1::1/48 has host bits set: enter the network, 2001:db8:1::/48");
    expect(issues.join("\n")).toMatch(/settings\.lanSubnets6\.0: 2001:db8:1:1::\/64 is the network itself/);
  });
});
