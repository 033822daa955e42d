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
  /** `nft list table inet switchyard` and `nft list tables`; absent where nft is not installed */
  nft?: LiteralView[];
  rules: LiteralView;
  routes: LiteralView[];
  error?: string;
}

/** `ip route show table all` text -> one view per table, in the order main, ISP tables, local, others. */
export function splitRoutesByTable(text: string): LiteralView[] {
  return parseRoutesByTable(text).map((t) => ({ command: `ip route show table ${t.table}`, text: t.lines.join("\n") }));
}

const TIMEOUT_MS = 5_000;

export async function literalSnapshot(managed?: ManagedTarget): Promise<LiteralSnapshot> {
  let label = managed?.label ?? "(unknown target)";
  const observedAt = new Date().toISOString();
  try {
    const m = managed ?? resolveTarget();
    label = m.label;
    const target = m.target;
    const [netfilter, rules, routes] = await Promise.all([
      literalNetfilter(target, TIMEOUT_MS),
      run(target, "ip", ipArgs(4, "rule", "show"), { timeoutMs: TIMEOUT_MS }),
      run(target, "ip", ipArgs(4, "route", "show", "table", "all"), { timeoutMs: TIMEOUT_MS }),
    ]);
    return {
      target: label,
      observedAt,
      ...netfilter,
      rules: { command: "ip rule show", text: rules.stdout.trimEnd() },
      routes: splitRoutesByTable(routes.stdout),
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
