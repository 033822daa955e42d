// ISP writes. Each one builds the configuration that would result, validates
// all of it, and only then writes (in one transaction where it takes several rows).
import { db } from "@/lib/db";
import type { IspConfig } from "@/lib/model";
import type { IspInput } from "@/lib/validation";
import { isDynamicIsp } from "@/lib/validation/entities";
import { checkedChange, ispRow, notFound, stage, type ChangeResult } from "./config";
import { recordAudit, type Actor } from "./audit";
import { followRename, writeLans } from "./lans";
import { renameHealthRow, storedHealthSettings, writeHealthRow } from "./health-settings";
import type { HealthFields } from "@/lib/validation/health";
import { writeCap, type CapWrite } from "./caps";
import { renameUsageRows } from "@/lib/usage/caps";

/**
 * The ISP form's health checks, written in the ISP's own transaction (nothing half saved):
 * undefined leaves them as they are, null means the defaults (no row), fields are stored.
 * Not staged: a running monitor uses them within a second.
 */
export type IspHealthWrite = HealthFields | null | undefined;

async function writeHealth(tx: Parameters<Parameters<typeof db.$transaction>[0]>[0], actor: Actor, isp: string, health: IspHealthWrite) {
  if (health === undefined) return;
  const before = (await storedHealthSettings(tx)).stored.get(isp) ?? null;
  if (JSON.stringify(before) === JSON.stringify(health)) return;
  await writeHealthRow(tx, isp, health);
  await recordAudit(tx, actor, health ? "health.set" : "health.reset", isp, before, health);
}

export async function createIsp(input: IspInput, actor: Actor, health?: IspHealthWrite, cap?: CapWrite): Promise<ChangeResult> {
  const { next } = await stage();
  next.isps.push(input);
  // A new static ISP NATs to its own link address until the admin adds others (a dynamic one to its current address).
  const withLink = input.natMode === "SNAT" && !isDynamicIsp(input);
  if (withLink) next.natAddresses.push({ address: input.linkAddress, isp: input.name, isDefault: true, host: null });
  return checkedChange(next, { collection: "isps", index: next.isps.length - 1 }, () =>
    db.$transaction(async (tx) => {
      const isp = await tx.isp.create({ data: ispRow(input) });
      if (withLink) await tx.natAddress.create({ data: { address: input.linkAddress, ispId: isp.id, isDefault: true } });
      await recordAudit(tx, actor, "isp.create", input.name, null, input);
      // a row left by an ISP of this name deleted outside Switchyard's writes is not inherited
      await writeHealth(tx, actor, input.name, health ?? null);
      await tx.ispCap.deleteMany({ where: { isp: input.name } });
      await writeCap(tx, actor, input.name, cap ?? null);
    }),
  );
}

/** Rename and re-address follow through: hosts, NAT addresses and the default ISP keep pointing at it. */
export async function updateIsp(id: number, input: IspInput, actor: Actor, health?: IspHealthWrite, cap?: CapWrite): Promise<ChangeResult> {
  const { config, index, next } = await stage("isps", id);
  if (index < 0) return notFound("ISP");
  const before: IspConfig = config.isps[index];
  next.isps[index] = input;
  for (const h of next.hosts) if (h.isp === before.name) h.isp = input.name;
  for (const n of next.natAddresses) if (n.isp === before.name) n.isp = input.name;
  if (next.settings.defaultIsp === before.name) next.settings.defaultIsp = input.name;
  const lansFollow = before.name !== input.name && followRename(next, "defaultIsp", before.name, input.name);
  for (const p of next.policies ?? []) {
    for (const m of p.members) if (m.isp === before.name) m.isp = input.name;
    if (p.lastResort === before.name) p.lastResort = input.name;
  }
  const followLink = isDynamicIsp(input) ? undefined : next.natAddresses.find((n) => n.isp === input.name && n.isDefault && n.address === before.linkAddress);
  if (followLink) followLink.address = input.linkAddress;
  const needsDefault = input.natMode === "SNAT" && !isDynamicIsp(input) && !next.natAddresses.some((n) => n.isp === input.name && n.isDefault);
  if (needsDefault) next.natAddresses.push({ address: input.linkAddress, isp: input.name, isDefault: true, host: null });
  return checkedChange(next, { collection: "isps", index }, () =>
    db.$transaction(async (tx) => {
      await tx.isp.update({ where: { id }, data: ispRow(input) });
      if (followLink) await tx.natAddress.updateMany({ where: { ispId: id, isDefault: true, address: before.linkAddress }, data: { address: input.linkAddress } });
      if (needsDefault) await tx.natAddress.create({ data: { address: input.linkAddress, ispId: id, isDefault: true } });
      await recordAudit(tx, actor, "isp.update", input.name, before, input);
      await renameHealthRow(tx, before.name, input.name);
      await renameUsageRows(tx, before.name, input.name);
      if (lansFollow) await writeLans(tx, next.settings.lans);
      await writeHealth(tx, actor, input.name, health);
      await writeCap(tx, actor, input.name, cap);
    }),
  );
}

/** Its hosts fall back to the default ISP; its NAT addresses go with it; policies drop it (a policy it was the only ISP of is in the way). */
export async function deleteIsp(id: number, actor: Actor): Promise<ChangeResult> {
  const { config, index, next } = await stage("isps", id);
  if (index < 0) return { ok: true };
  const gone = config.isps[index];
  next.isps.splice(index, 1);
  next.natAddresses = next.natAddresses.filter((n) => n.isp !== gone.name);
  for (const h of next.hosts) if (h.isp === gone.name) h.isp = null;
  if (next.settings.defaultIsp === gone.name) next.settings.defaultIsp = null;
  const lansFollow = followRename(next, "defaultIsp", gone.name, null);
  for (const p of next.policies ?? []) {
    p.members = p.members.filter((m) => m.isp !== gone.name);
    if (p.lastResort === gone.name) p.lastResort = null;
  }
  const orphan = (next.policies ?? []).find((p) => p.members.length === 0);
  if (orphan) return { ok: false, errors: { _form: [`${gone.name} is the only ISP of policy ${orphan.name}: change or delete that policy first`] } };
  return checkedChange(next, { collection: "isps", index: -1 }, () =>
    db.$transaction(async (tx) => {
      await tx.isp.delete({ where: { id } });
      await tx.ispHealthSettings.deleteMany({ where: { isp: gone.name } });
      await tx.ispCap.deleteMany({ where: { isp: gone.name } });
      if (lansFollow) await writeLans(tx, next.settings.lans);
      await recordAudit(tx, actor, "isp.delete", gone.name, gone, null);
    }),
  );
}
