// The intent record of an apply in progress (see ApplyIntent in prisma/schema.prisma):
// written before the first kernel change, moved forward after each step, deleted in
// the transaction that records the revision. What is left after a crash is exactly
// what lib/engine/recovery.ts needs: the target, the config, the snapshot from before.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
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
      pid: me.pid, pidStart: me.pidStart, actor: a.actor.username, source: a.source,
      target: JSON.stringify(a.managed), config: JSON.stringify(a.config), before: JSON.stringify(a.before),
    },
  });
  return row.id;
}

export async function intentReached(id: number, step: IntentStep): Promise<void> {
  await db.applyIntent.updateMany({ where: { id }, data: { step } });
}

/**
 * Test-only kill point: SWITCHYARD_TEST_PAUSE_AFTER=<step> stops this process after
 * that step (precheck: the intent is written, nothing changed yet; routing, iptables,
 * cleanup, conntrack; verify: verified, not yet recorded), writes {pid, step} to
 * SWITCHYARD_TEST_PAUSE_FILE and waits there for the test to SIGKILL it; with
 * SWITCHYARD_TEST_PAUSE_RESUME=1, until the test deletes that file (it changed the world
 * meanwhile: filled the disk), then goes on.
 */
export async function testPause(step: string, env = process.env): Promise<void> {
  if (!env.SWITCHYARD_TEST_PAUSE_AFTER || env.SWITCHYARD_TEST_PAUSE_AFTER !== step || !env.SWITCHYARD_TEST_PAUSE_FILE) return;
  const file = env.SWITCHYARD_TEST_PAUSE_FILE;
  await writeFile(file, JSON.stringify({ pid: process.pid, step }));
  if (env.SWITCHYARD_TEST_PAUSE_RESUME !== "1") await new Promise(() => setInterval(() => undefined, 1000));
  while (existsSync(file)) await new Promise((r) => setTimeout(r, 50));
}
