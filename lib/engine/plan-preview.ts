// What "Apply & verify" would do, before it does it (GET /api/plan): the staged changes in
// words, the kernel commands (desired vs what the gateway has now), for each host whose ISP
// changes the path a route lookup predicts next to the one it should get, the foreign objects
// that would override the staged config, and WAN links that are down.
import { withResolvedFirewall } from "@/lib/net/firewall";
import type { HostPrediction, PlanPayload } from "./plan-types";
import type { GatewayConfig, IspConfig } from "@/lib/model";
import type { Target } from "@/lib/net/exec";
import { lintOverrides } from "@/lib/net/lint";
import { observeKernel, type ObservedState } from "@/lib/net/observe";
import { planChanges } from "@/lib/net/plan";
import { listFlows, OWNED_SYSCTLS, sysctlChanges, sysctlLine } from "@/lib/net/apply";
import { parseSysctl } from "@/lib/net/parse/sysctl";
import { run } from "@/lib/net/exec";
import { render } from "@/lib/net/render";
import { expectedPath, pathMatches, predictPaths, primaryIsp } from "@/lib/net/verify";
import { appliedHosts, changesSince, hostIsStaged } from "./staged";
import { loadStagedTakeover } from "@/lib/adopt/store";
import { planTakeover, withTakeover } from "@/lib/adopt/takeover";
import type { ManagedTarget } from "./target";
import { runningConfig, withHealth } from "./running";

/** Hosts whose ISP changes with this apply: staged ones, and unassigned ones whose default ISP changed. */
function changedHosts(staged: GatewayConfig, applied: GatewayConfig | null) {
  const before = appliedHosts(applied);
  return staged.hosts.filter((h) => {
    const was = before.get(h.name);
    return !applied || !was || hostIsStaged(h, was) || primaryIsp(applied, was)?.name !== primaryIsp(staged, h)?.name;
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
  const paths = await predictPaths(target, {
    ...staged,
    hosts: hosts.filter((h) => {
      const isp = primaryIsp(staged, h);
      return isp && ready(isp);
    }),
  });
  return hosts.flatMap((h): HostPrediction[] => {
    const isp = primaryIsp(staged, h);
    if (!isp) return [];
    const expected = expectedPath(staged, isp, h.address);
    if (!ready(isp))
      return [
        {
          name: h.name,
          address: h.address,
          isp: isp.name,
          expected,
          matches: false,
          notYet: `the gateway has no rule and table ${isp.routingTable} for ${isp.name} yet: this apply creates them, then verifies`,
        },
      ];
    const predicted = paths.get(h.address);
    return [{ name: h.name, address: h.address, isp: isp.name, expected, predicted, matches: pathMatches(predicted, expected) }];
  });
}

export async function planPreview(managed: ManagedTarget, userStaged: GatewayConfig, applied: GatewayConfig | null): Promise<PlanPayload> {
  const body: PlanPayload = { target: managed.label, stagedChanges: changesSince(applied, userStaged), planLines: [], predictions: [] };
  try {
    // what the apply will run: dynamic ISPs as the kernel shows them now, the failover in force (lib/engine/running.ts)
    const running = await runningConfig(userStaged, managed.target, applied);
    const [observed, flows, sysctls] = await Promise.all([
      observeKernel(managed.target),
      listFlows(managed.target, userStaged),
      run(managed.target, "sysctl", Object.keys(OWNED_SYSCTLS), { allowFailure: true }),
    ]);
    const staged = withResolvedFirewall(running.config, observed);
    // with the open connections an apply would clear (their mark is another ISP's than their host's now)
    const desired = render(staged).state;
    let plan = planChanges(desired, observed, staged, flows);
    // an adopted configuration's staged take over: "replaced: old -> Switchyard's" lines
    const takeover = await loadStagedTakeover();
    if (takeover) plan = withTakeover(plan, planTakeover(takeover, observed, desired));
    // the sysctls Switchyard owns that the apply will set (src_valid_mark), first
    body.planLines = [...sysctlChanges(parseSysctl(sysctls.stdout)).map(sysctlLine), ...plan.lines];
    if (running.moved.length) body.failover = running.moved;
    body.downLinks = plan.downLinks;
    body.overrides = lintOverrides(staged, observed);
    body.predictions = await predictions(managed.target, observed, staged, applied && withHealth(applied, running.health));
  } catch (e) {
    body.kernelError = e instanceof Error ? e.message : String(e);
  }
  return body;
}
