import type { GatewayConfig } from "@/lib/model";
import type { KernelState } from "@/lib/net/types";
import { renderKernelState } from "./state";
import { renderIptablesRestore, renderScript } from "./text";

export interface Rendered {
  state: KernelState;
  script: string;
  iptablesRestore: string;
}

export function render(config: GatewayConfig): Rendered {
  const state = renderKernelState(config);
  return { state, script: renderScript(state), iptablesRestore: renderIptablesRestore(state.chains) };
}

export { activeIsps, defaultIsp, effectiveIsp, CHAINS, HOOKS, PRIO, MAIN_TABLE } from "./state";
export { renderIptablesRestore, renderScript, routeArgs, ruleArgs } from "./text";
