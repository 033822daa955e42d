// The `switchyard` CLI end to end: a child process per command (bin/switchyard.mjs through
// node, an argument array, no shell) on a temporary database, against the lab "tcli1"
// (namespaces tcli1-*; all traffic stays between them).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { prisma, switchyard } from "../helpers/processes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOST, run } from "@/lib/net/exec";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const fixture = path.join(repoRoot, "tests", "fixtures", "classic-office.json");
const LAB = "tcli1";

let dir: string;
let env: Record<string, string>;

function cli(...args: string[]) {
  return switchyard(args, env);
}
/** --json: stdout must be one JSON document and nothing else */
async function cliJson(...args: string[]) {
  const r = await cli(...args, "--json");
  return { ...r, json: JSON.parse(r.stdout) };
}
const labNamespaces = async () =>
  (JSON.parse((await run(HOST, "ip", ["-json", "netns", "list"])).stdout || "[]") as { name: string }[])
    .map((n) => n.name)
    .filter((n) => n.startsWith(`${LAB}-`));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-cli-"));
  env = { DATABASE_URL: `file:${path.join(dir, "test.db")}`, CHECKPOINT_DISABLE: "1", SWITCHYARD_DEBUG: "" };
  await prisma(["migrate", "deploy"], env);
  await cli("--lab", LAB, "lab", "down");
});

afterAll(async () => {
  await cli("--lab", LAB, "lab", "down");
  await rm(dir, { recursive: true, force: true });
});

describe("switchyard CLI against the lab", () => {
  it("imports the classic office and brings the lab up", async () => {
    const imp = await cli("config", "import", fixture);
    expect(imp.stderr).toBe("");
    expect(imp.exitCode).toBe(0);
    expect(imp.stdout).toContain("2 ISPs, 2 NAT addresses, 2 hosts");

    const up = await cli("--lab", LAB, "lab", "up");
    expect(up.exitCode).toBe(0);
    expect(await labNamespaces()).toContain(`${LAB}-gw`);
  });

  it("applies: every host leaves through its ISP with its NAT address", async () => {
    const r = await cliJson("--lab", LAB, "apply");
    expect(r.stderr).toBe(""); // no step output in --json mode
    expect(r.exitCode).toBe(0);
    expect(r.json.result).toBe("applied");
    expect(r.json.revisionId).toBe(1);
    expect(r.json.verification.probed).toBe(true);
    const seen = Object.fromEntries(r.json.verification.hosts.map((h: { address: string; seenAs: string }) => [h.address, h.seenAs]));
    expect(seen).toEqual({ "192.168.1.100": "203.0.113.10", "192.168.1.101": "198.51.100.10" });
  });

  it("applies again: unchanged; verify and status agree", async () => {
    const again = await cliJson("--lab", LAB, "apply");
    expect(again.exitCode).toBe(0);
    expect(again.json.result).toBe("unchanged");
    expect(again.json.planLines).toEqual([]);

    const v = await cliJson("--lab", LAB, "verify");
    expect(v.exitCode).toBe(0);
    expect(v.json.ok).toBe(true);
    // the last verdict stands for the hosts the config does not list (checked by route lookup and conntrack, not probed)
    expect(v.json.hosts.map((h: { seenAs?: string }) => h.seenAs)).toEqual(["203.0.113.10", "198.51.100.10", undefined]);

    const s = await cliJson("--lab", LAB, "status");
    expect(s.exitCode).toBe(0);
    expect(s.json.target).toBe(`lab (${LAB}-gw)`);
    expect(s.json.owned.rules).toBeGreaterThan(0);
    // SWYD-PRE, SWYD-MARK, SWYD-ISP100, SWYD-ISP200, SWYD-ACCT, SWYD-TAIL, SWYD-POST, SWYD-GUARD;
    // nftables adds a chain per mark value for the packet mark (SWYD-M1, -M2, -Mff) and the connection mark (SWYD-C1, ...)
    expect(s.json.owned.chains).toBe(process.env.SWITCHYARD_FIREWALL === "nftables" ? 14 : 8);
    expect(s.json.drift).toEqual([]);
    expect(s.json.lastGoodRevision).toMatchObject({ id: 2, result: "unchanged", actor: expect.stringMatching(/^cli:/) });
    expect(s.json.stagedDiffersFromLastGood).toBe(false);

    const revs = await cliJson("revisions");
    expect(revs.json.map((r: { id: number; result: string }) => [r.id, r.result])).toEqual([
      [2, "unchanged"],
      [1, "applied"],
    ]);

    const human = await cli("--lab", LAB, "plan");
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain("No changes");
  });

  it("refuses a bad file, naming each problem's place, and changes nothing", async () => {
    const bad = JSON.parse(await readFile(fixture, "utf8"));
    bad.hosts[1].address = "10.9.9.9";
    bad.isps[1].routingTable = 254;
    const badFile = path.join(dir, "bad.json");
    await writeFile(badFile, JSON.stringify(bad));
    const r = await cli("config", "import", badFile);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("hosts[1].address (laptop): The address must be inside a LAN subnet (192.168.1.1/24)");
    expect(r.stderr).toContain("isps[1].routingTable (ISP2): Routing table must be between 1 and 252");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const broken = path.join(dir, "broken.json");
    await writeFile(broken, '{\n  "settings": {,\n}');
    const j = await cli("config", "import", broken);
    expect(j.exitCode).toBe(2);
    expect(j.stderr).toMatch(/is not valid JSON: .*line 2, column 16/);

    const exported = await cliJson("config", "export");
    expect(exported.exitCode).toBe(0);
    expect(exported.json).toEqual(JSON.parse(await readFile(fixture, "utf8")));
  });

  it("refuses a namespace name the executor would refuse, before running anything", async () => {
    const r = await cli("--netns", "x;rm -rf /", "status");
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toBe(
      `switchyard: --netns: "x;rm -rf /" is not a valid network namespace name (1-64 letters, digits, '.', '-' or '_', starting with a letter or digit)`,
    );
  });

  it("takes the lab down", async () => {
    const r = await cliJson("--lab", LAB, "lab", "down");
    expect(r.exitCode).toBe(0);
    expect(r.json.removed).toContain(`${LAB}-gw`);
    expect(await labNamespaces()).toEqual([]);
  });
});
