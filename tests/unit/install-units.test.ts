// The systemd units of `switchyard install`, rendered into a temporary root and checked by
// `systemd-analyze verify` (through the executor): no errors and no warnings (an unknown key is
// only a warning with exit 0, so stderr must be empty too). Plus the settings that matter.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PATHS, renderUnits, UNIT_NAMES } from "@/lib/install/units";
import { linkReadiness } from "@/lib/engine/wait-links";
import { HOST, run } from "@/lib/net/exec";
import { classicOffice } from "@/lib/examples";

let root: string;
let unitDir: string;
const paths = { ...DEFAULT_PATHS, node: process.execPath };
const verify = (files: string[]) => run(HOST, "systemd-analyze", ["verify", "--man=no", ...files], { allowFailure: true, timeoutMs: 30_000 });

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "hi-units-"));
  unitDir = path.join(root, paths.unitDir);
  fs.mkdirSync(unitDir, { recursive: true });
  for (const u of renderUnits(paths)) fs.writeFileSync(path.join(unitDir, u.name), u.text);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const unit = (name: string) => fs.readFileSync(path.join(unitDir, name), "utf8");
const values = (text: string, key: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1));

describe("systemd units", () => {
  it("systemd-analyze verify passes on all three, without a warning", async () => {
    const r = await verify(UNIT_NAMES.map((n) => path.join(unitDir, n)));
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
  });

  it("the check can fail: an unknown key is reported, a missing binary fails", async () => {
    const bad = path.join(unitDir, "hi-bad.service");
    fs.writeFileSync(bad, unit("switchyard.service").replace("NoNewPrivileges=yes", "NoNewPrivilege=yes"));
    expect((await verify([bad])).stderr).toContain("Unknown key");
    fs.writeFileSync(bad, unit("switchyard.service").replace(`ExecStart=${process.execPath}`, "ExecStart=/opt/hi-none/node"));
    expect((await verify([bad])).exitCode).not.toBe(0);
    fs.rmSync(bad);
  });

  it("least privilege: capabilities cut to NET_ADMIN and NET_RAW (SYS_ADMIN where the canary runs), a read-only system but data and rt_tables.d", () => {
    for (const name of UNIT_NAMES) {
      const t = unit(name);
      const canary = name !== "switchyard-monitor.service"; // the monitor verifies by lookup only: no netns
      expect(values(t, "CapabilityBoundingSet")).toEqual([canary ? "CAP_NET_ADMIN CAP_NET_RAW CAP_SYS_ADMIN" : "CAP_NET_ADMIN CAP_NET_RAW"]);
      expect(values(t, "AmbientCapabilities")).toEqual(values(t, "CapabilityBoundingSet"));
      expect(values(t, "NoNewPrivileges")).toEqual(["yes"]);
      expect(values(t, "ProtectSystem")).toEqual(["strict"]);
      expect(values(t, "ReadWritePaths")).toEqual([`/var/lib/switchyard /etc/iproute2/rt_tables.d${canary ? " /run/netns" : ""}`]);
      expect(values(t, "Environment").join(" ")).toContain("DATABASE_URL=file:/var/lib/switchyard/switchyard.db");
      expect(values(t, "StandardOutput")[0]).toMatch(/^append:\/var\/lib\/switchyard\/log\/[a-z]+\.log$/);
    }
  });

  it("the boot apply: after the network and the firewall loaders, waits (bounded) for the links, before the monitor", () => {
    const t = unit("switchyard-apply.service");
    expect(values(t, "After")[0]).toContain("network-online.target");
    expect(values(t, "After")[0]).toContain("nftables.service");
    expect(values(t, "Wants")).toEqual(["network-online.target"]);
    expect(values(t, "Type")).toEqual(["oneshot"]);
    expect(values(t, "ExecStart")).toEqual([`${process.execPath} /opt/switchyard/bin/switchyard.mjs apply --last-good --host --wait-links 90`]);
    expect(Number(values(t, "TimeoutStartSec")[0])).toBeGreaterThan(90);
    expect(values(unit("switchyard-monitor.service"), "After")[0]).toContain("switchyard-apply.service");
    expect(values(unit("switchyard-monitor.service"), "RuntimeDirectory")).toEqual(["switchyard"]); // its pid file in /run/switchyard
  });
});

describe("the units' sandbox (systemd-analyze security was 4.5 for each)", () => {
  const exposure = async (name: string) => {
    const r = await run(HOST, "systemd-analyze", ["security", "--offline=yes", "--no-pager", path.join(unitDir, name)], {
      allowFailure: true,
      timeoutMs: 30_000,
    });
    const m = /Overall exposure level for \S+: (\d+\.\d)/.exec(r.stdout);
    return m ? Number(m[1]) : NaN;
  };

  it("a system-call filter, and what Switchyard needs left open: sysctl writes, netns for the canary", () => {
    for (const name of UNIT_NAMES) {
      const t = unit(name);
      const canary = name !== "switchyard-monitor.service";
      expect(values(t, "SystemCallFilter"), name).toEqual([canary ? "@system-service @mount" : "@system-service"]);
      expect(values(t, "SystemCallErrorNumber"), name).toEqual(["EPERM"]);
      expect(values(t, "SystemCallArchitectures"), name).toEqual(["native"]);
      // `sysctl -w` of the owned keys: /proc/sys must stay writable and visible
      expect(values(t, "ProtectKernelTunables"), name).toEqual([]);
      expect(values(t, "ProcSubset"), name).toEqual([]);
      // `ip netns add/exec`: a network and a mount namespace where the canary runs, none elsewhere
      expect(values(t, "RestrictNamespaces"), name).toEqual([canary ? "net mnt" : "yes"]);
      expect(values(t, "ExecStartPre"), name).toEqual(canary ? ["+/bin/mkdir -p /run/netns"] : []);
      for (const key of [
        "ProtectHome",
        "PrivateTmp",
        "PrivateDevices",
        "PrivateMounts",
        "ProtectKernelModules",
        "ProtectKernelLogs",
        "ProtectControlGroups",
        "ProtectClock",
        "ProtectHostname",
        "RestrictSUIDSGID",
        "RestrictRealtime",
        "LockPersonality",
      ]) {
        expect(values(t, key), `${name} ${key}`).toEqual(["yes"]);
      }
      expect(values(t, "ProtectProc"), name).toEqual(["invisible"]);
      // every omission is said in the sandbox's source
      const source = fs.readFileSync(path.resolve(import.meta.dirname, "../../lib/install/sandbox.ts"), "utf8");
      for (const off of ["ProtectKernelTunables=", "ProcSubset=", "MemoryDenyWriteExecute=", "PrivateNetwork=", "PrivateUsers=", "IPAddressDeny="])
        expect(source, off).toContain(off);
    }
  });

  it("scores at most 3.4 in systemd-analyze security (the monitor, without the canary, at most 2.8)", async () => {
    const scores = Object.fromEntries(await Promise.all(UNIT_NAMES.map(async (n) => [n, await exposure(n)] as const)));
    expect(scores["switchyard-apply.service"]).toBeLessThanOrEqual(3.4);
    expect(scores["switchyard.service"]).toBeLessThanOrEqual(3.4);
    expect(scores["switchyard-monitor.service"]).toBeLessThanOrEqual(2.8);
  });
});

describe("link readiness (the boot apply's wait)", () => {
  const link = (ifname: string, flags: string[], local?: string) => ({ ifname, flags, addr_info: local ? [{ family: "inet", local, prefixlen: 24 }] : [] });
  it("ready only when up, with carrier and the ISP's address", () => {
    const json = JSON.stringify([
      link("eth0", ["BROADCAST", "UP", "LOWER_UP"], "203.0.113.10"),
      link("eth1", ["BROADCAST", "NO-CARRIER", "UP"], "198.51.100.10"),
    ]);
    expect(linkReadiness(classicOffice, json).map((l) => [l.isp, l.ready, l.missing])).toEqual([
      ["ISP1", true, undefined],
      ["ISP2", false, "no carrier"],
    ]);
    expect(linkReadiness(classicOffice, JSON.stringify([link("eth0", ["UP", "LOWER_UP"])])).map((l) => l.missing)).toEqual([
      "no address 203.0.113.10 yet",
      "no such interface yet",
    ]);
    expect(linkReadiness(classicOffice, JSON.stringify([link("eth0", ["BROADCAST"], "203.0.113.10")]))[0].missing).toBe("not up");
    expect(linkReadiness(classicOffice, "")).toHaveLength(2);
  });
  it("a disabled ISP is not waited for", () => {
    const cfg = { ...classicOffice, isps: classicOffice.isps.map((i) => (i.name === "ISP2" ? { ...i, enabled: false } : i)) };
    expect(linkReadiness(cfg, "[]").map((l) => l.isp)).toEqual(["ISP1"]);
  });
});
