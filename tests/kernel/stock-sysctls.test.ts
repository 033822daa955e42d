// Stock sysctls on a hand-made gateway: systemd's defaults on Debian/Ubuntu (rp_filter=2 on
// every interface, src_valid_mark=0) and strict filtering without src_valid_mark. Before,
// every LAN host timed out after an apply (the reverse-path check dropped the replies) while
// `apply` said verified. Now the apply owns src_valid_mark, says so in its plan, and real TCP
// connections from both hosts leave with their ISP's address; a rollback puts the value back.
import { afterAll, describe, expect, it } from "vitest";
import { applyAndVerify } from "@/lib/engine/run";
import { resolveTarget } from "@/lib/engine/target";
import { netns, run } from "@/lib/net/exec";
import { buildHandmade, type Handmade } from "@/lib/lab/handmade";

const svm = async (gw: string) => (await run(netns(gw), "sysctl", ["-n", "net.ipv4.conf.all.src_valid_mark"])).stdout.trim();

describe.each([
  { name: "stock (rp_filter=2, src_valid_mark=0)", rpFilter: "stock" as const },
  { name: "strict (rp_filter=1, src_valid_mark=0)", rpFilter: "strict" as const },
])("a hand-made gateway with $name", ({ rpFilter }) => {
  let g: Handmade;
  afterAll(() => g?.destroy());

  it("hosts reach the internet through their ISP after an apply, and the plan says what it set", async () => {
    g = await buildHandmade(rpFilter === "stock" ? "tstock" : "tstrict", { rpFilter, srcValidMark: 0 });
    // before Switchyard: everything leaves by main's default route (the fiber), un-NATed, and the router drops it
    const report = await applyAndVerify(g.config, resolveTarget({ netns: g.gw }));
    expect(report.error).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.planLines.map((l) => l.text)).toContainEqual(expect.stringMatching(/^sysctl net\.ipv4\.conf\.all\.src_valid_mark: 0 -> 1/));
    expect(await svm(g.gw)).toBe("1");
    expect(await g.connect("h1")).toBe("203.0.113.2");
    expect(await g.connect("h2")).toBe("198.51.100.2");
  });

  it("a failed apply puts src_valid_mark back as it was", async () => {
    await run(netns(g.gw), "sysctl", ["-q", "-w", "net.ipv4.conf.all.src_valid_mark=0"]);
    const report = await applyAndVerify(g.config, resolveTarget({ netns: g.gw }), { fault: "firewall" });
    expect(report.rolledBack).toBe(true);
    expect(await svm(g.gw)).toBe("0");
  });
});
