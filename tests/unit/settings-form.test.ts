// The Settings form's server action on a real (temporary) database: the firewall backend
// select is saved and read back as the form shows it, a value the select never offers is
// refused at its field, and nothing else on the form changes with it.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { classicOffice } from "@/lib/examples";
import { settingsFields, settingsValues } from "@/components/settings/fields";
import { tempDatabase } from "../helpers/processes";

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

type Action = (prev: object, fd: FormData) => Promise<{ errors?: Record<string, string[]>; values?: Record<string, string> }>;
let db: typeof import("@/lib/db").db;
let cfg: typeof import("@/lib/data/config");
let saveSettings: Action;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const t = await tempDatabase("settings-form");
  cleanup = t.cleanup;
  process.env.DATABASE_URL = t.url; // lib/db reads it when first imported
  ({ db } = await import("@/lib/db"));
  cfg = await import("@/lib/data/config");
  expect(await cfg.replaceConfig(classicOffice)).toEqual({ ok: true });
  const user = await (await import("@/lib/auth/users")).createUser("admin", "correct horse battery");
  token = await (await import("@/lib/auth/session")).createSession(user.id, "192.168.1.50", "test");
  saveSettings = (await import("@/app/(admin)/settings/actions")).saveSettingsAction as Action;
});

afterAll(async () => {
  await db?.$disconnect();
  await cleanup?.();
});

/** The form as the browser sends it: every field the page renders, with `over` changed. */
const submit = async (over: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ ...settingsValues(await cfg.loadConfig()), ...over })) fd.set(k, v);
  return saveSettings({}, fd);
};

describe("the settings form's firewall backend", () => {
  it("offers automatic, nftables and iptables, automatic selected on a configuration that never chose", () => {
    const field = settingsFields(classicOffice).find((f) => f.name === "firewall");
    expect(field).toMatchObject({ label: "Firewall backend", type: "select" });
    expect(field?.options?.map((o) => o.value)).toEqual(["auto", "nftables", "iptables"]);
    expect(field?.help).toMatch(/one apply.*rolled back.*never touched/);
    expect(settingsValues(classicOffice).firewall).toBe("auto");
  });

  it("saves the choice, shows it again, and going back to automatic leaves the configuration as it was", async () => {
    await expect(submit({ firewall: "nftables" })).rejects.toThrow(/saved and redirected to \/settings\?saved=1/);
    const c = await cfg.loadConfig();
    expect(c.settings).toEqual({ ...classicOffice.settings, firewall: "nftables" });
    expect(settingsValues(c).firewall).toBe("nftables");
    await expect(submit({ firewall: "auto" })).rejects.toThrow(/saved and redirected/);
    expect(await cfg.loadConfig()).toEqual(classicOffice);
  });

  it("refuses a value the select does not offer, at the field, keeps what was typed, and saves nothing", async () => {
    const before = JSON.stringify(await db.settings.findMany());
    const r = await submit({ firewall: "ebtables", lanSubnets: "192.168.1.1/24" });
    expect(r.errors).toEqual({ firewall: ["Choose automatic, nftables or iptables"] });
    expect(r.values).toMatchObject({ firewall: "ebtables" });
    expect(JSON.stringify(await db.settings.findMany())).toBe(before);
  });
});
