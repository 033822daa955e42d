// The nftables backend: Switchyard's own table (`table inet switchyard`), its chains (base
// chains at fixed priorities instead of jumps from built-in chains) and its sets and maps.
// Applied with one `nft -f`: the whole change is one transaction.
import { run } from "@/lib/net/exec";
import { faultNftLine } from "@/lib/failpoints";
import { parseNftTableJson } from "@/lib/net/parse/nft-json";
import { NFT_FAMILY, NFT_NAME, NFT_TABLE, type IptChain, type PlanLine } from "@/lib/net/types";
import type { Firewall, FirewallPart, OldJob } from "../types";
import { CHAINS, chainSpecs, isNftChain } from "../chains";
import type { FirewallPlan } from "../plan";
import { NFT_SETS, renderNftables } from "./render";
import { renderNftReplace, renderNftScript, renderNftTable } from "./text";

/** `nft -f` input for the nftables part of a plan: one transaction. The fault names a chain that does not exist. */
export function nftInput(plan: FirewallPlan, observed: Pick<FirewallPart, "chains">, fault = false): string {
  const text = renderNftScript({
    ...plan.nft,
    chainsToReplace: plan.chainsToReplace.filter(isNftChain),
    chainsToDelete: plan.chainsToDelete.filter(isNftChain),
    existingChains: new Map(observed.chains.filter(isNftChain).map((c) => [c.name, c])),
  });
  return fault ? `${text}${faultNftLine(NFT_TABLE)}\n` : text;
}

/** The take over's replacement of an old rule, as the nft command that adds Switchyard's (or its host map's element). */
function replacementOf(desired: FirewallPart, job: OldJob): string | null {
  const own = (chain: string, spec: string | undefined) => (spec ? `nft add rule ${NFT_TABLE} ${chain} ${spec}` : null);
  if (job.kind === "mark") {
    const element = job.host ? desired.sets?.find((x) => x.name === NFT_SETS.hosts)?.elements.find((e) => e.key === job.host) : undefined;
    if (element) return `nft element ${NFT_TABLE} ${NFT_SETS.hosts} { ${job.host} : ${element.value} }`;
    return own(
      CHAINS.mark,
      chainSpecs(desired, CHAINS.mark).find((s) => s.startsWith("meta mark ")),
    );
  }
  const post = job.out ? chainSpecs(desired, CHAINS.post).filter((s) => s.includes(` oifname "${job.out}" `)) : [];
  return own(CHAINS.post, (job.host ? post.find((s) => s.startsWith(`ip saddr ${job.host} `)) : undefined) ?? post.at(-1));
}

export const nftables: Firewall = {
  name: "nftables",
  ownBaseChains: true,
  owns: isNftChain,
  render: renderNftables,
  fullInput: renderNftReplace,
  scriptLines: (state) => [
    "",
    `# Packet marks, connection marks and NAT, in Switchyard's own nftables table: replaced as one`,
    "# transaction (nothing else in the ruleset is touched; hosts are one map lookup per new connection)",
    "nft -f - <<'EOF'",
    renderNftReplace(state).trimEnd(),
    "EOF",
  ],
  applyInput: (plan, observed, fault = false) => nftInput(plan, observed, fault),
  load: (target, input, opts) => run(target, "nft", ["-f", "-"], { input, allowFailure: opts?.allowFailure }),
  differs: (back) =>
    back.nft.ensureTable ||
    back.nft.deleteTable ||
    back.nft.setChanges.length > 0 ||
    back.nft.setsToDelete.length > 0 ||
    [...back.chainsToReplace, ...back.chainsToDelete].some(isNftChain),
  restoreInput(snapshot, _back, now) {
    // emptied in place (the table keeps its place in the ruleset), then defined as it was
    const empty = now.nftTable
      ? [
          `flush table ${NFT_TABLE}`,
          ...(now.sets ?? []).map((x) => `delete ${x.map ? "map" : "set"} ${NFT_TABLE} ${x.name}`),
          ...now.chains.filter(isNftChain).map((c) => `delete chain ${NFT_TABLE} ${c.name}`),
        ].join("\n") + "\n"
      : "";
    return snapshot.nftTable ? `${empty}${renderNftTable(snapshot.chains.filter(isNftChain), snapshot.sets ?? [])}` : `delete table ${NFT_TABLE}\n`;
  },
  summary(plan) {
    const nft = plan.chainsToReplace.filter(isNftChain).length;
    const sets = plan.nft.setChanges.reduce((n, s) => n + s.add.length + s.remove.length, 0);
    return [
      nft || sets || plan.nft.ensureTable ? `nftables: ${nft} chains refilled, ${sets} set elements changed in one transaction` : "",
      plan.nft.deleteTable ? "nftables table removed" : "",
    ];
  },
  readChains: async (target) => parseNftTableJson((await run(target, "nft", ["-j", "list", "table", NFT_FAMILY, NFT_NAME])).stdout).chains,
  swapInput: (changed: IptChain[], current: IptChain[]) =>
    renderNftScript({
      ensureTable: false,
      deleteTable: false,
      chainsToReplace: changed,
      chainsToDelete: [],
      setChanges: [],
      setsToDelete: [],
      existingChains: new Map(current.map((c) => [c.name, c])),
    }),
  swapLines: (c): PlanLine[] => [
    { op: "~", kind: "chain", text: `nft flush chain ${NFT_FAMILY} ${NFT_NAME} ${c.name}: refilled in one transaction` },
    ...c.rules.map((r): PlanLine => ({ op: "+", kind: "chain", text: `${c.name}: ${r.spec}` })),
  ],
  chainLabel: () => "nft chain",
  vanished: (desired, observed) =>
    !observed.nftTable
      ? "its nftables table inet switchyard is gone (an `nft flush ruleset`, e.g. nftables.service or firewalld reloading /etc/nftables.conf, or `nft delete table`)"
      : null,
  replacementOf,
};
