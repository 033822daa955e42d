// The LANs beside the main one (settings.lans): add, change, remove, each validated with the
// whole configuration that would result (a LAN whose subnet overlaps another, or whose removal
// strands hosts, is refused at the field), written with its audit row in one transaction.
import { db } from "@/lib/db";
import type { GatewayConfig, LanConfig } from "@/lib/model";
import { describePath, lanSchema, validateConfig, type FieldErrors, type LanInput } from "@/lib/validation";
import { recordAudit, type Actor } from "./audit";
import { checkOnly, lansJson, stage, type ChangeResult, type Tx } from "./config";

/** A LAN as the configuration holds it: defaults left out when they follow the gateway's. */
export function lanOf(input: LanInput): LanConfig {
  return {
    name: input.name, interface: input.interface, subnets: input.subnets,
    ...(input.subnets6?.length ? { subnets6: input.subnets6 } : {}),
    ...(input.defaultIsp ? { defaultIsp: input.defaultIsp } : {}),
    ...(input.defaultPolicy ? { defaultPolicy: input.defaultPolicy } : {}),
  };
}

/** Issues of the whole configuration, at the edited LAN's fields where they are its own. */
function errorsFor(config: GatewayConfig, index: number, issues: { path: (string | number)[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const [c, s, i, f] = issue.path;
    const mine = c === "settings" && s === "lans" && i === index && typeof f === "string";
    const key = mine ? f : "_form";
    const where = c === "settings" && s === "lans" && typeof i === "number" ? `LAN ${config.settings.lans?.[i]?.name ?? `#${i + 1}`}` : describePath(issue.path, config);
    (out[key] ??= []).push(mine ? issue.message : `${where}: ${issue.message}`);
  }
  return out;
}

async function save(next: GatewayConfig, index: number, actor: Actor, action: string, subject: string, before: unknown, after: unknown): Promise<ChangeResult> {
  const r = validateConfig(next);
  if (!r.ok) return { ok: false, errors: errorsFor(next, index, r.issues) };
  if (checkOnly.getStore()) return { ok: true };
  await db.$transaction(async (tx) => {
    await writeLans(tx, next.settings.lans);
    await recordAudit(tx, actor, action, subject, before, after);
  });
  return { ok: true };
}

export async function writeLans(tx: Tx, lans: GatewayConfig["settings"]["lans"]): Promise<void> {
  await tx.settings.update({ where: { id: 1 }, data: { lans: lansJson(lans) } });
}

export async function addLan(input: LanInput, actor: Actor): Promise<ChangeResult> {
  const { next } = await stage();
  const lan = lanOf(lanSchema.parse(input));
  next.settings.lans = [...(next.settings.lans ?? []), lan];
  return save(next, next.settings.lans.length - 1, actor, "lan.create", lan.name, null, lan);
}

/** A rename keeps the canary's reserved address for it. */
export async function updateLan(name: string, input: LanInput, actor: Actor): Promise<ChangeResult> {
  const { next } = await stage();
  const index = (next.settings.lans ?? []).findIndex((l) => l.name === name);
  if (index < 0) return { ok: false, errors: { _form: [`There is no LAN named ${name}`] } };
  const before = next.settings.lans![index];
  const lan = lanOf(lanSchema.parse(input));
  next.settings.lans![index] = lan;
  const reserved = next.settings.canary?.addresses;
  if (reserved && before.name !== lan.name && reserved[`lan:${before.name}`]) {
    reserved[`lan:${lan.name}`] = reserved[`lan:${before.name}`];
    delete reserved[`lan:${before.name}`];
  }
  return save(next, index, actor, "lan.update", lan.name, before, lan);
}

/** Refused while hosts sit in its subnets (they would be on no LAN): move or delete them first. */
export async function deleteLan(name: string, actor: Actor): Promise<ChangeResult> {
  const { next } = await stage();
  const index = (next.settings.lans ?? []).findIndex((l) => l.name === name);
  if (index < 0) return { ok: true };
  const [gone] = next.settings.lans!.splice(index, 1);
  if (next.settings.lans!.length === 0) delete next.settings.lans;
  return save(next, -1, actor, "lan.delete", gone.name, gone, null);
}

/** An ISP or a policy renamed or deleted: the LANs that name it as their default follow (deleted: back to the gateway's default). */
export function followRename(next: GatewayConfig, field: "defaultIsp" | "defaultPolicy", from: string, to: string | null): boolean {
  let changed = false;
  for (const lan of next.settings.lans ?? []) {
    if (lan[field] !== from) continue;
    changed = true;
    if (to) lan[field] = to;
    else delete lan[field];
  }
  return changed;
}
