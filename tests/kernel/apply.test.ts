// Apply & verify against a real kernel: the lab gateway in network namespaces,
// real traffic to the lab's test server, which answers with the source address it sees.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicOffice } from "@/lib/examples";
import { applyAndVerify } from "@/lib/engine/run";
import { labDown } from "@/lib/lab/lab";
import { run } from "@/lib/net/exec";
import { parseConntrack } from "@/lib/net/parse/conntrack";
import type { GatewayConfig } from "@/lib/model";
import { kernelSnapshot, startLab } from "./helpers";

const PREFIX = "tap";
const nftables = process.env.SWITCHYARD_FIREWALL === "nftables";
let lab: Awaited<ReturnType<typeof startLab>>;

beforeAll(async () => {
  lab = await startLab(classicOffice, PREFIX);
});
afterAll(async () => {
  await labDown(PREFIX);
});

const moved = (host: string, isp: string): GatewayConfig => {
  const c = structuredClone(classicOffice);
  c.hosts.find((h) => h.address === host)!.isp = isp;
  return c;
};

describe("apply & verify the classic office in the lab", () => {
  it("hosts leave through their ISPs with the right NAT addresses", async () => {
    const report = await applyAndVerify(classicOffice, lab.managed, { probe: lab.probe });
    expect(report.error).toBeUndefined();
    expect(report.result).toBe("applied");
    expect(report.verification?.stateMatches).toBe(true);
    const seen = Object.fromEntries(report.verification!.hosts.map((h) => [h.address, h.seenAs]));
    expect(seen).toEqual({ "192.168.1.100": "203.0.113.10", "192.168.1.101": "198.51.100.10" });
    // and independently of the report, by a fresh probe
    expect(await lab.probe("192.168.1.100")).toEqual({ ok: true, seenAs: "203.0.113.10" });
    expect(await lab.probe("192.168.1.101")).toEqual({ ok: true, seenAs: "198.51.100.10" });
  });

  it("journals every command the apply ran, and only those", async () => {
    const other = run(lab.gw, "ip", ["-json", "rule", "show"]); // someone else's command, meanwhile
    const report = await applyAndVerify(moved("192.168.1.101", "ISP1"), lab.managed, { probe: lab.probe });
    await other;
    const cmds = report.journal.map((j) => j.argv.slice(4).join(" "));
    expect(cmds.filter((c) => c === "/usr/sbin/ip -json rule show")).toEqual([]);
    // the firewall step's input: the host's new mark rule, or (nftables) its map element, and nothing else of the host list
    if (nftables) {
      const nft = report.journal.find((j) => j.argv.includes("/usr/sbin/nft") && j.argv.includes("-f"));
      expect(nft?.input).toBe(
        "delete element inet switchyard SWYD-HOSTS { 192.168.1.101 }\nadd element inet switchyard SWYD-HOSTS { 192.168.1.101 : jump SWYD-ISP100 }\n",
      );
    } else {
      const restore = report.journal.find((j) => j.argv.includes("/usr/sbin/iptables-restore") && j.argv.at(-1) === "--noflush");
      expect(restore?.input).toContain("-A SWYD-MARK -s 192.168.1.101/32 -j SWYD-ISP100");
    }
    expect(report.journal.every((j) => j.exitCode === 0 || j.argv.includes("conntrack"))).toBe(true);
    await applyAndVerify(classicOffice, lab.managed, { probe: lab.probe });
  });

  it("re-applying an unchanged config changes nothing", async () => {
    const before = await kernelSnapshot(PREFIX);
    const report = await applyAndVerify(classicOffice, lab.managed, { probe: lab.probe });
    expect(report.result).toBe("unchanged");
    expect(report.planLines).toEqual([]);
    expect(await kernelSnapshot(PREFIX)).toBe(before);
  });

  it("moving a host moves its traffic, and clears its old connections", async () => {
    const flows = async () =>
      parseConntrack((await run(lab.gw, "conntrack", ["-L", "-f", "ipv4"], { allowFailure: true })).stdout).map(({ src, mark }) => ({ src, mark }));
    await lab.probe("192.168.1.100");
    expect(await flows()).toContainEqual({ src: "192.168.1.100", mark: 1 });
    const report = await applyAndVerify(moved("192.168.1.100", "ISP2"), lab.managed, { probe: lab.probe });
    // the verification probe opened a new flow on ISP2; none is left on ISP1
    expect((await flows()).filter((f) => f.src === "192.168.1.100").map((f) => f.mark)).toEqual([2]);
    expect(report.result).toBe("applied");
    expect(report.movedHosts).toEqual(["192.168.1.100"]);
    expect(await lab.probe("192.168.1.100")).toEqual({ ok: true, seenAs: "198.51.100.10" });
    // the plan touched the one mark rule, nothing else
    expect(report.planLines.filter((l) => l.kind === "rule" || l.kind === "route")).toEqual([]);
    // and back
    const back = await applyAndVerify(classicOffice, lab.managed, { probe: lab.probe });
    expect(back.ok).toBe(true);
    expect(await lab.probe("192.168.1.100")).toEqual({ ok: true, seenAs: "203.0.113.10" });
  });

  it("foreign rules, routes and chains survive an apply untouched", async () => {
    const foreignRestore =
      "*nat\n:DOCKER - [0:0]\n-A DOCKER -i docker0 -j RETURN\n-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\nCOMMIT\n*mangle\n:OLD-ADMIN - [0:0]\n-A OLD-ADMIN -s 192.168.1.50/32 -j MARK --set-xmark 0x100/0xf00\nCOMMIT\n";
    await run(lab.gw, "iptables-restore", ["--noflush"], { input: foreignRestore });
    await run(lab.gw, "ip", ["-batch", "-"], {
      input:
        "rule add priority 5210 fwmark 0x80000/0xff0000 lookup 52\nroute add 10.30.0.0/16 via 203.0.113.1 dev eth0 table 52\nroute add 10.31.0.0/16 via 198.51.100.1 dev eth1 table 100\n",
    });
    const foreign = async () => {
      const s = await kernelSnapshot(PREFIX);
      return s.split("\n").filter((l) => /5210|table 52|10\.3[01]\.0\.0|DOCKER|docker0|OLD-ADMIN/.test(l));
    };
    const before = await foreign();
    expect(before.length).toBeGreaterThanOrEqual(7);
    const report = await applyAndVerify(moved("192.168.1.101", "ISP1"), lab.managed, { probe: lab.probe });
    expect(report.ok).toBe(true);
    expect(await foreign()).toEqual(before);
    // a foreign route inside an ISP table is not ours either: it stays, and no plan deletes it
    expect(report.planLines.some((l) => l.text.includes("10.31.0.0"))).toBe(false);
    await applyAndVerify(classicOffice, lab.managed, { probe: lab.probe });
  });

  for (const step of ["routing", "firewall", "cleanup"] as const) {
    it(`a failure in the ${step} step leaves the gateway exactly as before`, async () => {
      const before = await kernelSnapshot(PREFIX);
      // a config that changes every kind of object, so that each step has work to do
      const change = moved("192.168.1.100", "ISP2");
      change.isps[1].routingTable = 201;
      change.isps[1].gatewayAddress = "198.51.100.2";
      const report = await applyAndVerify(change, lab.managed, { probe: lab.probe, fault: step });
      expect(report.ok).toBe(false);
      expect(report.failedStep).toBe(step);
      expect(report.error).toMatch(/swyd-fault0|SWYD-FAULT|Cannot find device|No chain|Couldn't load/i);
      expect(report.rolledBack).toBe(true);
      expect(report.restoredExactly).toBe(true);
      expect(await kernelSnapshot(PREFIX)).toBe(before);
      expect(await lab.probe("192.168.1.100")).toEqual({ ok: true, seenAs: "203.0.113.10" });
    });
  }

  it("a failed verification rolls the apply back and names the host", async () => {
    const before = await kernelSnapshot(PREFIX);
    const report = await applyAndVerify(moved("192.168.1.101", "ISP1"), lab.managed, { probe: lab.probe, fault: "verify" });
    expect(report.result).toBe("rolled-back");
    expect(report.verification?.hosts.find((h) => !h.ok)?.reason).toMatch(/expected 203.0.113.10/);
    expect(await kernelSnapshot(PREFIX)).toBe(before);
  });

  it("pre-checks refuse an ISP whose interface does not exist, and change nothing", async () => {
    const before = await kernelSnapshot(PREFIX);
    const bad = structuredClone(classicOffice);
    bad.isps[1].wanInterface = "eth9";
    const report = await applyAndVerify(bad, lab.managed, { probe: lab.probe });
    expect(report.failedStep).toBe("precheck");
    expect(report.error).toMatch(/interface eth9 does not exist/);
    expect(await kernelSnapshot(PREFIX)).toBe(before);
  });
});
