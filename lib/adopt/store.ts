// Staging an adopted configuration: it replaces the staged configuration through the same
// validation as every config write (lib/data/config.ts replaceConfig: all or nothing), and,
// with "take over", the list of old objects the next apply replaces is stored beside it in
// the same transaction, with its audit event. The next apply that verifies consumes it
// (lib/engine/service.ts).
import { db } from "@/lib/db";
import { recordAudit, type Actor } from "@/lib/data/audit";
import { replaceConfig, type ImportResult, type Tx } from "@/lib/data/config";
import type { GatewayConfig } from "@/lib/model";
import type { Takeover, TakeoverItem } from "./types";

export async function stageAdoption(config: GatewayConfig, opts: { actor: Actor; source: string; takeover: TakeoverItem[] | null }): Promise<ImportResult> {
  return replaceConfig(config, async (tx) => {
    await tx.stagedTakeover.deleteMany();
    if (opts.takeover?.length)
      await tx.stagedTakeover.create({ data: { id: 1, actor: opts.actor.username, source: opts.source, items: JSON.stringify(opts.takeover) } });
    await recordAudit(tx, opts.actor, "config.adopt", opts.source, null, {
      isps: config.isps.length,
      natAddresses: config.natAddresses.length,
      hosts: config.hosts.length,
      takeover: opts.takeover?.filter((t) => !t.keep).length ?? 0,
      kept: opts.takeover?.filter((t) => t.keep).length ?? 0,
    });
  });
}

/** The staged take over, or null (none, or one that cannot be read: nothing is removed then). */
export async function loadStagedTakeover(tx: Pick<Tx, "stagedTakeover"> = db): Promise<(Takeover & { actor: string; createdAt: Date }) | null> {
  const row = await tx.stagedTakeover.findUnique({ where: { id: 1 } });
  if (!row) return null;
  try {
    const items = JSON.parse(row.items) as TakeoverItem[];
    return Array.isArray(items) ? { source: row.source, items, actor: row.actor, createdAt: row.createdAt } : null;
  } catch {
    return null;
  }
}

/** Keep the adopted configuration, but leave the old objects where they are. */
export async function dropStagedTakeover(actor: Actor): Promise<boolean> {
  const { count } = await db.stagedTakeover.deleteMany();
  if (count) await recordAudit(db, actor, "config.adopt.drop-takeover", "", null, null);
  return count > 0;
}
