// The netfilter part of the Live page's literal view: the text an admin gets from
// `iptables -t T -L -v -n -x` per table (with each chain's policy counters), and from
// `nft list table inet switchyard` and `nft list tables`. Read on demand, side by side.
import { existsSync } from "node:fs";
import { BINARIES, run, type Target } from "@/lib/net/exec";
import { NFT_FAMILY, NFT_NAME } from "@/lib/net/types";

export const LITERAL_TABLES = ["filter", "nat", "mangle", "raw"] as const;

export interface LiteralView {
  /** the command as the admin would type it, e.g. "iptables -t nat -L -v -n -x" */
  command: string;
  text: string;
}

/** Both backends' text (nft absent where it is not installed): 4 or 6 read-only processes. */
export async function literalNetfilter(target: Target, timeoutMs: number): Promise<{ iptables: LiteralView[]; nft?: LiteralView[] }> {
  const [ipt, nft] = await Promise.all([
    Promise.all(LITERAL_TABLES.map((t) => run(target, "iptables", ["-t", t, "-L", "-v", "-n", "-x"], { timeoutMs, allowFailure: true }))),
    existsSync(BINARIES.nft)
      ? Promise.all([
          run(target, "nft", ["list", "table", NFT_FAMILY, NFT_NAME], { timeoutMs, allowFailure: true }),
          run(target, "nft", ["list", "tables"], { timeoutMs, allowFailure: true }),
        ])
      : null,
  ]);
  return {
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
  };
}
