import type { FirewallBackend, GatewayConfig } from "@/lib/model";
import { firewallOf } from "@/lib/net/firewall";
import type { KernelState } from "@/lib/net/types";
import { renderKernelState } from "./state";
import { withCanaryHosts } from "@/lib/net/canary/slots";
import { renderIptablesRestore, renderNftReplace, renderScript } from "./text";

export interface Rendered {
  state: KernelState;
  firewall: FirewallBackend;
  script: string;
  /** the netfilter part as applied to a gateway without it: iptables-restore input, or the nft -f input */
  firewallInput: string;
}

export function render(config: GatewayConfig): Rendered {
  // the canary's slots are in the host map like hosts (lib/net/canary/slots.ts)
  const state = renderKernelState(withCanaryHosts(config));
  const firewall = firewallOf(config);
  return { state, firewall, script: renderScript(state), firewallInput: firewall === "nftables" ? renderNftReplace(state) : renderIptablesRestore(state.chains) };
}

export { activeIsps, defaultIsp, effectiveIsp, CHAINS, HOOKS, PRIO, MAIN_TABLE } from "./state";
export { renderIptablesRestore, renderScript, routeArgs, ruleArgs } from "./text";
