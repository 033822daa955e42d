// An ISP's IPv6 mode "pd" (learned by DHCPv6-PD, docs/dynamic.md) through the database, the
// configuration file, the ISP form and `isp set --ipv6-mode`: stored with an empty prefix and
// gateway, back as it went in; a static ISP's stored form is unchanged (no mode key).
import { openTestDatabase, type TestDatabase } from "../helpers/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import type { GatewayConfig } from "@/lib/model";
import { validateConfigFile } from "@/lib/validation/config-file";
import { parseCli } from "@/lib/cli/args";
import { ipv6FromForm, ispValues } from "@/components/isps/fields";
import { diffConfigs } from "@/lib/config-diff";

let db: typeof import("@/lib/db").db;
let cfg: typeof import("@/lib/data/config");
let testDb: TestDatabase | undefined;

beforeAll(async () => {
  testDb = await openTestDatabase("switchyard-ipv6-pd");
  ({ db } = testDb);
  cfg = await import("@/lib/data/config");
});
afterAll(async () => {
  await testDb?.close();
});

const withPd = (): GatewayConfig => {
  const c = structuredClone(classicOffice);
  c.isps[0].ipv6 = { mode: "pd", prefix: "", gateway: "" };
  c.isps[1].ipv6 = { prefix: "2001:db8:2::/48", gateway: "fe80::2" };
  c.settings.lanSubnets6 = ["2001:db8:2:1::1/64"];
  return c;
};

describe("IPv6 learned by DHCPv6-PD, stored", () => {
  it("a pd ISP is stored with ipv6Mode pd and no prefix, and reads back as it went in; a static one has no mode key", async () => {
    expect(await cfg.replaceConfig(withPd())).toEqual({ ok: true });
    expect(await cfg.loadConfig()).toEqual(withPd());
    expect((await db.isp.findMany({ orderBy: { name: "asc" } })).map((r) => [r.ipv6Mode, r.ipv6Prefix])).toEqual([
      ["pd", ""],
      ["static", "2001:db8:2::/48"],
    ]);
    expect(JSON.stringify((await cfg.loadConfig()).isps[1].ipv6)).toBe('{"prefix":"2001:db8:2::/48","gateway":"fe80::2"}');
  });

  it("the configuration file: an export with a pd ISP imports as it was; a wrong mode is named at its path", () => {
    const r = validateConfigFile(JSON.parse(JSON.stringify(withPd())));
    expect(r.ok && r.config.isps[0].ipv6).toEqual({ mode: "pd", prefix: "", gateway: "" });
    const bad = structuredClone(withPd()) as unknown as { isps: { ipv6: { mode: string } }[] };
    bad.isps[0].ipv6.mode = "dhcp";
    const v = validateConfigFile(bad);
    expect(v.ok).toBe(false);
    if (!v.ok)
      expect(v.issues[0]).toMatchObject({ path: ["isps", 0, "ipv6", "mode"], message: expect.stringContaining('"pd" (learned by DHCPv6 prefix delegation)') });
  });
});

describe("choosing DHCPv6-PD", () => {
  it("the form: learned sends an empty prefix and gateway whatever the fields still hold; static is as before", () => {
    expect(ipv6FromForm({ name: "x", ipv6Mode: "pd", ipv6Prefix: "2001:db8:9::/48", ipv6Gateway: "fe80::1", ipv6Translate: "on" })).toEqual({
      name: "x",
      ipv6: { mode: "pd", prefix: "", gateway: "", translate: true },
    });
    expect(ipv6FromForm({ ipv6Mode: "static", ipv6Prefix: "", ipv6Gateway: "" })).toEqual({ ipv6: { prefix: "", gateway: "", translate: false } });
    expect(ispValues(withPd().isps[0]).ipv6Mode).toBe("pd");
    expect(ispValues(classicOffice.isps[0]).ipv6Mode).toBe("static");
  });

  it("isp set --ipv6-mode static|pd", () => {
    expect(parseCli(["isp", "set", "ISP1", "--ipv6-mode", "pd"])).toMatchObject({ ok: true, command: { name: "isp", isp: "ISP1", ipv6: { mode: "pd" } } });
    expect(parseCli(["isp", "set", "ISP1", "--ipv6-mode", "dhcp"])).toMatchObject({ ok: false, error: '--ipv6-mode: "dhcp" is not static or pd' });
  });

  it("the staged changes say it in words", () => {
    const changes = diffConfigs(classicOffice, withPd());
    expect(JSON.stringify(changes)).toContain("learned by DHCPv6-PD");
  });
});
