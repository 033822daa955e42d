// "Without take over, the old objects stay": which hosts they would still steer once the
// adopted configuration runs. The override lint (lib/net/lint.ts) reads a gateway that runs
// Switchyard; before the first apply there are no own rules and hooks yet, so they are put
// where the apply puts them (jumps first, the mark re-assertion last) before linting. Pure.
import type { GatewayConfig } from "@/lib/model";
import { lintOverrides, type Override } from "@/lib/net/lint";
import type { ObservedState } from "@/lib/net/observe";
import { render } from "@/lib/net/render";

export function overridesWithoutTakeover(config: GatewayConfig, observed: ObservedState): Override[] {
  const desired = render(config).state;
  const builtins = observed.builtins.map((c) => {
    const hooks = desired.hooks.filter((h) => h.table === c.table && h.chain === c.name);
    const rules = c.rules.filter((r) => !hooks.some((h) => h.spec === r.spec));
    return {
      ...c,
      rules: [...hooks.filter((h) => !h.last).map((h) => ({ spec: h.spec })), ...rules, ...hooks.filter((h) => h.last).map((h) => ({ spec: h.spec }))],
    };
  });
  return lintOverrides(config, { ...observed, rules: desired.rules, routes: desired.routes, chains: desired.chains, builtins });
}
