// The intent record of an apply in progress (see ApplyIntent in prisma/schema.prisma):
// written before the first kernel change, moved forward after each step, deleted in
// the transaction that records the revision. What is left after a crash is exactly
// what lib/engine/recovery.ts needs: the target, the config, the snapshot from before.
import { db } from "@/lib/db";
import type { Actor } from "@/lib/data/audit";
import type { GatewayConfig } from "@/lib/model";
import type { ObservedState } from "@/lib/net/observe";
import type { ManagedTarget } from "./target";
import { currentProcess } from "./lock";

export type IntentStep = "intent" | "precheck" | "sysctls" | "routing" | "firewall" | "cleanup" | "takeover" | "conntrack" | "verified";

export async function writeIntent(a: { actor: Actor; source: string; managed: ManagedTarget; config: GatewayConfig; before: ObservedState }): Promise<number> {
  const me = currentProcess();
  const row = await db.applyIntent.create({
    data: {
      pid: me.pid,
      pidStart: me.pidStart,
      actor: a.actor.username,
      source: a.source,
      target: JSON.stringify(a.managed),
      config: JSON.stringify(a.config),
      before: JSON.stringify(a.before),
    },
  });
  return row.id;
}

export async function intentReached(id: number, step: IntentStep): Promise<void> {
  await db.applyIntent.updateMany({ where: { id }, data: { step } });
}
