// The router advertisements setting (settings.ra, docs/ipv6.md) through the database, the
// configuration file, the CLI's arguments and the staged-changes list: absent = off, nothing new
// in a configuration without it; refused at its field while no LAN has IPv6 subnets.
import { openTestDatabase, type TestDatabase } from "../helpers/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { validateConfig } from "@/lib/validation";
import { parseCli } from "@/lib/cli/args";
import { diffConfigs } from "@/lib/config-diff";

let cfg: typeof import("@/lib/data/config");
let settings: typeof import("@/lib/data/settings");
let testDb: TestDatabase | undefined;

beforeAll(async () => {
  testDb = await openTestDatabase("switchyard-ra");
  cfg = await import("@/lib/data/config");
  settings = await import("@/lib/data/settings");
});
afterAll(async () => {
  await testDb?.close();
});

const actor = { username: "tester", clientIp: "127.0.0.1" };
const dualStack = (ra?: boolean): GatewayConfig => {
  const c = structuredClone(classicOffice);
  c.isps[0].ipv6 = { prefix: "2001:db8:1::/48", gateway: "fe80::1" };
  c.isps[1].ipv6 = { prefix: "2001:db8:2::/48", gateway: "fe80::2" };
  c.settings.lanSubnets6 = ["2001:db8:1:1::1/64", "2001:db8:2:1::1/64"];
  if (ra !== undefined) c.settings.ra = { enabled: ra };
  return c;
};
const issuesAt = (c: unknown, field: string) => {
  const r = validateConfig(c);
  return r.ok ? [] : r.issues.filter((i) => i.path.join(".") === field).map((i) => i.message);
};

describe("settings.ra", () => {
  it("on, saved and read back; off reads back without the key", async () => {
    expect(await cfg.replaceConfig(dualStack(true))).toEqual({ ok: true });
    expect((await cfg.loadConfig()).settings.ra).toEqual({ enabled: true });
    const { ra: _ra, ...rest } = dualStack(true).settings;
    void _ra;
    // a settings form or command without the field keeps it
    expect(await settings.updateSettings(rest, actor)).toEqual({ ok: true });
    expect((await cfg.loadConfig()).settings.ra).toEqual({ enabled: true });
    expect(await settings.updateSettings({ ...rest, ra: { enabled: false } }, actor)).toEqual({ ok: true });
    expect("ra" in (await cfg.loadConfig()).settings).toBe(false);
    expect(await cfg.replaceConfig(classicOffice)).toEqual({ ok: true });
    expect(JSON.stringify(await cfg.loadConfig())).toBe(JSON.stringify(classicOffice));
  });

  it("refused at its field while no LAN has IPv6 subnets, and when it is not on/off", async () => {
    expect(issuesAt({ ...classicOffice, settings: { ...classicOffice.settings, ra: { enabled: true } } }, "settings.ra")).toEqual([
      "Router advertisements need a LAN with IPv6 subnets: give the LAN its IPv6 subnets (one /64 per ISP) first",
    ]);
    expect(issuesAt({ ...classicOffice, settings: { ...classicOffice.settings, ra: { enabled: false } } }, "settings.ra")).toEqual([]);
    expect(issuesAt(dualStack(true), "settings.ra")).toEqual([]);
    expect(issuesAt({ ...dualStack(), settings: { ...dualStack().settings, ra: { enabled: "yes" } } }, "settings.ra.enabled")).toEqual([
      "Router advertisements are on or off",
    ]);
    // removing the last /64 while RA is on is refused (at the RA field)
    expect(await cfg.replaceConfig(dualStack(true))).toEqual({ ok: true });
    const r = await settings.updateSettings({ ...dualStack(true).settings, lanSubnets6: [] }, actor);
    expect(JSON.stringify(r)).toMatch(/Router advertisements need a LAN with IPv6 subnets/);
  });

  it("the CLI: ra [show], ra on|off", () => {
    expect(parseCli(["ra"])).toMatchObject({ ok: true, command: { name: "ra" } });
    expect(parseCli(["ra", "on"])).toMatchObject({ ok: true, command: { name: "ra", change: "on" } });
    expect(parseCli(["ra", "off", "--netns", "gw"])).toMatchObject({ ok: true, command: { name: "ra", change: "off" } });
    expect(parseCli(["ra", "maybe"])).toMatchObject({ ok: false });
  });

  it("the staged changes name it", () => {
    expect(diffConfigs(dualStack(), dualStack(true)).map((c) => JSON.stringify(c))).toEqual([expect.stringMatching(/router advertisements.*off.*on/)]);
  });
});
