// Host writes. Each one builds the configuration that would result, validates
// all of it, and only then writes (in one transaction, with its audit row).
// A pinned NAT address points at the host's row, so it follows an address
// change in the database by itself; the candidate config follows it explicitly.
import { db } from "@/lib/db";
import type { HostConfig } from "@/lib/model";
import type { HostInput } from "@/lib/validation";
import { checkedChange, ispRowId, notFound, policyRowId, stage, type ChangeResult } from "./config";
import { recordAudit, type Actor } from "./audit";

export async function createHost(input: HostInput, actor: Actor): Promise<ChangeResult> {
  const loaded = await stage();
  const { next } = loaded;
  next.hosts.push(withoutDefaults(input));
  return checkedChange(next, { collection: "hosts", index: next.hosts.length - 1 }, () =>
    db.$transaction(async (tx) => {
      await tx.host.create({ data: { name: input.name, address: input.address, mac: input.mac, notes: input.notes, ispId: ispRowId(loaded, input.isp), policyId: policyRowId(loaded, input.policy) } });
      await recordAudit(tx, actor, "host.create", input.name, null, input);
    }),
  );
}

/** A new address carries its pinned NAT address along. */
export async function updateHost(id: number, input: HostInput, actor: Actor): Promise<ChangeResult> {
  const loaded = await stage("hosts", id);
  const { index, next } = loaded;
  if (index < 0) return notFound("host");
  const before: HostConfig = loaded.config.hosts[index];
  next.hosts[index] = withoutDefaults(input);
  for (const n of next.natAddresses) if (n.host === before.address) n.host = input.address;
  return checkedChange(next, { collection: "hosts", index }, () =>
    db.$transaction(async (tx) => {
      await tx.host.update({ where: { id }, data: { name: input.name, address: input.address, mac: input.mac, notes: input.notes, ispId: ispRowId(loaded, input.isp), policyId: policyRowId(loaded, input.policy) } });
      await recordAudit(tx, actor, "host.update", input.name, before, input);
    }),
  );
}

/** Its pinned NAT address stays, unpinned. */
export async function deleteHost(id: number, actor: Actor): Promise<ChangeResult> {
  const { config, index, next } = await stage("hosts", id);
  if (index < 0) return { ok: true };
  const gone = config.hosts[index];
  next.hosts.splice(index, 1);
  for (const n of next.natAddresses) if (n.host === gone.address) n.host = null;
  return checkedChange(next, { collection: "hosts", index: -1 }, () =>
    db.$transaction(async (tx) => {
      await tx.natAddress.updateMany({ where: { hostId: id }, data: { hostId: null } });
      await tx.host.delete({ where: { id } });
      await recordAudit(tx, actor, "host.delete", gone.name, gone, null);
    }),
  );
}

/** A host as the config holds it: no policy field when it has none. */
function withoutDefaults(h: HostInput): HostConfig {
  const { policy, ...rest } = h;
  return policy ? { ...rest, policy } : rest;
}

/** What a host uses: one ISP, one policy, or neither (null: the default, i.e. "everyone else"). */
export type Assignment = { isp: string } | { policy: string } | null;

/** Move a host to an ISP or a policy (null: back to the default), e.g. by drag and drop. */
export async function assignHost(hostId: number, to: Assignment | string | null, actor: Actor): Promise<ChangeResult> {
  const want: Assignment = typeof to === "string" ? { isp: to } : to;
  const loaded = await stage("hosts", hostId);
  const { index, next } = loaded;
  if (index < 0) return notFound("host");
  const before = loaded.config.hosts[index];
  const isp = want && "isp" in want ? want.isp : null;
  const policy = want && "policy" in want ? want.policy : null;
  if (before.isp === isp && (before.policy ?? null) === policy) return { ok: true };
  const { policy: _old, ...rest } = next.hosts[index];
  void _old;
  next.hosts[index] = policy ? { ...rest, isp: null, policy } : { ...rest, isp };
  return checkedChange(next, { collection: "hosts", index }, () =>
    db.$transaction(async (tx) => {
      await tx.host.update({ where: { id: hostId }, data: { ispId: ispRowId(loaded, isp), policyId: policyRowId(loaded, policy) } });
      await recordAudit(tx, actor, "host.assign", before.name, { isp: before.isp, policy: before.policy ?? null }, { isp, policy });
    }),
  );
}
