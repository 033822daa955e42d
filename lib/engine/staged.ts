// Staged vs applied: what the admin has changed since the gateway last ran a
// configuration that verified, in words; and throwing those changes away.
// (One apply at a time, across processes: lib/engine/lock.ts.)
import { db } from "@/lib/db";
import { loadConfig, replaceConfig } from "@/lib/data/config";
import { recordAudit, type Actor } from "@/lib/data/audit";
import { diffConfigs, type ConfigChange } from "@/lib/config-diff";
import { formatIssues } from "@/lib/validation/issues";
import type { GatewayConfig, HostConfig } from "@/lib/model";
import { lastApplied } from "@/lib/data/revisions";

export { lastApplied, type AppliedInfo } from "@/lib/data/revisions";

/** Nothing: what a gateway that never ran a Switchyard configuration is compared with. */
export const EMPTY_CONFIG: GatewayConfig = {
  settings: { lanInterface: "", lanSubnets: [], defaultIsp: null },
  isps: [],
  natAddresses: [],
  hosts: [],
};

/** The staged changes in words, against the last applied config (everything, if nothing was applied). */
export function changesSince(lastApplied: GatewayConfig | null, staged: GatewayConfig): ConfigChange[] {
  return diffConfigs(lastApplied ?? EMPTY_CONFIG, staged);
}

/** A host is staged when the last applied config has no host of that name, or had it elsewhere. */
export function hostIsStaged(
  host: Pick<HostConfig, "name" | "address" | "isp" | "policy">,
  applied: Pick<HostConfig, "address" | "isp" | "policy"> | null | undefined,
): boolean {
  return !applied || applied.isp !== host.isp || (applied.policy ?? null) !== (host.policy ?? null) || applied.address !== host.address;
}

/** Name -> the host as last applied. */
export function appliedHosts(lastApplied: GatewayConfig | null): Map<string, HostConfig> {
  return new Map((lastApplied?.hosts ?? []).map((h) => [h.name, h]));
}

export async function stagedChanges(): Promise<ConfigChange[]> {
  const [applied, staged] = await Promise.all([lastApplied(), loadConfig()]);
  return changesSince(applied?.config ?? null, staged);
}

/** Put the staged configuration back to the last applied one. */
export async function discardStaged(actor: Actor): Promise<{ ok: true; discarded: number } | { ok: false; error: string }> {
  const applied = await lastApplied();
  if (!applied)
    return {
      ok: false,
      error: "Nothing has been applied yet, so there is no applied configuration to go back to. Edit the configuration instead, or apply it.",
    };
  const staged = await loadConfig();
  const changes = changesSince(applied.config, staged);
  if (changes.length === 0) return { ok: true, discarded: 0 };
  const r = await replaceConfig(applied.config);
  if (!r.ok) return { ok: false, error: `Revision ${applied.revisionId} no longer validates: ${formatIssues(r.issues, { paths: false })}` };
  await recordAudit(db, actor, "config.discard", `back to revision ${applied.revisionId}`, { changes: changes.length }, null);
  return { ok: true, discarded: changes.length };
}
