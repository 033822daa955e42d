// NAT address writes. Each one builds the configuration that would result,
// validates all of it, and only then writes in one transaction with its audit
// row. An ISP has at most one default address: making one the default demotes
// the previous one, in the candidate config and in the same transaction.
import { db } from "@/lib/db";
import type { GatewayConfig, NatAddressConfig } from "@/lib/model";
import type { NatAddressInput } from "@/lib/validation";
import { checkedChange, ispRowId, notFound, stage, type ChangeResult, type ConfigWithIds } from "./config";
import { recordAudit, type Actor } from "./audit";

/** Row ids for the ISP and the pinned host an input names. Only called after validation. */
function rowIds(loaded: ConfigWithIds, input: NatAddressInput) {
  const { config, ids } = loaded;
  return {
    ispId: ispRowId(loaded, input.isp)!,
    hostId: input.host ? ids.hosts[config.hosts.findIndex((h) => h.address === input.host)] : null,
  };
}

/** The ISP's other addresses stop being its default when this one becomes it. */
function demoteOthers(next: GatewayConfig, index: number) {
  const n = next.natAddresses[index];
  if (!n.isDefault) return;
  next.natAddresses.forEach((o, j) => {
    if (j !== index && o.isp === n.isp) o.isDefault = false;
  });
}

export async function createNatAddress(input: NatAddressInput, actor: Actor): Promise<ChangeResult> {
  const loaded = await stage();
  const { next } = loaded;
  next.natAddresses.push(input);
  const index = next.natAddresses.length - 1;
  demoteOthers(next, index);
  return checkedChange(next, { collection: "natAddresses", index }, () =>
    db.$transaction(async (tx) => {
      const { ispId, hostId } = rowIds(loaded, input);
      if (input.isDefault) await tx.natAddress.updateMany({ where: { ispId, isDefault: true }, data: { isDefault: false } });
      await tx.natAddress.create({ data: { address: input.address, isDefault: input.isDefault, ispId, hostId } });
      await recordAudit(tx, actor, "nat.create", input.address, null, input);
    }),
  );
}

export async function updateNatAddress(id: number, input: NatAddressInput, actor: Actor): Promise<ChangeResult> {
  const loaded = await stage("natAddresses", id);
  const { index, next } = loaded;
  if (index < 0) return notFound("NAT address");
  const before: NatAddressConfig = loaded.config.natAddresses[index];
  next.natAddresses[index] = input;
  demoteOthers(next, index);
  return checkedChange(next, { collection: "natAddresses", index }, () =>
    db.$transaction(async (tx) => {
      const { ispId, hostId } = rowIds(loaded, input);
      if (input.isDefault) await tx.natAddress.updateMany({ where: { ispId, isDefault: true, id: { not: id } }, data: { isDefault: false } });
      await tx.natAddress.update({ where: { id }, data: { address: input.address, isDefault: input.isDefault, ispId, hostId } });
      await recordAudit(tx, actor, "nat.update", input.address, before, input);
    }),
  );
}

/** Refused when it is the only default of an SNAT ISP (the whole-config validation says why). */
export async function deleteNatAddress(id: number, actor: Actor): Promise<ChangeResult> {
  const { config, index, next } = await stage("natAddresses", id);
  if (index < 0) return { ok: true };
  const gone = config.natAddresses[index];
  next.natAddresses.splice(index, 1);
  return checkedChange(next, { collection: "natAddresses", index: -1 }, () =>
    db.$transaction(async (tx) => {
      await tx.natAddress.delete({ where: { id } });
      await recordAudit(tx, actor, "nat.delete", gone.address, gone, null);
    }),
  );
}
