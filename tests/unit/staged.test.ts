// Staged vs applied: the pure comparison, and discarding against a real (temporary) database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { tempDatabase } from "../helpers/processes";

let staged: typeof import("@/lib/engine/staged");
let db: typeof import("@/lib/db").db;
let cfg: typeof import("@/lib/data/config");
let cleanup: () => Promise<void>;
const actor = { username: "tester", clientIp: "127.0.0.1" };

beforeAll(async () => {
  const t = await tempDatabase("staged");
  cleanup = t.cleanup;
  // lib/db reads DATABASE_URL when first imported
  process.env.DATABASE_URL = t.url;
  staged = await import("@/lib/engine/staged");
  db = (await import("@/lib/db")).db;
  cfg = await import("@/lib/data/config");
});

afterAll(async () => {
  await db?.$disconnect();
  await cleanup?.();
});

describe("staged changes (pure)", () => {
  it("nothing applied yet: every ISP, host, NAT address and the settings are staged", () => {
    const changes = staged.changesSince(null, classicOffice);
    expect(changes.filter((c) => c.op === "added").map((c) => `${c.kind} ${c.name}`)).toEqual([
      "ISP ISP1",
      "ISP ISP2",
      "host office-pc",
      "host laptop",
      "NAT address 203.0.113.10",
      "NAT address 198.51.100.10",
    ]);
    expect(changes.at(-1)).toMatchObject({ kind: "settings", op: "changed" });
  });

  it("two hosts swapped: two changes, in words", () => {
    const next = structuredClone(classicOffice);
    next.hosts[0].isp = "ISP2";
    next.hosts[1].isp = "ISP1";
    expect(staged.changesSince(classicOffice, next)).toEqual([
      { kind: "host", op: "changed", name: "office-pc", details: ["ISP: ISP1 → ISP2"] },
      { kind: "host", op: "changed", name: "laptop", details: ["ISP: ISP2 → ISP1"] },
    ]);
    expect(staged.changesSince(classicOffice, structuredClone(classicOffice))).toEqual([]);
  });

  it("a firewall backend switch is a staged change of the settings", () => {
    const next = { ...classicOffice, settings: { ...classicOffice.settings, firewall: "nftables" as const } };
    expect(staged.changesSince(classicOffice, next)).toEqual([
      { kind: "settings", op: "changed", name: "gateway", details: ["firewall backend: auto → nftables"] },
    ]);
  });

  it("a host is staged when it is new, moved or re-addressed", () => {
    const applied = staged.appliedHosts(classicOffice);
    const pc = classicOffice.hosts[0];
    expect(staged.hostIsStaged(pc, applied.get("office-pc"))).toBe(false);
    expect(staged.hostIsStaged({ ...pc, isp: "ISP2" }, applied.get("office-pc"))).toBe(true);
    expect(staged.hostIsStaged({ ...pc, isp: null }, applied.get("office-pc"))).toBe(true);
    expect(staged.hostIsStaged({ ...pc, address: "192.168.1.50" }, applied.get("office-pc"))).toBe(true);
    expect(staged.hostIsStaged({ name: "nas", address: "192.168.1.20", isp: null }, applied.get("nas"))).toBe(true);
    expect(staged.hostIsStaged(pc, staged.appliedHosts(null).get("office-pc"))).toBe(true);
  });
});

describe("staged changes against the database", () => {
  it("discard refuses when nothing was ever applied, and leaves the staged config alone", async () => {
    await cfg.replaceConfig(classicOffice);
    const r = await staged.discardStaged(actor);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/Nothing has been applied yet/) });
    expect(await cfg.loadConfig()).toEqual(classicOffice);
    expect((await staged.stagedChanges()).length).toBe(7);
  });

  it("discard puts the staged config back to the last revision that verified, and audits it", async () => {
    const applied = structuredClone(classicOffice);
    await db.revision.create({
      data: { actor: "tester", source: "ui", target: "lab", config: JSON.stringify(applied), ruleset: "", plan: "[]", result: "applied", durationMs: 1 },
    });
    // a later failed apply does not count as applied
    const failed = structuredClone(classicOffice);
    failed.hosts[1].isp = "ISP1";
    await db.revision.create({
      data: { actor: "tester", source: "ui", target: "lab", config: JSON.stringify(failed), ruleset: "", plan: "[]", result: "rolled-back", durationMs: 1 },
    });
    expect((await staged.lastApplied())?.config).toEqual(applied);

    const moved = structuredClone(classicOffice);
    moved.hosts[0].isp = null;
    moved.hosts.push({ name: "nas", address: "192.168.1.20", mac: null, isp: "ISP2", notes: "" });
    await cfg.replaceConfig(moved);
    expect((await staged.stagedChanges()).map((c) => `${c.op} ${c.name}`)).toEqual(["changed office-pc", "added nas"]);

    expect(await staged.discardStaged(actor)).toEqual({ ok: true, discarded: 2 });
    expect(await cfg.loadConfig()).toEqual(applied);
    expect(await staged.stagedChanges()).toEqual([]);
    const audit = await db.auditEvent.findFirst({ where: { action: "config.discard" } });
    expect(audit).toMatchObject({ actor: "tester", target: expect.stringMatching(/^back to revision \d+$/) });
  });
});
