// GET /api/plan: what "Apply & verify" would do, before it does it. The staged
// changes in words, the kernel commands (desired vs what the gateway has now), and
// for each staged host the path a route lookup predicts vs the one it should get.
import type { HostPrediction, PlanPayload } from "@/components/board/types";
import { withAuth } from "@/lib/auth/guard";
import { loadConfig } from "@/lib/data/config";
import { appliedHosts, changesSince, hostIsStaged, lastApplied } from "@/lib/engine/staged";
import { resolveTarget } from "@/lib/engine/target";
import type { GatewayConfig, IspConfig } from "@/lib/model";
import type { Target } from "@/lib/net/exec";
import { observeKernel, type ObservedState } from "@/lib/net/observe";
import { planChanges } from "@/lib/net/plan";
import { effectiveIsp, render } from "@/lib/net/render";
import { expectedNat, predictPaths } from "@/lib/net/verify";
import { validateConfig } from "@/lib/validation";

export const dynamic = "force-dynamic";

/** Hosts whose ISP changes with this apply: staged ones, and unassigned ones whose default ISP changed. */
function changedHosts(staged: GatewayConfig, applied: GatewayConfig | null) {
  const before = appliedHosts(applied);
  return staged.hosts.filter((h) => {
    const was = before.get(h.name);
    return !applied || !was || hostIsStaged(h, was) || effectiveIsp(applied, was.isp)?.name !== effectiveIsp(staged, h.isp)?.name;
  });
}

/**
 * The path the kernel predicts for each changed host (`ip route get ... mark M`), next to
 * the one it should take. Only asked where the ISP's mark rule and table already exist:
 * before the first apply (or for a new ISP) the lookup would only say "unreachable".
 */
async function predictions(target: Target, observed: ObservedState, staged: GatewayConfig, applied: GatewayConfig | null): Promise<HostPrediction[]> {
  const ready = (isp: IspConfig) =>
    observed.rules.some((r) => r.fwmark === isp.mark && r.table === isp.routingTable) &&
    observed.routes.some((r) => r.table === isp.routingTable && r.dst === "default");
  const hosts = changedHosts(staged, applied);
  const paths = await predictPaths(target, { ...staged, hosts: hosts.filter((h) => { const isp = effectiveIsp(staged, h.isp); return isp && ready(isp); }) });
  return hosts.flatMap((h): HostPrediction[] => {
    const isp = effectiveIsp(staged, h.isp);
    if (!isp) return [];
    const expected = { table: isp.routingTable, dev: isp.wanInterface, gateway: isp.gatewayAddress, nat: expectedNat(staged, isp, h.address) };
    if (!ready(isp)) return [{ name: h.name, address: h.address, isp: isp.name, expected, matches: false, notYet: `the gateway has no rule and table ${isp.routingTable} for ${isp.name} yet: this apply creates them, then verifies` }];
    const predicted = paths.get(h.address);
    const matches = Boolean(predicted && !predicted.error && predicted.table === expected.table && predicted.dev === expected.dev && predicted.gateway === expected.gateway);
    return [{ name: h.name, address: h.address, isp: isp.name, expected, predicted, matches }];
  });
}

export const GET = withAuth(async () => {
  const config = await loadConfig();
  const v = validateConfig(config);
  if (!v.ok) {
    const issues = v.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    return Response.json({ error: `The staged configuration is not valid, so it cannot be applied: ${issues}` }, { status: 422 });
  }
  const staged = v.config;
  const applied = (await lastApplied())?.config ?? null;
  const managed = resolveTarget();
  const body: PlanPayload = { target: managed.label, stagedChanges: changesSince(applied, staged), planLines: [], predictions: [] };
  try {
    const observed = await observeKernel(managed.target);
    body.planLines = planChanges(render(staged).state, observed, staged).lines;
    body.predictions = await predictions(managed.target, observed, staged, applied);
  } catch (e) {
    body.kernelError = e instanceof Error ? e.message : String(e);
  }
  return Response.json(body, { headers: { "cache-control": "no-store" } });
});
