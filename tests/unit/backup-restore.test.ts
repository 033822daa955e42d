// Restore from the UI (lib/backup/restore.ts) on a real database: a preview names what the file
// changes against the staged configuration; a file that is not JSON or not valid says where and
// why, and staging it changes nothing; a valid one is staged whole, with its audit event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabase } from "../helpers/processes";

let cleanup: () => Promise<void>;
let db: typeof import("@/lib/db").db;
let restore: typeof import("@/lib/backup/restore");
let exportConfigFile: typeof import("@/lib/data/config-file").exportConfigFile;
const admin = { username: "admin", clientIp: "127.0.0.1" };

beforeAll(async () => {
  const t = await tempDatabase("restore");
  cleanup = t.cleanup;
  process.env.DATABASE_URL = t.url;
  ({ db } = await import("@/lib/db"));
  const cf = await import("@/lib/data/config-file");
  exportConfigFile = cf.exportConfigFile;
  expect(await cf.importConfigFile((await import("@/lib/examples")).classicOffice)).toMatchObject({ ok: true });
  restore = await import("@/lib/backup/restore");
});
afterAll(async () => {
  await db?.$disconnect();
  await cleanup?.();
});

describe("restore a configuration file", () => {
  it("previews a changed export: the changes in words and the lines of the file", async () => {
    const file = await exportConfigFile();
    const changed = { ...file, hosts: [...file.hosts, { name: "printer", address: "192.168.1.40", isp: "ISP2", policy: null, mac: null, notes: "" }] };
    const p = await restore.previewRestore(JSON.stringify(changed));
    if (!p.ok) throw new Error(p.errors.join("\n"));
    expect(p.changes).toEqual([expect.objectContaining({ kind: "host", op: "added", name: "printer" })]);
    expect(p.counts).toBe("2 ISPs, 2 NAT addresses, 3 hosts, 0 policies");
    expect(p.after).toContain('"name": "printer"');
    expect(p.before).not.toContain("printer");
    expect(p.before).toBe(restore.fileText(file)); // the download is the same text
  });

  it("a file that is not JSON, or not a valid configuration: every reason, and nothing staged", async () => {
    const before = JSON.stringify(await exportConfigFile());
    expect(await restore.previewRestore('{"isps": [')).toEqual({ ok: false, errors: [expect.stringMatching(/^The file is not JSON: .*line 1/)] });
    const file = await exportConfigFile();
    const bad = { ...file, hosts: [...file.hosts, { name: "printer", address: "10.0.0.400", isp: "nope", policy: null, mac: null, notes: "" }] };
    const r = await restore.stageRestore(JSON.stringify(bad), admin, "bad.json");
    if (r.ok) throw new Error("staged an invalid file");
    expect(r.errors.join("\n")).toMatch(/printer/);
    expect(JSON.stringify(await exportConfigFile())).toBe(before);
    expect(await db.auditEvent.count({ where: { action: "config.restore" } })).toBe(0);
    expect(await restore.stageRestore(undefined, admin, "")).toEqual({ ok: false, errors: ["No file was uploaded."] });
  });

  it("stages a valid file whole, with an audit event", async () => {
    const file = await exportConfigFile();
    const changed = { ...file, hosts: file.hosts.map((h) => ({ ...h, notes: "restored" })) };
    expect(await restore.stageRestore(JSON.stringify(changed), admin, "monday.json")).toMatchObject({ ok: true });
    expect((await exportConfigFile()).hosts.every((h) => h.notes === "restored")).toBe(true);
    expect(await db.auditEvent.findFirst({ where: { action: "config.restore" } })).toMatchObject({ actor: "admin", target: "monday.json" });
  });
});
