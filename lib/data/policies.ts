// Policy writes (failover orders, balanced groups). Each one builds the configuration
// that would result, validates all of it, and only then writes, in one transaction
// with its audit row. Members refer to ISP rows, so an ISP rename follows by itself.
import { db } from "@/lib/db";
import type { PolicyConfig } from "@/lib/model";
import type { PolicyInput } from "@/lib/validation";
import { checkedChange, notFound, policyRow, stage, type ChangeResult, type ConfigWithIds } from "./config";
import { followRename, writeLans } from "./lans";
import { recordAudit, type Actor } from "./audit";

const ispIdsOf = ({ config, ids }: ConfigWithIds) => new Map(config.isps.map((i, n) => [i.name, ids.isps[n]]));

export async function createPolicy(input: PolicyInput, actor: Actor): Promise<ChangeResult> {
  const loaded = await stage();
  const { next } = loaded;
  next.policies = [...(next.policies ?? []), input];
  return checkedChange(next, { collection: "policies", index: next.policies.length - 1 }, () =>
    db.$transaction(async (tx) => {
      await tx.policy.create({ data: policyRow(input, ispIdsOf(loaded)) });
      await recordAudit(tx, actor, "policy.create", input.name, null, input);
    }),
  );
}

/** A rename follows through: its hosts and "everyone else" keep using it. */
export async function updatePolicy(id: number, input: PolicyInput, actor: Actor): Promise<ChangeResult> {
  const loaded = await stage("policies", id);
  const { index, next } = loaded;
  if (index < 0) return notFound("policy");
  const before: PolicyConfig = loaded.config.policies![index];
  next.policies![index] = input;
  for (const h of next.hosts) if (h.policy === before.name) h.policy = input.name;
  if (next.settings.defaultPolicy === before.name) next.settings.defaultPolicy = input.name;
  const lansFollow = before.name !== input.name && followRename(next, "defaultPolicy", before.name, input.name);
  return checkedChange(next, { collection: "policies", index }, () =>
    db.$transaction(async (tx) => {
      const row = policyRow(input, ispIdsOf(loaded));
      await tx.policyMember.deleteMany({ where: { policyId: id } });
      await tx.policy.update({ where: { id }, data: row });
      if (lansFollow) await writeLans(tx, next.settings.lans);
      await recordAudit(tx, actor, "policy.update", input.name, before, input);
    }),
  );
}

/** Its hosts go back to the default ("everyone else"); everyone else falls back to the default ISP. */
export async function deletePolicy(id: number, actor: Actor): Promise<ChangeResult> {
  const loaded = await stage("policies", id);
  const { index, next } = loaded;
  if (index < 0) return { ok: true };
  const gone = loaded.config.policies![index];
  next.policies!.splice(index, 1);
  if (next.policies!.length === 0) delete next.policies;
  for (const h of next.hosts) if (h.policy === gone.name) delete h.policy;
  if (next.settings.defaultPolicy === gone.name) delete next.settings.defaultPolicy;
  const lansFollow = followRename(next, "defaultPolicy", gone.name, null);
  return checkedChange(next, { collection: "policies", index: -1 }, () =>
    db.$transaction(async (tx) => {
      await tx.policy.delete({ where: { id } });
      if (lansFollow) await writeLans(tx, next.settings.lans);
      await recordAudit(tx, actor, "policy.delete", gone.name, gone, null);
    }),
  );
}
