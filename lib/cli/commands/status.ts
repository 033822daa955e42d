// `switchyard status`: what Switchyard owns on the target, drift, the last revisions, health,
// learned addresses, uptime and usage.
import type { TargetOptions } from "@/lib/cli/args";
import type { GatewayConfig } from "@/lib/model";
import { cli, out, emit, plural, when, oneLine, recoverFirst } from "@/lib/cli/context";
import { managedTarget, requireTarget } from "@/lib/cli/target";
import { printOverrides, driftSummary } from "@/lib/cli/print";

export async function status(opts: TargetOptions): Promise<number> {
  const managed = await managedTarget(opts);
  requireTarget(managed);
  const recovered = await recoverFirst();
  const { applyLockHolder } = await import("@/lib/engine/lock");
  const applying = await applyLockHolder();
  const { observeKernel } = await import("@/lib/net/observe");
  const { loadConfig } = await import("@/lib/data/config");
  const { lastGoodRevision, listRevisions, userConfigOf } = await import("@/lib/data/revisions");
  const { parseStoredConfig } = await import("@/lib/data/stored");
  const { gatewayStatus } = await import("@/lib/engine/status");
  const [observed, last, [latest], staged] = await Promise.all([observeKernel(managed.target), lastGoodRevision(), listRevisions(1), loadConfig()]);
  const lastConfig = last ? parseStoredConfig(last.config, `the configuration of revision ${last.id}`) : null;
  const lastUser = last ? parseStoredConfig(userConfigOf(last), `the configuration of revision ${last.id}`) : null;
  const { validateConfig } = await import("@/lib/validation/config");
  const v = validateConfig(staged);
  const st = gatewayStatus(observed, lastConfig, v.ok ? v.config : staged, lastUser);
  const { owned, foreign, drift, stagedDiffersFromLastGood: stagedChanged } = st;
  const health = await ispHealthForStatus(lastUser ?? (v.ok ? v.config : staged), Boolean(last));
  const learned = await learnedForStatus(lastUser ?? (v.ok ? v.config : staged), managed.target);
  const { usageOf } = await import("@/lib/usage/view");
  const usage = await usageOf((lastUser ?? (v.ok ? v.config : staged)).isps.map((i) => i.name));
  const summary = (r: typeof latest | null) =>
    r
      ? { id: r.id, createdAt: r.createdAt, actor: r.actor, source: r.source, target: r.target, result: r.result, error: r.error, durationMs: r.durationMs }
      : null;
  // the LANs the gateway runs (the last good revision's; the staged ones before any apply)
  const { lansOf } = await import("@/lib/net/lans");
  const lanSource = lastUser ?? (v.ok ? v.config : staged);
  const lansRan = lansOf(lanSource).map((l, n) => ({
    name: l.name,
    interface: l.interface,
    subnets: l.subnets,
    uses: n === 0 ? null : l.defaultPolicy ? `policy ${l.defaultPolicy}` : (l.defaultIsp ?? null),
  }));
  if (cli.json) {
    emit({
      target: managed.label,
      firewall: st.firewall,
      owned,
      foreign,
      lastGoodRevision: summary(last),
      lastRevision: summary(latest ?? null),
      drift,
      stagedDiffersFromLastGood: stagedChanged,
      overrides: st.overrides,
      downIsps: st.downIsps,
      vanished: st.vanished,
      recovered,
      applying,
      health,
      learned,
      lans: lansRan,
      usage,
    });
    return 0;
  }
  out(`Target: ${managed.label}`);
  out(`Firewall backend: ${st.firewall === "nftables" ? "nftables (table inet switchyard)" : "iptables"}`);
  if (lansRan.length > 1) out(`LANs: ${lansRan.map((l) => `${l.name} (${l.interface}: ${l.subnets.join(", ")}${l.uses ? ` -> ${l.uses}` : ""})`).join(", ")}`);
  out(
    st.firewall === "nftables"
      ? `Owned by Switchyard: ${plural(owned.rules, "rule")}, ${plural(owned.routes, "route")}, ${plural(owned.chains, "nftables chain")}, ${plural(owned.sets, "map")}`
      : `Owned by Switchyard: ${plural(owned.rules, "rule")}, ${plural(owned.routes, "route")}, ${plural(owned.chains, "chain")} (${plural(owned.hooks, "hook")})`,
  );
  out(
    `Foreign (left alone): ${plural(foreign.rules, "rule")}, ${plural(foreign.routes, "route")}, ${plural(foreign.chains, "iptables chain")}, ${plural(foreign.nftTables, "nftables table")}`,
  );
  out(
    latest
      ? `Last revision: ${latest.id}, ${when(latest.createdAt)} by ${latest.actor} (${latest.source}) on ${latest.target}: ${latest.result}${latest.error ? ` (${oneLine(latest.error)})` : ""}`
      : "Last revision: none yet",
  );
  for (const r of recovered) out(`Recovered an interrupted apply (revision ${r.revisionId}): ${r.message}`);
  if (applying) out(`Applying now: ${applying.holder}, since ${when(applying.since)}`);
  out(driftSummary(last, drift, stagedChanged));
  if (st.vanished) out(st.vanished);
  if (st.downIsps.length) out(`Down: ${st.downIsps.join(", ")} (link down; their hosts have no path)`);
  out(last ? "Health (the monitor's view):" : "Health: not applied yet, so no health data yet (the monitor probes after the first apply)");
  if (last) for (const h of health) out(`  ${h.line}; ${h.proofLine}`);
  if (usage.length) {
    out("Uptime and usage (docs/usage.md):");
    for (const line of (await import("@/lib/cli/usage-print")).usageLines(usage)) out(line);
  }
  if (learned.length) out("Learned addresses (DHCP, PPP):");
  for (const l of learned) out(`  ${l.line}`);
  printOverrides(st.overrides);
  return 0;
}

/** Each ISP's health and last canary proof, as the pages show it (lib/engine/status.ts healthStatus). */
async function ispHealthForStatus(config: GatewayConfig, applied: boolean) {
  const { loadHealth } = await import("@/lib/health/store");
  const { healthStatus } = await import("@/lib/engine/status");
  // the newest proof: the monitor's canary between applies, or the last apply's
  const canary = await (await import("@/lib/health/canary-watch")).lastCanaryProof();
  return healthStatus(
    config.isps.map((i) => i.name),
    await loadHealth(),
    canary,
    Date.now(),
    applied,
  );
}

/** Each dynamic ISP's address: what runs and since when (the database), and what its WAN shows now. */
async function learnedForStatus(config: GatewayConfig, target: import("@/lib/net/exec").Target) {
  const dynamic = await import("@/lib/net/dynamic");
  if (!dynamic.hasDynamicIsps(config)) return [];
  const { loadLearned } = await import("@/lib/data/learned");
  const { learnedStatus } = await import("@/lib/engine/status");
  const kernel = await dynamic.learnNow(config, target).catch(() => null);
  return learnedStatus(config, await loadLearned(), kernel, Date.now());
}
