// `switchyard lab fault ISP2 link-down`, then a lab apply: the apply converges the lab (a lab link
// that is down for another reason comes back up) but leaves the injected fault in place and
// says so, with the command that restores it; `restore` brings the link back and the next
// apply proves ISP2's host by traffic again. Lab prefix "hi", all through the CLI.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labUp } from "@/lib/lab/lab";
import { injectFault } from "@/lib/lab/faults";
import { classicOffice } from "@/lib/examples";
import { netns, run } from "@/lib/net/exec";
import { repoRoot, switchyard, tempDatabase } from "../helpers/processes";

const P = "hi";
let db: Awaited<ReturnType<typeof tempDatabase>>;
const cli = (...args: string[]) => switchyard(["--lab", P, ...args], { DATABASE_URL: db.url, SWITCHYARD_DEBUG: "" });
const linkFlags = async (ns: string, dev: string) =>
  (JSON.parse((await run(netns(ns), "ip", ["-json", "link", "show", "dev", dev])).stdout) as { flags: string[] }[])[0].flags;
const RESTORE_NOTE = "ISP2: link down by an injected lab fault (restore with: switchyard --lab hi lab fault ISP2 restore)";

beforeAll(async () => {
  db = await tempDatabase("hi-fault");
  await labDown(P);
  expect((await switchyard(["config", "import", path.join(repoRoot, "tests/fixtures/classic-office.json")], { DATABASE_URL: db.url })).exitCode).toBe(0);
  await labUp(classicOffice, { prefix: P });
});

afterAll(async () => {
  await labDown(P);
  await db?.cleanup();
});

describe("a lab apply and an injected link-down fault", () => {
  it("the apply keeps ISP2's link down and says so; a link down for another reason is repaired", async () => {
    await injectFault(classicOffice, P, "ISP2", { kind: "link-down" }); // as `switchyard lab fault ISP2 link-down`
    await run(netns(`${P}-isp1`), "ip", ["link", "set", "dev", "cust0", "down"]); // not a fault: converge repairs it
    const r = await cli("apply");
    expect(r.stdout).toContain(`Kept: ${RESTORE_NOTE}`);
    expect(r.stdout).not.toContain("Kept: ISP1");
    expect(r.stdout).toMatch(/ISP ISP2: DOWN: link eth1 is down/);
    expect(await linkFlags(`${P}-isp2`, "cust0")).not.toContain("UP");
    expect(await linkFlags(`${P}-gw`, "eth1")).toContain("NO-CARRIER");
    expect(await linkFlags(`${P}-isp1`, "cust0")).toContain("UP");
    const status = await cli("lab", "status");
    expect(status.stdout).toContain(`fault: ${RESTORE_NOTE}`);
  });

  it("restore brings it back, and the next apply proves ISP2 by traffic and names no fault", async () => {
    expect((await cli("lab", "fault", "ISP2", "restore")).exitCode).toBe(0);
    expect(await linkFlags(`${P}-isp2`, "cust0")).toContain("UP");
    const r = await cli("apply", "--json");
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.labFaults).toEqual([]);
    const laptop = report.verification.hosts.find((h: { name: string }) => h.name === "laptop");
    expect(laptop).toMatchObject({ isp: "ISP2", ok: true, seenAs: "198.51.100.10" });
  });
});
