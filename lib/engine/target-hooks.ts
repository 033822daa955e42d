// What a target Switchyard builds itself (the lab) adds to an apply: the engine defines the
// hooks, the lab registers them (lib/lab/apply-hooks.ts), so the production apply never
// imports the lab. Each entry point that may apply on a lab imports that module once:
// bin/cli.ts, the web's apply route and re-apply actions, the tests' setup (tests/setup.ts).
import type { GatewayConfig } from "@/lib/model";
import type { StepEvent } from "@/lib/net/apply";
import type { Probe } from "@/lib/net/verify";

export interface LabHooks {
  /** before the apply observes the gateway: bring the lab in line with the config, say what it kept */
  beforeApply(config: GatewayConfig, prefix: string, onStep?: (e: StepEvent) => void): Promise<void>;
  /** real traffic from a host's address through the gateway, as the lab's test server sees it */
  probe(prefix: string): Probe;
}

let registered: LabHooks | null = null;

export function registerLabHooks(hooks: LabHooks): void {
  registered = hooks;
}

/** The lab's hooks; an entry point that forgot to register them fails here, before any change. */
export function labHooks(): LabHooks {
  if (!registered) throw new Error('the target is a lab, but the lab\'s apply hooks are not registered: import "@/lib/lab/apply-hooks" at the entry point');
  return registered;
}
