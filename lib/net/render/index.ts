// render: config -> the desired kernel state (routing, then the chosen firewall backend's
// part), and its text forms. Pure and deterministic once the backend is resolved (the config's
// firewallResolved, set by lib/net/firewall/detect.ts before render).
import type { FirewallBackend, GatewayConfig } from "@/lib/model";
import { firewallFor, firewallOf } from "@/lib/net/firewall";
import { renderRouting } from "@/lib/net/routing/render";
import type { KernelState } from "@/lib/net/types";
import { withCanaryHosts } from "@/lib/net/canary/slots";
import { renderScript } from "./script";

export interface Rendered {
  state: KernelState;
  firewall: FirewallBackend;
  script: string;
  /** the netfilter part as applied to a gateway without it: iptables-restore input, or the nft -f input */
  firewallInput: string;
}

export function renderKernelState(config: GatewayConfig): KernelState {
  return { ...renderRouting(config), ...firewallFor(firewallOf(config)).render(config) };
}

export function render(config: GatewayConfig): Rendered {
  // the canary's slots are in the host map like hosts (lib/net/canary/slots.ts)
  const state = renderKernelState(withCanaryHosts(config));
  const firewall = firewallFor(firewallOf(config));
  return { state, firewall: firewall.name, script: renderScript(state, firewall), firewallInput: firewall.fullInput(state) };
}

export { activeIspsOf as activeIsps, defaultIspOf as defaultIsp } from "./targets";
export { CHAINS } from "@/lib/net/firewall";
export { MAIN_TABLE, PRIO } from "@/lib/net/routing/render";
export { renderScript } from "./script";
export { routeArgs, ruleArgs } from "@/lib/net/routing/text";
