// The sysctls step: the sysctls Switchyard owns, and what the others mean for it.
import { run, type Target } from "@/lib/net/exec";
import type { PlanLine, SysctlChange } from "@/lib/net/plan";
import { confSysctl, forwardingSysctl } from "@/lib/net/family";
export { parseSysctl } from "@/lib/net/parse/sysctl";

/**
 * Sysctls Switchyard owns: set at every apply where they differ, put back by a rollback.
 * src_valid_mark=1 lets the reverse-path check see a reply's (restored) connection mark, so
 * it looks the reply up in the ISP's table, where a route back out of the WAN exists. Without
 * it, the check looks the LAN host up without a mark, meets `from <LAN> iif <LAN> unreachable`
 * and drops the reply: strict (rp_filter=1) and loose (rp_filter=2, systemd's default on
 * Debian and Ubuntu) alike, for every host (kernel.md, turn 3). It changes nothing else.
 * No sysctl.d file is written: the boot apply sets it again, and a box without Switchyard
 * gets its distribution's value back at the next boot.
 */
export const OWNED_SYSCTLS: Record<string, { value: string; why: string }> = {
  [confSysctl(4, "all", "src_valid_mark")]: { value: "1", why: "replies pass the reverse-path check through their ISP's table (rp_filter 1 or 2)" },
};

/** What the kernel's sysctls mean for Switchyard; `sysctl` prints "key = value" lines (and fails on a missing key, printing the rest). */
export function sysctlProblems(values: Map<string, string>, _wans: string[], ipv6 = false): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const get = (k: string) => Number(values.get(k) ?? "0");
  if (get(forwardingSysctl(4)) !== 1) problems.push("IP forwarding is off: set net.ipv4.ip_forward=1 (LAN traffic is not forwarded at all)");
  if (ipv6 && get(forwardingSysctl(6)) !== 1)
    problems.push(
      `IPv6 forwarding is off: set ${forwardingSysctl(6)}=1 (an ISP has IPv6: the LAN's IPv6 is not forwarded at all; a WAN that learns its IPv6 route from router advertisements then needs accept_ra=2)`,
    );
  return { problems, warnings: [] };
}

/** The owned sysctls that differ on the gateway, each with the value it has and the one Switchyard sets. */
export function sysctlChanges(values: Map<string, string>): SysctlChange[] {
  return Object.entries(OWNED_SYSCTLS)
    .filter(([key, o]) => values.get(key) !== o.value)
    .map(([key, o]) => ({ key, from: values.get(key) ?? "(missing)", to: o.value, why: o.why }));
}

export const sysctlLine = (c: SysctlChange): PlanLine => ({ op: "~", kind: "sysctl", text: `sysctl ${c.key}: ${c.from} -> ${c.to} (${c.why})` });

export function sysctlKeys(wans: string[]): string[] {
  return [
    ...new Set([
      forwardingSysctl(4),
      forwardingSysctl(6),
      confSysctl(4, "all", "rp_filter"),
      ...Object.keys(OWNED_SYSCTLS),
      ...wans.flatMap((d) => [confSysctl(4, d, "rp_filter"), confSysctl(4, d, "src_valid_mark")]),
    ]),
  ];
}

export async function writeSysctls(target: Target, values: Record<string, string>): Promise<void> {
  const args = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  if (args.length) await run(target, "sysctl", ["-q", "-w", ...args]);
}
