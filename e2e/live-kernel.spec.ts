// The Live kernel page against the e2e lab: Switchyard's rules told from foreign ones, traffic
// counters that rise while the page stays open, and drift repaired from the page.
import path from "node:path";
import { test, expect, nav, NFTABLES } from "./fixtures";
import { HOST, run } from "../lib/net/exec";
import { gatewayNamespace, sendTraffic } from "../lib/lab/lab";
import { e2eEnv } from "../playwright.config";

const root = path.resolve(import.meta.dirname, "..");
const PREFIX = e2eEnv.SWITCHYARD_LAB_PREFIX;
const GW = gatewayNamespace(PREFIX);
/** a rule Switchyard does not own (outside 10000-10999) that matches nothing in the lab */
const FOREIGN_RULE = ["priority", "5000", "from", "10.99.0.0/16", "lookup", "main"];
const shot = (name: string) => path.join(root, "e2e", "screenshots", name);

test.describe("live kernel", () => {
  test.beforeAll(async () => {
    // something to show: the classic office (office-pc on ISP1; earlier specs moved hosts
    // around) staged and applied with the CLI, on the e2e database and lab
    const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
    const imported = await run(HOST, "node", [tsx, "bin/cli.ts", "config", "import", "tests/fixtures/classic-office.json"], {
      env: e2eEnv,
      cwd: root,
      timeoutMs: 60_000,
      allowFailure: true,
    });
    expect(imported.exitCode, imported.stderr).toBe(0);
    const r = await run(HOST, "node", [tsx, "bin/cli.ts", "apply", "--json", "--lab", PREFIX], {
      env: e2eEnv,
      cwd: root,
      timeoutMs: 120_000,
      allowFailure: true,
    });
    expect(r.exitCode, r.stderr || r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
  });

  test.afterAll(async () => {
    await run(HOST, "ip", ["-n", GW, "rule", "del", ...FOREIGN_RULE], { allowFailure: true });
  });

  test("shows own and foreign state, live counters, and repairs drift", async ({ loggedIn: page }) => {
    test.setTimeout(120_000);
    await nav(page, "Live kernel");
    await expect(page.getByRole("heading", { level: 1, name: "Live kernel" })).toBeVisible();
    // set in this document: still there at the end means the page was never reloaded
    await page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 42));

    // ip rules: Switchyard's fwmark rule for ISP2, and the kernel's own rules as foreign
    const rules = page.getByRole("region", { name: "Policy rules" });
    const row = (priority: string) => rules.getByRole("row").filter({ has: page.getByRole("cell", { name: priority, exact: true }) });
    const isp2Mark = rules.getByRole("row").filter({ hasText: "fwmark 0x2/0xff" });
    await expect(isp2Mark).toContainText("lookup 200 (ISP2)");
    await expect(isp2Mark).toContainText("Switchyard");
    await expect(row("0")).toContainText("lookup local");
    await expect(row("0")).toContainText("foreign");
    await expect(row("32766")).toContainText("lookup main");
    await expect(row("32766")).toContainText("foreign");

    // traffic: 200 kB from office-pc (ISP1) shows up in ISP1's sent counter without a reload
    const isp1 = page.getByRole("region", { name: "Traffic per ISP" }).getByRole("region", { name: "ISP1", exact: true });
    const sent = isp1.getByLabel("Sent", { exact: true });
    await expect(isp1).toContainText("link UP");
    const sentBytes = async () => Number(await sent.getAttribute("value"));
    const before = await sentBytes();
    const traffic = await sendTraffic(PREFIX, "192.168.1.100", 200_000);
    expect(traffic).toEqual({ ok: true, received: 200_000 });
    await expect.poll(sentBytes, { timeout: 10_000, intervals: [250] }).toBeGreaterThanOrEqual(before + 200_000);
    // the sparkline saw the burst
    await expect(isp1.getByRole("img")).not.toHaveAttribute("aria-label", /peak 0 B\/s/);
    await page.screenshot({ path: shot("live-kernel.png"), fullPage: true });

    // a rule added by hand is shown, as foreign
    await run(HOST, "ip", ["-n", GW, "rule", "add", ...FOREIGN_RULE]);
    await expect(row("5000")).toContainText("from 10.99.0.0/16");
    await expect(row("5000")).toContainText("foreign");

    // drift: one of Switchyard's rules deleted by hand
    const drift = page.getByRole("region", { name: "Drift" });
    await expect(drift).toContainText("No drift");
    await expect(row("10101")).toContainText("Switchyard");
    await run(HOST, "ip", ["-n", GW, "rule", "del", "priority", "10101"]);
    await expect(drift).toContainText("ip rule add priority 10101");
    await expect(row("10101")).toHaveCount(0);
    await page.screenshot({ path: shot("live-kernel-drift.png"), fullPage: false });
    await drift.getByRole("button", { name: "Re-apply last good revision" }).click();
    await expect(drift).toContainText("No drift", { timeout: 60_000 });
    await expect(drift.getByRole("status")).toContainText(/re-applied as revision #\d+/);
    await expect(row("10101")).toContainText("Switchyard");
    // the re-apply left the foreign rule alone
    await expect(row("5000")).toContainText("foreign");

    await run(HOST, "ip", ["-n", GW, "rule", "del", ...FOREIGN_RULE]);
    await expect(row("5000")).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(42);

    // for a look at the layout: a phone in dark mode
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: shot("live-kernel-phone-dark.png"), fullPage: true });
  });

  test("the firewall part: Switchyard's nftables table (or its iptables chains), per-host counters, drift in the map and a foreign flush", async ({
    loggedIn: page,
  }) => {
    test.setTimeout(180_000);
    await nav(page, "Live kernel");
    const nft = page.getByRole("region", { name: "nftables" });
    const ipt = page.getByRole("region", { name: "iptables" });
    const jump = page.getByRole("navigation", { name: "Jump to" });
    await expect(jump.getByRole("link", { name: "iptables" })).toHaveAttribute("href", "#iptables");
    if (!NFTABLES) {
      // no nftables section, and no link to one
      await expect(page.getByRole("region", { name: "Policy rules" })).toBeVisible();
      await expect(nft).toHaveCount(0);
      await expect(jump.getByRole("link", { name: "nftables" })).toHaveCount(0);
      await ipt.getByRole("button", { name: "Show iptables" }).click();
      const mark = ipt.getByRole("group", { name: "mangle SWYD-MARK" });
      await expect(mark).toContainText("-s 192.168.1.100/32 -j SWYD-ISP100");
      await expect(mark).toContainText("-s 192.168.1.101/32 -j SWYD-ISP200");
      await expect(ipt.getByRole("group", { name: "nat SWYD-POST" })).toContainText("-s 192.168.1.0/24 -o eth0 -j SNAT --to-source 203.0.113.10");
      return;
    }
    await expect(jump.getByRole("link", { name: "nftables" })).toHaveAttribute("href", "#nftables");
    await nft.getByRole("button", { name: "Show nftables" }).click();
    // the host map: every host with its target chain and its own counters
    const hosts = nft.getByRole("group", { name: "nft map SWYD-HOSTS" });
    await expect(hosts).toContainText("ipv4_addr : verdict, 2 elements");
    await expect(hosts.getByRole("columnheader")).toHaveText(["Key", "Verdict", "Packets", "Bytes"]);
    const desk = hosts.getByRole("row").filter({ hasText: "192.168.1.100" });
    const laptop = hosts.getByRole("row").filter({ hasText: "192.168.1.101" });
    await expect(desk).toContainText("jump SWYD-ISP100");
    await expect(laptop).toContainText("jump SWYD-ISP200");
    const packets = async () => Number((await desk.getByRole("cell").nth(2).textContent())?.replace(/\D/g, "") || "0");
    const before = await packets();
    // a new connection of office-pc is looked up in the map once: its counter rises, without a reload
    expect(await sendTraffic(PREFIX, "192.168.1.100", 10_000)).toEqual({ ok: true, received: 10_000 });
    await expect.poll(packets, { timeout: 10_000, intervals: [250] }).toBeGreaterThan(before);
    // the base chains with their hooks, in the order the kernel runs them (by priority)
    const hooks: [string, string][] = [
      ["SWYD-PRE", "type filter hook prerouting priority -150"],
      ["SWYD-ACCT", "type filter hook forward priority -150"],
      ["SWYD-TAIL", "type filter hook prerouting priority -140"],
      ["SWYD-GUARD", "type filter hook forward priority 0"],
      ["SWYD-POST", "type nat hook postrouting priority 95"],
    ];
    for (const [name, hook] of hooks) await expect(nft.getByRole("group", { name: `nft ${name}`, exact: true })).toContainText(hook);
    const base = nft.getByRole("heading", { name: "Base chains (the hooks)" }).locator("..");
    await expect(base.getByRole("heading", { level: 4 })).toHaveText(hooks.map(([name, hook]) => `${name}${hook}`));
    await expect(nft.getByRole("group", { name: "nft SWYD-PRE" })).toContainText('iifname "lan0" jump SWYD-MARK');
    await expect(nft.getByRole("group", { name: "nft SWYD-POST" })).toContainText('ip saddr 192.168.1.0/24 oifname "eth0" snat ip to 203.0.113.10');
    // the NAT rules carry all the traffic but have no counter: they say so instead of "0 / 0 B / 0/s"
    const snat = nft.getByRole("group", { name: "nft SWYD-POST" }).getByRole("row", { name: /oifname "eth0" snat/ });
    await expect(snat).toContainText("no counter");
    await expect(snat).not.toContainText("0 B");
    // the other chains of the table: what each target does to the mark
    await expect(nft.getByRole("group", { name: "nft SWYD-ISP200", exact: true })).toContainText("meta mark set meta mark & 0xffffff02 | 0x00000002");
    // iptables holds nothing of Switchyard's here
    await ipt.getByRole("button", { name: "Show iptables" }).click();
    await expect(ipt).toContainText("None: Switchyard runs on nftables here (see its table above).");

    // one host taken out of the map by hand: drift names the element, and one click puts it back
    const drift = page.getByRole("region", { name: "Drift" });
    await expect(drift).toContainText("No drift");
    await run(HOST, "ip", ["netns", "exec", GW, "nft", "delete", "element", "inet", "switchyard", "SWYD-HOSTS", "{ 192.168.1.101 }"]);
    await expect(drift).toContainText("+ SWYD-HOSTS: 192.168.1.101 : jump SWYD-ISP200");
    await expect(hosts).toContainText("1 element");
    await expect(laptop).toHaveCount(0);
    await drift.getByRole("button", { name: "Re-apply last good revision" }).click();
    await expect(drift).toContainText("No drift", { timeout: 60_000 });
    await expect(laptop).toContainText("jump SWYD-ISP200");

    // someone flushes the whole ruleset of the lab gateway: drift, named, and one click puts it back
    await run(HOST, "ip", ["netns", "exec", GW, "nft", "flush", "ruleset"]);
    await expect(page.getByRole("main")).toContainText("its nftables table inet switchyard is gone");
    await drift.getByRole("button", { name: "Re-apply last good revision" }).click();
    await expect(drift).toContainText("No drift", { timeout: 60_000 });
    await expect(hosts).toContainText("jump SWYD-ISP100");
  });

  test("the API answers 401 without a session", async ({ request }) => {
    const res = await request.get("/api/kernel");
    expect(res.status()).toBe(401);
  });
});
