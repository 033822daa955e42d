// The monitor's failover, limited to what changed. A health change only rewrites target
// chains (SWYD-ISP<table>, SWYD-P-<policy>: lib/net/render/targets.ts): when the kernel runs
// the last verified configuration and the new one differs from it in those chains only, the
// apply is
//   1 iptables-save -t mangle    the chains to change are what the last revision left (else: the full pipeline)
//     (nftables: nft -j list table inet switchyard)
//   2 iptables-restore --noflush those chains, swapped in one transaction (atomic: old or new, never half)
//     (nftables: nft -f, the chains flushed and refilled in one transaction)
//   3 conntrack -L (+ -R)        the flows of moved hosts cleared, as in every apply; meanwhile
//   4 iptables-save -t mangle    read back (nftables: nft -j list table): the chains say what render says, then
//   5 ip -batch route get        one lookup per ISP a changed chain now points at: its table routes
// a constant number of processes whatever the number of hosts. Anything unexpected (another
// part differs, the chains were changed by hand, a command fails) returns null and the
// caller runs the full pipeline, which observes, plans, verifies and rolls back as always.
import type { GatewayConfig, LanConfig } from "@/lib/model";
import { render } from "@/lib/net/render";
import { withJournal, type JournalEntry } from "@/lib/net/exec";
import { firewallOfChain } from "@/lib/net/firewall";
import { clearStaleFlows, type StepEvent } from "@/lib/net/apply";
import { conntrackLines, planChanges, sameRules, type PlanLine } from "@/lib/net/plan";
import { CHAIN_PREFIX, type IptChain, type KernelState } from "@/lib/net/types";
import { expectedPath, pathMatches, routeLookups, unlistedAddress, unlistedName, type HostVerdict, type VerifyReport } from "@/lib/net/verify";
import { iifOf, lansOf } from "@/lib/net/lans";
import { resolveHost, targetChain, targetOf } from "@/lib/net/render/targets";
import { renderRadvdConf } from "@/lib/net/ra/render";
import type { ApplyReport } from "./run";
import type { ManagedTarget } from "./target";

const isTargetChain = (name: string) => name.startsWith(`${CHAIN_PREFIX}ISP`) || name.startsWith(`${CHAIN_PREFIX}P-`);
// ip6tables has chains of the same names as iptables: the family is part of the key
const key = (c: IptChain) => `${c.family === 6 ? "6|" : ""}${c.table}|${c.name}`;
const same = sameRules;

/** The target chains that differ, when nothing else does (the plan from one rendered state to the other); null when something else does. */
export function targetChainChanges(prev: KernelState, next: KernelState): IptChain[] | null {
  const p = planChanges(next, prev);
  const other =
    p.routesToReplace.length +
    p.routesToDelete.length +
    p.rulesToAdd.length +
    p.rulesToDelete.length +
    p.chainsToDelete.length +
    p.hooksToAdd.length +
    p.hooksToDelete.length;
  if (other > 0 || prev.rtTables.length !== next.rtTables.length) return null;
  if (p.nft.ensureTable || p.nft.deleteTable || p.nft.setChanges.length || p.nft.setsToDelete.length) return null;
  return p.chainsToReplace.every((c) => isTargetChain(c.name) && prev.chains.some((o) => key(o) === key(c))) ? p.chainsToReplace : null;
}

export interface FastOptions {
  onStep?: (e: StepEvent) => void;
  keepFlowsOnUpIsps?: boolean;
}

/**
 * Apply `next` over `prev` (the configuration the last verified revision left on the kernel)
 * by rewriting only the target chains. Null: not a case for it (the caller applies in full).
 */
export async function fastFailover(prev: GatewayConfig, next: GatewayConfig, managed: ManagedTarget, opts: FastOptions = {}): Promise<ApplyReport | null> {
  const started = performance.now();
  const was = render(prev);
  const now = render(next);
  const changed = targetChainChanges(was.state, now.state);
  if (!changed || changed.length === 0) return null;
  // what the router advertisements say changes too (a down ISP's /64 deprecated): the full pipeline's "ra" step
  if (renderRadvdConf(prev) !== renderRadvdConf(next)) return null;
  const journal: JournalEntry[] = [];
  const steps: StepEvent[] = [];
  const step = (e: StepEvent) => {
    steps.push(e);
    opts.onStep?.(e);
  };
  const t = managed.target;
  return withJournal(journal, async () => {
    // the backend's chains: iptables' mangle table, or Switchyard's nftables table (one process either way)
    const firewall = firewallOfChain(changed[0]);
    const mangle = async () => new Map((await firewall.readChains(t)).map((c) => [key(c), c]));
    let t0 = performance.now();
    const current = await mangle();
    // the kernel must run what the last revision left, in the part we change
    const expected = new Map(was.state.chains.map((c) => [key(c), c]));
    if (!changed.every((c) => same(current.get(key(c)), expected.get(key(c))))) return null;
    step({
      step: "observe",
      state: "ok",
      durationMs: Math.round(performance.now() - t0),
      detail: `only target chains change: ${changed.map((c) => c.name).join(", ")}`,
    });

    t0 = performance.now();
    const restore = await firewall.load(t, firewall.swapInput(changed, [...current.values()]), { allowFailure: true });
    if (restore.exitCode !== 0) return null; // atomic: nothing changed; the full pipeline says why
    step({
      step: "firewall",
      state: "ok",
      durationMs: Math.round(performance.now() - t0),
      detail: `${changed.length} chain${changed.length === 1 ? "" : "s"} swapped`,
    });

    // the flows of moved hosts and the read-back do not depend on each other: both at once
    t0 = performance.now();
    const [cleared, verification] = await Promise.all([
      clearStaleFlows(t, next, opts.keepFlowsOnUpIsps).then((c) => {
        const flows = c.reduce((n, h) => n + h.flows, 0);
        step({
          step: "conntrack",
          state: "ok",
          durationMs: Math.round(performance.now() - t0),
          detail: flows ? `${flows} connections of ${c.length} addresses cleared` : "no connection carries a stale mark",
        });
        return c;
      }),
      mangle()
        .then((after) => verifyChanged(t, next, changed, after))
        .then((v) => {
          step({ step: "verify", state: v.ok ? "ok" : "failed", durationMs: Math.round(performance.now() - t0), detail: v.summary });
          return v;
        }),
    ]);

    const planLines: PlanLine[] = [...changed.flatMap((c) => firewall.swapLines(c)), ...conntrackLines(cleared)];
    return {
      ok: verification.ok,
      result: verification.ok ? "applied" : "failed",
      target: managed.label,
      planLines,
      movedHosts: cleared.map((h) => h.address),
      ...(verification.ok ? {} : { failedStep: "verify", error: "verification failed" }),
      rolledBack: false,
      verification,
      steps,
      script: now.script,
      journal,
      durationMs: Math.round(performance.now() - started),
    };
  });
}

/** The changed chains read back as rendered, and one route lookup per ISP they now send traffic to. */
async function verifyChanged(t: ManagedTarget["target"], config: GatewayConfig, changed: IptChain[], after: Map<string, IptChain>): Promise<VerifyReport> {
  const drift: PlanLine[] = changed
    .filter((c) => !same(after.get(key(c)), c))
    .map((c) => ({ op: "~", kind: "chain", text: `${firewallOfChain(c).chainLabel(c)} differs from the desired chain` }));
  const names = new Set(changed.map((c) => c.name));
  // one subject per changed target: its first host, or each LAN's unlisted address for the defaults
  const subjects: { name: string; address: string; host: GatewayConfig["hosts"][number] | null; lan?: LanConfig }[] = [];
  const seen = new Set<string>();
  for (const h of config.hosts) {
    const target = targetOf(config, h);
    const chain = target ? targetChain(target) : "";
    if (names.has(chain) && !seen.has(chain)) {
      seen.add(chain);
      subjects.push({ name: h.name, address: h.address, host: h });
    }
  }
  for (const lan of lansOf(config)) {
    const other = unlistedAddress(config, lan);
    if (other) subjects.push({ name: unlistedName(lan), address: other, host: null, lan });
  }
  const asks = subjects.flatMap((s) => {
    const r = resolveHost(config, s.host, s.lan);
    return r && !r.unreachable ? r.isps.map(({ isp }) => ({ s, isp, because: r.because })) : [];
  });
  const got = await routeLookups(
    t,
    asks.map((a) => ({ address: a.s.address, iif: a.s.lan?.interface ?? iifOf(config, a.s.address), mark: a.isp.mark })),
  );
  const hosts: HostVerdict[] = asks.map((a, i) => {
    const expected = expectedPath(config, a.isp, a.s.address);
    const predicted = got[i];
    const ok = pathMatches(predicted, expected);
    return {
      name: a.s.name,
      address: a.s.address,
      isp: a.isp.name,
      expected,
      predicted,
      ok,
      ...(a.because ? { because: a.because } : {}),
      ...(ok
        ? {}
        : {
            reason: predicted.error
              ? `route lookup failed: ${predicted.error}`
              : `predicted table ${predicted.table} via ${predicted.gateway ?? "-"} dev ${predicted.dev}, expected table ${expected.table}`,
          }),
    };
  });
  const bad = hosts.filter((h) => !h.ok);
  const ok = drift.length === 0 && bad.length === 0;
  const summary = ok
    ? `fast failover: ${changed.length} target chain${changed.length === 1 ? "" : "s"} read back as rendered; ${hosts.length} route lookup${hosts.length === 1 ? "" : "s"} through ${[...new Set(hosts.map((h) => h.isp))].join(", ") || "no ISP"} match`
    : [drift.length ? `${drift.length} chains differ after the swap` : "", ...bad.map((h) => `${h.name} via ${h.isp}: ${h.reason}`)].filter(Boolean).join("; ");
  return {
    ok,
    stateMatches: drift.length === 0,
    drift,
    hosts,
    isps: [],
    probed: false,
    checked: hosts.filter((h) => h.ok).length,
    summary,
    checkedAt: new Date().toISOString(),
  };
}
