// The literal kernel views the Live page can toggle to: the text the admin would type for,
// `nft list table inet switchyard`, `iptables -L -v -n -x` per table (with each chain's policy counters), `ip rule show` and
// `ip route show table X` per table. Read on demand (only while the literal view is shown),
// 6 read-only processes side by side; the structured view (/api/kernel) is untouched.
import { run } from "@/lib/net/exec";
import { literalNetfilter, type LiteralView } from "@/lib/net/firewall/literal";
import { parseRoutesByTable } from "@/lib/net/parse/ip-route-text";
import { ipArgs } from "@/lib/net/family";
import { resolveTarget, type ManagedTarget } from "./target";

export { LITERAL_TABLES, type LiteralView } from "@/lib/net/firewall/literal";

export interface LiteralSnapshot {
  target: string;
  observedAt: string;
  iptables: LiteralView[];
  /** present when the configuration routes IPv6: ip6tables' tables, `ip -6 rule show`, `ip -6 route show table X` */
  ip6tables?: LiteralView[];
  rules6?: LiteralView;
  routes6?: LiteralView[];
  /** `nft list table inet switchyard` and `nft list tables`; absent where nft is not installed */
  nft?: LiteralView[];
  rules: LiteralView;
  routes: LiteralView[];
  error?: string;
}

/** `ip [-6] route show table all` text -> one view per table, in the order main, ISP tables, local, others. */
export function splitRoutesByTable(text: string, family: 4 | 6 = 4): LiteralView[] {
  const ip = family === 6 ? "ip -6" : "ip";
  return parseRoutesByTable(text).map((t) => ({ command: `${ip} route show table ${t.table}`, text: t.lines.join("\n") }));
}

const TIMEOUT_MS = 5_000;

/** `ipv6`: the configuration routes IPv6, so its listings are read too (3 more processes per table family). */
export async function literalSnapshot(managed?: ManagedTarget, ipv6 = false): Promise<LiteralSnapshot> {
  let label = managed?.label ?? "(unknown target)";
  const observedAt = new Date().toISOString();
  try {
    const m = managed ?? resolveTarget();
    label = m.label;
    const target = m.target;
    const [netfilter, rules, routes, rules6, routes6] = await Promise.all([
      literalNetfilter(target, TIMEOUT_MS, ipv6),
      run(target, "ip", ipArgs(4, "rule", "show"), { timeoutMs: TIMEOUT_MS }),
      run(target, "ip", ipArgs(4, "route", "show", "table", "all"), { timeoutMs: TIMEOUT_MS }),
      ipv6 ? run(target, "ip", ipArgs(6, "rule", "show"), { timeoutMs: TIMEOUT_MS }) : null,
      ipv6 ? run(target, "ip", ipArgs(6, "route", "show", "table", "all"), { timeoutMs: TIMEOUT_MS }) : null,
    ]);
    return {
      target: label,
      observedAt,
      ...netfilter,
      rules: { command: "ip rule show", text: rules.stdout.trimEnd() },
      routes: splitRoutesByTable(routes.stdout),
      ...(rules6 && routes6 ? { rules6: { command: "ip -6 rule show", text: rules6.stdout.trimEnd() }, routes6: splitRoutesByTable(routes6.stdout, 6) } : {}),
    };
  } catch (e) {
    return {
      target: label,
      observedAt,
      iptables: [],
      rules: { command: "ip rule show", text: "" },
      routes: [],
      error: e instanceof Error ? e.message : String(e),
    };
  }
}
