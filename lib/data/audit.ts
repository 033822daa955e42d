// The audit log: who changed what, with the values before and after.
import { db } from "@/lib/db";

export interface Actor {
  username: string;
  clientIp?: string;
}

type Tx = Pick<typeof db, "auditEvent">;

export async function recordAudit(
  tx: Tx, actor: Actor, action: string, target: string,
  before: unknown, after: unknown, result = "ok",
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actor: actor.username, clientIp: actor.clientIp ?? "", action, target, result,
      before: before == null ? null : JSON.stringify(before),
      after: after == null ? null : JSON.stringify(after),
    },
  });
}

export async function listAudit(limit = 200) {
  return db.auditEvent.findMany({ orderBy: { id: "desc" }, take: limit });
}
