// Which netfilter backend a gateway uses. The setting is "iptables", "nftables" or "auto"
// (absent = auto); auto keeps whatever Switchyard runs on the gateway now and picks nftables
// for a fresh one where `nft` is there: a gateway with Switchyard's iptables chains stays on
// iptables until the admin switches (one apply then moves it, with rollback).
// SWITCHYARD_FIREWALL=iptables|nftables sets what auto picks on this machine (the test matrix).
import { existsSync } from "node:fs";
import type { FirewallBackend, GatewayConfig } from "@/lib/model";
import { BINARIES, run, type Target } from "@/lib/net/exec";
import type { KernelState } from "@/lib/net/types";

const concrete = (v: unknown): FirewallBackend | null => (v === "iptables" || v === "nftables" ? v : null);

let nftPresent: boolean | undefined;
/** What auto picks without looking at the kernel: the environment's choice, else nftables if `nft` is installed. */
export function machineDefaultFirewall(): FirewallBackend {
  const env = concrete(process.env.SWITCHYARD_FIREWALL);
  if (env) return env;
  nftPresent ??= existsSync(BINARIES.nft);
  return nftPresent ? "nftables" : "iptables";
}

/** The backend render uses: the setting, else what the engine resolved auto to, else the machine's default. */
export function firewallOf(config: GatewayConfig): FirewallBackend {
  return concrete(config.settings.firewall) ?? config.firewallResolved ?? machineDefaultFirewall();
}

/** Auto, resolved against what the kernel holds: Switchyard's iptables chains there keep iptables. */
export function resolveFirewall(config: Pick<GatewayConfig, "settings"> | null, observed: Pick<KernelState, "chains">): FirewallBackend {
  const set = concrete(config?.settings.firewall);
  if (set) return set;
  if (concrete(process.env.SWITCHYARD_FIREWALL)) return machineDefaultFirewall();
  if (observed.chains.some((c) => c.table !== "nft")) return "iptables";
  if (observed.chains.some((c) => c.table === "nft")) return "nftables";
  return machineDefaultFirewall();
}

/** The config with auto resolved (for render): unchanged when the setting names a backend. */
export function withResolvedFirewall(config: GatewayConfig, observed: Pick<KernelState, "chains">): GatewayConfig {
  if (concrete(config.settings.firewall) || config.firewallResolved) return config;
  return { ...config, firewallResolved: resolveFirewall(config, observed) };
}

/**
 * Auto resolved on the gateway itself, before render: one read-only process
 * (`iptables-save -t mangle`), and only when the setting is auto, the environment names no
 * backend and `nft` is installed.
 */
export async function resolveFirewallOn(target: Target, config: GatewayConfig): Promise<GatewayConfig> {
  if (concrete(config.settings.firewall) || config.firewallResolved) return config;
  if (concrete(process.env.SWITCHYARD_FIREWALL) || machineDefaultFirewall() === "iptables") return { ...config, firewallResolved: machineDefaultFirewall() };
  const save = await run(target, "iptables-save", ["-t", "mangle"], { allowFailure: true });
  return { ...config, firewallResolved: /^:SWYD-/m.test(save.stdout) ? "iptables" : "nftables" };
}
