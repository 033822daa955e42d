// The literal kernel views the Live page can toggle to: the text the admin would type for,
// `nft list table inet switchyard`, `iptables -L -v -n -x` per table (with each chain's policy counters), `ip rule show` and
// `ip route show table X` per table. Read on demand (only while the literal view is shown),
// 6 read-only processes side by side; the structured view (/api/kernel) is untouched.
import { existsSync } from "node:fs";
import { BINARIES, run } from "@/lib/net/exec";
import { NFT_FAMILY, NFT_NAME } from "@/lib/net/types";
import { parseRoutesByTable } from "@/lib/net/parse/ip-route-text";
import { ipArgs } from "@/lib/net/family";
import { resolveTarget, type ManagedTarget } from "./target";

export const LITERAL_TABLES = ["filter", "nat", "mangle", "raw"] as const;

export interface LiteralView {
  /** the command as the admin would type it, e.g. "iptables -t nat -L -v -n -x" */
  command: string;
  text: string;
}

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
    const [ipt, nft, rules, routes] = await Promise.all([
      Promise.all(LITERAL_TABLES.map((t) => run(target, "iptables", ["-t", t, "-L", "-v", "-n", "-x"], { timeoutMs: TIMEOUT_MS, allowFailure: true }))),
      existsSync(BINARIES.nft)
        ? Promise.all([
            run(target, "nft", ["list", "table", NFT_FAMILY, NFT_NAME], { timeoutMs: TIMEOUT_MS, allowFailure: true }),
            run(target, "nft", ["list", "tables"], { timeoutMs: TIMEOUT_MS, allowFailure: true }),
          ])
        : null,
      run(target, "ip", ipArgs(4, "rule", "show"), { timeoutMs: TIMEOUT_MS }),
      run(target, "ip", ipArgs(4, "route", "show", "table", "all"), { timeoutMs: TIMEOUT_MS }),
    ]);
    return {
      target: label,
      observedAt,
      iptables: ipt.map((r, i) => ({
        command: `iptables -t ${LITERAL_TABLES[i]} -L -v -n -x`,
        text: r.exitCode === 0 ? r.stdout.trimEnd() : `(exit ${r.exitCode}) ${r.stderr.trim()}`,
      })),
      ...(nft
        ? {
            nft: [
              {
                command: `nft list table ${NFT_FAMILY} ${NFT_NAME}`,
                text: nft[0].exitCode === 0 ? nft[0].stdout.trimEnd() : `(not loaded: ${nft[0].stderr.trim().split("\n")[0]})`,
              },
              { command: "nft list tables", text: nft[1].stdout.trimEnd() },
            ],
          }
        : {}),
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
