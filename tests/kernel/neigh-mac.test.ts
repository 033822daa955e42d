// A host's MAC from the gateway's neighbour table (docs/ipv6.md), end to end on the hand-built
// dual-stack gateway (tests/kernel/handmade-dualstack.ts): `switchyard host set desk --mac
// learned` (a child process, a temporary database) stores desk's veth MAC once desk has talked
// to the gateway; a host that never did, or whose address does not answer, gets a clear error.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { netns, run } from "@/lib/net/exec";
import { switchyard, tempDatabase } from "../helpers/processes";
import { buildDualStack, destroyDualStack, dualStackConfig, HOSTS, NS } from "./handmade-dualstack";

let db: Awaited<ReturnType<typeof tempDatabase>>;
let env: Record<string, string>;
const cli = (...args: string[]) => switchyard(["--netns", NS.gw, ...args], env);

beforeAll(async () => {
  await buildDualStack();
  db = await tempDatabase("neigh-mac");
  env = { DATABASE_URL: db.url, CHECKPOINT_DISABLE: "1", SWITCHYARD_DEBUG: "" };
  // desk and laptop without their MACs, and a host whose address nobody holds
  const config = {
    ...dualStackConfig,
    hosts: [...dualStackConfig.hosts.map((h) => ({ ...h, mac: null })), { name: "ghost", address: "10.77.0.99", mac: null, isp: null, notes: "" }],
  };
  const file = path.join(db.dir, "config.json");
  await writeFile(file, JSON.stringify(config));
  const imp = await switchyard(["config", "import", file], env);
  expect(imp.exitCode, imp.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await destroyDualStack();
  await db?.cleanup();
});

const storedMac = async (name: string) => {
  const r = await switchyard(["config", "export", "--json"], env);
  return (JSON.parse(r.stdout) as { hosts: { name: string; mac: string | null }[] }).hosts.find((h) => h.name === name)?.mac;
};

describe("host set --mac learned", () => {
  it("desk pings the gateway: its veth's MAC is stored", async () => {
    await run(netns(NS.h1), "ping", ["-n", "-c", "1", "-W", "2", "10.77.0.1"]);
    const r = await cli("host", "set", "desk", "--mac", "learned");
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`Host desk: MAC ${HOSTS.h1.mac} (seen on br-lan`);
    expect(await storedMac("desk")).toBe(HOSTS.h1.mac);
  }, 60_000);

  it("laptop, not in the table: a clear error, nothing stored", async () => {
    await run(netns(NS.gw), "ip", ["neigh", "flush", "to", HOSTS.h2.v4], { allowFailure: true });
    const r = await cli("host", "set", "laptop", "--mac", "learned");
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`laptop: the gateway's neighbour table has no entry for ${HOSTS.h2.v4}`);
    expect(await storedMac("laptop")).toBeNull();
  }, 60_000);

  it("an address that does not answer (INCOMPLETE, then FAILED): not a MAC", async () => {
    await run(netns(NS.gw), "ping", ["-n", "-c", "1", "-W", "1", "10.77.0.99"], { allowFailure: true });
    const r = await cli("host", "set", "ghost", "--mac", "learned");
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/ghost: 10\.77\.0\.99 does not answer on the LAN \(its neighbour entry is (INCOMPLETE|FAILED)\)/);
    expect(await storedMac("ghost")).toBeNull();
  }, 60_000);
});
