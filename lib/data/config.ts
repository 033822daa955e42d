// Loading the staged configuration from the database, and writing a change
// to it only after the whole resulting configuration has been validated.
// Not "server-only": the CLI (config import/export) uses it too.
import { AsyncLocalStorage } from "node:async_hooks";
import { db } from "@/lib/db";
import type { GatewayConfig, GatewaySettings, IspConfig, PolicyConfig } from "@/lib/model";
import { z } from "@/lib/validation/zod";
import { configIssuesForEntity, lanSchema, validateConfig, type ConfigIssue, type FieldErrors } from "@/lib/validation";

export const DEFAULT_SETTINGS = { lanInterface: "lan0", lanSubnets: ["192.168.1.1/24"], defaultIsp: null };

export interface ConfigWithIds {
  config: GatewayConfig;
  ids: { isps: number[]; hosts: number[]; natAddresses: number[]; policies: number[] };
}

/**
 * One read transaction for the reads that make up one configuration (the other queries of a
 * page or an apply may run beside it). SQLite keeps another process's re-stage (a write
 * transaction) from committing while it runs, so every read sees the same commit: without it a
 * NAT address could come from one configuration and its ISP from the next (a crash: the ISP
 * row is gone), or a plan mix the hosts of one with the ISPs of another.
 */
export function readTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  // a write transaction of this process (a large import) may hold the connection for a while
  return db.$transaction(fn, { maxWait: 30_000, timeout: 30_000 });
}

/** The staged configuration with its row ids, read in one transaction (the caller's, when given). */
export async function loadConfigWithIds(tx?: Tx): Promise<ConfigWithIds> {
  return tx ? readConfigWithIds(tx) : readTransaction(readConfigWithIds);
}

async function readConfigWithIds(tx: Tx): Promise<ConfigWithIds> {
  const [isps, hosts, nat, settings, policies] = await Promise.all([
    tx.isp.findMany({ orderBy: { id: "asc" } }),
    tx.host.findMany({ orderBy: { id: "asc" }, include: { isp: true, policy: true } }),
    tx.natAddress.findMany({ orderBy: { id: "asc" }, include: { isp: true, host: true } }),
    tx.settings.findUnique({ where: { id: 1 }, include: { defaultIsp: true, defaultPolicy: true } }),
    tx.policy.findMany({ orderBy: { id: "asc" }, include: { lastResortIsp: true, members: { include: { isp: true }, orderBy: [{ position: "asc" }, { id: "asc" }] } } }),
  ]);
  // Fields that keep their default are left out, so a configuration without policies is the same JSON as before policies existed.
  const config: GatewayConfig = {
    settings: settings
      ? {
          lanInterface: settings.lanInterface, lanSubnets: settings.lanSubnets.split(",").filter(Boolean),
          // IPv6 off ("") leaves the key out: a configuration without IPv6 reads exactly as before
          ...(settings.lanSubnets6 ? { lanSubnets6: settings.lanSubnets6.split(",") } : {}),
          defaultIsp: settings.defaultIsp?.name ?? null,
          ...(settings.defaultPolicy ? { defaultPolicy: settings.defaultPolicy.name } : {}),
          ...(settings.failback === "keep" ? { failback: "keep" as const } : {}),
          ...(settings.firewall === "iptables" || settings.firewall === "nftables" ? { firewall: settings.firewall } : {}),
          ...canaryOf(settings),
          ...(settings.ra ? { ra: { enabled: true } } : {}),
          ...lansOfRow(settings),
        }
      : DEFAULT_SETTINGS,
    isps: isps.map((i) => ({
      name: i.name, wanInterface: i.wanInterface, gatewayAddress: i.gatewayAddress, linkAddress: i.linkAddress,
      linkPrefix: i.linkPrefix, routingTable: i.routingTable, mark: i.mark, enabled: i.enabled,
      natMode: i.natMode === "MASQUERADE" ? "MASQUERADE" : "SNAT",
      // only when not the defaults: a static ISP without blocks reads exactly as before
      ...(i.addressMode === "dhcp" || i.addressMode === "ppp" ? { addressMode: i.addressMode } : {}),
      ...(i.routedBlocks ? { routedBlocks: i.routedBlocks.split(",") } : {}),
      ...ipv6OfRow(i),
    })),
    natAddresses: nat.map((n) => ({ address: n.address, isp: n.isp.name, isDefault: n.isDefault, host: n.host?.address ?? null })),
    hosts: hosts.map((h) => ({ name: h.name, address: h.address, mac: h.mac, isp: h.isp?.name ?? null, ...(h.policy ? { policy: h.policy.name } : {}), notes: h.notes })),
    ...(policies.length
      ? {
          policies: policies.map((p) => ({
            name: p.name,
            members: p.members.map((m) => ({ isp: m.isp.name, tier: m.tier, weight: m.weight })),
            sticky: p.sticky,
            lastResort: p.lastResortIsp?.name ?? null,
            notes: p.notes,
          })),
        }
      : {}),
  };
  return { config, ids: { isps: isps.map((i) => i.id), hosts: hosts.map((h) => h.id), natAddresses: nat.map((n) => n.id), policies: policies.map((p) => p.id) } };
}

/** An ISP as its database row stores it. */
export const ispRow = ({ addressMode, routedBlocks, ipv6, ipv6Hosts, ...isp }: IspConfig) => ({
  ...isp, addressMode: addressMode ?? "static", routedBlocks: (routedBlocks ?? []).join(","),
  ipv6Prefix: ipv6?.prefix ?? "", ipv6Gateway: ipv6?.gateway ?? "", ipv6Translate: ipv6?.translate ?? true,
  ipv6Hosts: ipv6Hosts ?? "follow",
  ipv6Mode: ipv6?.mode ?? "static",
});

/** An ISP's IPv6 as the configuration holds it: none when its prefix is "" (off); translate only when off (true is the default). */
export function ipv6OfRow(row: {
  ipv6Prefix: string;
  ipv6Gateway: string;
  ipv6Translate: boolean;
  ipv6Hosts?: string;
  ipv6Mode?: string;
}): Pick<IspConfig, "ipv6" | "ipv6Hosts"> {
  // a pd ISP (docs/dynamic.md) stores no prefix: its IPv6 is on, learned at each apply
  const pd = row.ipv6Mode === "pd" ? { mode: "pd" as const } : {};
  // without IPv6, "unreachable" is kept; "follow" is the default and not written
  if (!row.ipv6Prefix && !pd.mode) return row.ipv6Hosts === "unreachable" ? { ipv6Hosts: "unreachable" } : {};
  return { ipv6: { ...pd, prefix: row.ipv6Prefix, gateway: row.ipv6Gateway, ...(row.ipv6Translate ? {} : { translate: false }) } };
}

export interface Staging extends ConfigWithIds {
  /** a copy of the config for the change to edit; validated before anything is written */
  next: GatewayConfig;
  /** the edited entity's position by row id; -1 when none was asked for, or it is gone */
  index: number;
}

/** Every write starts here: the staged config with its row ids, a copy to change, and where the entity is. */
export async function stage(collection?: keyof ConfigWithIds["ids"], id?: number): Promise<Staging> {
  const loaded = await loadConfigWithIds();
  const index = collection && id !== undefined ? loaded.ids[collection].indexOf(id) : -1;
  return { ...loaded, next: structuredClone(loaded.config), index };
}

/** The row id of an ISP by name (null: none). Only called after validation. */
export function ispRowId({ config, ids }: ConfigWithIds, name: string | null): number | null {
  return name ? ids.isps[config.isps.findIndex((i) => i.name === name)] : null;
}

/** The row id of a policy by name (null: none). Only called after validation. */
export function policyRowId({ config, ids }: ConfigWithIds, name: string | null | undefined): number | null {
  return name ? ids.policies[(config.policies ?? []).findIndex((p) => p.name === name)] : null;
}

export async function loadConfig(tx?: Tx): Promise<GatewayConfig> {
  return (await loadConfigWithIds(tx)).config;
}

export type ChangeResult = { ok: true } | { ok: false; errors: FieldErrors };
export type ImportResult = { ok: true } | { ok: false; issues: ConfigIssue[] };

/** Which entity a form edits, so that whole-config issues land on its fields. */
export type EntityRef = { collection: "isps" | "hosts" | "natAddresses" | "settings" | "policies"; index: number };

export const checkOnly = new AsyncLocalStorage<true>();

/**
 * Run a write function for its whole-config errors only: inside, checkedChange validates and
 * never writes. A form whose fields failed their own schema still shows what the whole
 * configuration says about the rest (every error at once), and nothing unvalidated is saved.
 */
export function withoutWriting<T>(fn: () => Promise<T>): Promise<T> {
  return checkOnly.run(true, fn);
}

/** Validate the configuration a change would produce; only then run the write. */
export async function checkedChange(next: GatewayConfig, at: EntityRef, write: () => Promise<unknown>): Promise<ChangeResult> {
  const r = validateConfig(next);
  if (!r.ok) return { ok: false, errors: configIssuesForEntity(r.issues, at.collection, at.index, next) };
  if (checkOnly.getStore()) return { ok: true };
  await write();
  return { ok: true };
}

export const notFound = (what: string): ChangeResult => ({ ok: false, errors: { _form: [`This ${what} no longer exists`] } });

export type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** A policy's row with its members, for prisma create (ISP names resolved to row ids). */
export function policyRow(p: PolicyConfig, ispIds: Map<string, number>) {
  return {
    name: p.name, sticky: p.sticky, notes: p.notes, lastResortIspId: p.lastResort ? ispIds.get(p.lastResort)! : null,
    members: { create: p.members.map((m, position) => ({ ispId: ispIds.get(m.isp)!, tier: m.tier, weight: m.weight, position })) },
  };
}

/**
 * Replace the whole staged configuration (config import, seed) in one
 * transaction: either all of it is saved or none of it. `also` runs in the same
 * transaction (the audit event of an import): a process killed after the commit
 * never leaves a new configuration without its audit event.
 */
export async function replaceConfig(input: unknown, also?: (tx: Tx) => Promise<unknown>): Promise<ImportResult> {
  const r = validateConfig(input);
  if (!r.ok) return r;
  await db.$transaction(async (tx) => {
    await writeConfig(tx, r.config);
    await also?.(tx);
  });
  return { ok: true };
}

/** Replace every row of the staged configuration with a validated one, inside the caller's transaction. */
export async function writeConfig(tx: Tx, c: GatewayConfig): Promise<void> {
  await tx.settings.deleteMany();
  await tx.natAddress.deleteMany();
  await tx.host.deleteMany();
  await tx.policy.deleteMany();
  await tx.isp.deleteMany();
  const ispIds = new Map<string, number>();
  for (const isp of c.isps) ispIds.set(isp.name, (await tx.isp.create({ data: ispRow(isp) })).id);
  const policyIds = new Map<string, number>();
  for (const p of c.policies ?? []) {
    const row = await tx.policy.create({ data: policyRow(p, ispIds) });
    policyIds.set(p.name, row.id);
  }
  const hostIds = new Map<string, number>();
  for (const h of c.hosts) {
    const row = await tx.host.create({ data: { name: h.name, address: h.address, mac: h.mac, notes: h.notes, ispId: h.isp ? ispIds.get(h.isp)! : null, policyId: h.policy ? policyIds.get(h.policy)! : null } });
    hostIds.set(h.address, row.id);
  }
  for (const n of c.natAddresses) {
    await tx.natAddress.create({ data: { address: n.address, isDefault: n.isDefault, ispId: ispIds.get(n.isp)!, hostId: n.host ? hostIds.get(n.host)! : null } });
  }
  await tx.settings.create({
    data: {
      id: 1, lanInterface: c.settings.lanInterface, lanSubnets: c.settings.lanSubnets.join(","), lanSubnets6: (c.settings.lanSubnets6 ?? []).join(","), defaultIspId: c.settings.defaultIsp ? ispIds.get(c.settings.defaultIsp)! : null,
      defaultPolicyId: c.settings.defaultPolicy ? policyIds.get(c.settings.defaultPolicy)! : null, failback: c.settings.failback ?? "move",
      firewall: c.settings.firewall ?? "auto",
      canary: c.settings.canary?.enabled ?? false, canaryAddresses: JSON.stringify(c.settings.canary?.addresses ?? {}),
      lans: lansJson(c.settings.lans),
      ra: c.settings.ra?.enabled === true,
    },
  });
}

/** The other LANs as the configuration holds them: left out when there are none (older configurations stay byte-identical). */
export function lansOfRow(row: { lans: string }): Pick<GatewaySettings, "lans"> {
  let parsed: unknown = [];
  try {
    parsed = JSON.parse(row.lans || "[]");
  } catch {
    parsed = [];
  }
  // written only after the whole configuration validated; read through the same schema all the same
  const r = z.array(lanSchema).safeParse(parsed);
  const lans = r.success ? r.data.map((l) => ({ name: l.name, interface: l.interface, subnets: l.subnets, ...(l.subnets6?.length ? { subnets6: l.subnets6 } : {}), ...(l.defaultIsp ? { defaultIsp: l.defaultIsp } : {}), ...(l.defaultPolicy ? { defaultPolicy: l.defaultPolicy } : {}) })) : [];
  return lans.length ? { lans } : {};
}

export const lansJson = (lans: GatewaySettings["lans"]) => JSON.stringify(lans ?? []);

/** The canary setting as the configuration holds it: left out when off with nothing reserved. */
export function canaryOf(row: { canary: boolean; canaryAddresses: string }): Pick<GatewaySettings, "canary"> {
  let addresses: Record<string, string> = {};
  try {
    addresses = JSON.parse(row.canaryAddresses || "{}") as Record<string, string>;
  } catch {
    addresses = {};
  }
  const some = Object.keys(addresses).length > 0;
  if (!row.canary && !some) return {};
  return { canary: { enabled: row.canary, ...(some ? { addresses } : {}) } };
}
