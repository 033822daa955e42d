// The netfilter part of the Live page's literal view: the text an admin gets from
// `iptables -t T -L -v -n -x` per table (with each chain's policy counters), and from
// `nft list table inet switchyard` and `nft list tables` (and `ip6tables -t T -L -v -n -x`
// when the configuration routes IPv6). Read on demand, side by side.
import { existsSync } from "node:fs";
import { BINARIES, run, type Target } from "@/lib/net/exec";
import { NFT_FAMILY, NFT_NAME } from "@/lib/net/types";

export const LITERAL_TABLES = ["filter", "nat", "mangle", "raw"] as const;

export interface LiteralView {
  /** the command as the admin would type it, e.g. "iptables -t nat -L -v -n -x" */
  command: string;
  text: string;
}

const listed = (bin: "iptables" | "ip6tables", rs: { exitCode: number; stdout: string; stderr: string }[]): LiteralView[] =>
  rs.map((r, i) => ({
    command: `${bin} -t ${LITERAL_TABLES[i]} -L -v -n -x`,
    text: r.exitCode === 0 ? r.stdout.trimEnd() : `(exit ${r.exitCode}) ${r.stderr.trim()}`,
  }));

/**
 * Both backends' text (nft absent where it is not installed): 4 or 6 read-only processes, and
 * with `ipv6` (the configuration routes IPv6) ip6tables' four tables too.
 */
export async function literalNetfilter(
  target: Target,
  timeoutMs: number,
  ipv6 = false,
): Promise<{ iptables: LiteralView[]; ip6tables?: LiteralView[]; nft?: LiteralView[] }> {
  const list = (bin: "iptables" | "ip6tables") =>
    Promise.all(LITERAL_TABLES.map((t) => run(target, bin, ["-t", t, "-L", "-v", "-n", "-x"], { timeoutMs, allowFailure: true })));
  const [ipt, ip6t, nft] = await Promise.all([
    list("iptables"),
    ipv6 ? list("ip6tables") : null,
    existsSync(BINARIES.nft)
      ? Promise.all([
          run(target, "nft", ["list", "table", NFT_FAMILY, NFT_NAME], { timeoutMs, allowFailure: true }),
          run(target, "nft", ["list", "tables"], { timeoutMs, allowFailure: true }),
        ])
      : null,
  ]);
  return {
    iptables: listed("iptables", ipt),
    ...(ip6t ? { ip6tables: listed("ip6tables", ip6t) } : {}),
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
  };
}
