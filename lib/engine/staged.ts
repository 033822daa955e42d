// Staged vs applied: what the admin has changed since the gateway last ran a
// configuration that verified, in words; and throwing those changes away.
// (One apply at a time, across processes: lib/engine/lock.ts.)
import { db } from "@/lib/db";
import { loadConfig, replaceConfig } from "@/lib/data/config";
import { recordAudit, type Actor } from "@/lib/data/audit";
import { diffConfigs, type ConfigChange } from "@/lib/config-diff";
import type { GatewayConfig, HostConfig } from "@/lib/model";
import type { VerifyReport } from "@/lib/net/verify";
import { lastGoodRevision, userConfigOf } from "./service";

/** Nothing: what a gateway that never ran a Switchyard configuration is compared with. */
export const EMPTY_CONFIG: GatewayConfig = {
  settings: { lanInterface: "", lanSubnets: [], defaultIsp: null },
  isps: [],
  natAddresses: [],
  hosts: [],
};

/** A revision's stored config JSON, or null when there is none or it cannot be read. */
export function parseStoredConfig(json: string | null | undefined): GatewayConfig | null {
  if (!json) return null;
  try {
    const c = JSON.parse(json) as GatewayConfig;
    return c && Array.isArray(c.hosts) && Array.isArray(c.isps) ? c : null;
  } catch {
    return null;
  }
}

/** The staged changes in words, against the last applied config (everything, if nothing was applied). */
export function changesSince(lastApplied: GatewayConfig | null, staged: GatewayConfig): ConfigChange[] {
  return diffConfigs(lastApplied ?? EMPTY_CONFIG, staged);
}

/** A host is staged when the last applied config has no host of that name, or had it elsewhere. */
export function hostIsStaged(host: Pick<HostConfig, "name" | "address" | "isp" | "policy">, applied: Pick<HostConfig, "address" | "isp" | "policy"> | null | undefined): boolean {
  return !applied || applied.isp !== host.isp || (applied.policy ?? null) !== (host.policy ?? null) || applied.address !== host.address;
}

/** Name -> the host as last applied. */
export function appliedHosts(lastApplied: GatewayConfig | null): Map<string, HostConfig> {
  return new Map((lastApplied?.hosts ?? []).map((h) => [h.name, h]));
}

export interface AppliedInfo {
  config: GatewayConfig;
  /** how that apply proved itself (null for old revisions without a report) */
  verification: VerifyReport | null;
  revisionId: number;
  at: Date;
  actor: string;
}

/** The configuration of the last apply that verified, with where it came from. */
export async function lastApplied(): Promise<AppliedInfo | null> {
  const rev = await lastGoodRevision();
  // the user's configuration: a failover the monitor applied on top is not a staged change
  const config = parseStoredConfig(rev ? userConfigOf(rev) : null);
  if (!rev || !config) return null;
  let verification: VerifyReport | null = null;
  try {
    verification = rev.verification ? (JSON.parse(rev.verification) as VerifyReport) : null;
  } catch {
    verification = null;
  }
  return { config, verification, revisionId: rev.id, at: rev.createdAt, actor: rev.actor };
}

export async function stagedChanges(): Promise<ConfigChange[]> {
  const [applied, staged] = await Promise.all([lastApplied(), loadConfig()]);
  return changesSince(applied?.config ?? null, staged);
}

/** Put the staged configuration back to the last applied one. */
export async function discardStaged(actor: Actor): Promise<{ ok: true; discarded: number } | { ok: false; error: string }> {
  const applied = await lastApplied();
  if (!applied) return { ok: false, error: "Nothing has been applied yet, so there is no applied configuration to go back to. Edit the configuration instead, or apply it." };
  const staged = await loadConfig();
  const changes = changesSince(applied.config, staged);
  if (changes.length === 0) return { ok: true, discarded: 0 };
  const r = await replaceConfig(applied.config);
  if (!r.ok) return { ok: false, error: `Revision ${applied.revisionId} no longer validates: ${r.issues.map((i) => i.message).join("; ")}` };
  await recordAudit(db, actor, "config.discard", `back to revision ${applied.revisionId}`, { changes: changes.length }, null);
  return { ok: true, discarded: changes.length };
}
