// The answer of GET /api/plan (lib/engine/plan-preview.ts), as the dashboard's plan view shows it.
// Types only: safe to import anywhere, the browser's code too.
import type { Override } from "@/lib/net/lint";
import type { ConfigChange } from "@/lib/config-diff";
import type { PlanLine } from "@/lib/net/plan";

export interface HostPrediction {
  name: string;
  address: string;
  isp: string;
  expected: { table: number; dev: string; gateway: string; nat: string };
  predicted?: { table?: number; dev?: string; gateway?: string; error?: string };
  matches: boolean;
  /** set when the kernel cannot be asked yet: the ISP's mark rule or table only exists after this apply */
  notYet?: string;
}

export interface PlanPayload {
  target: string;
  stagedChanges: ConfigChange[];
  planLines: PlanLine[];
  /** the hosts whose assignment is staged, with the path the kernel predicts for them */
  predictions: HostPrediction[];
  /** set when the gateway could not be read: the plan and predictions are then empty */
  kernelError?: string;
  /** foreign objects that would override the staged config, with the hosts each affects */
  overrides?: Override[];
  /** WAN links that are down: their routes wait, their hosts have no path */
  downLinks?: string[];
  /** a failover in force (the monitor reports an ISP down): the hosts the apply runs on their backup, "desk fiber -> lte" */
  failover?: string[];
}
