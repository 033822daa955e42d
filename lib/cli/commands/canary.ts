// `switchyard canary [show|on|off|set|unset]`: the canary's addresses and last proof, or a staged change of its setting.
import type { CanaryChange } from "@/lib/engine/canary";
import { CliError, cli, out, emit, table, actor, database, invalidConfig, stagedConfig } from "@/lib/cli/context";
import { printCanary } from "@/lib/cli/print";

export async function canary(change: CanaryChange | undefined): Promise<number> {
  await database();
  const { canarySlots } = await import("@/lib/net/canary/slots");
  let config = await stagedConfig();
  if (change) {
    const { canaryTargets } = await import("@/lib/net/canary/slots");
    const keys = canaryTargets(config).map((t) => t.key);
    if ("target" in change && !keys.includes(change.target))
      throw new CliError(`canary: there is no target ${JSON.stringify(change.target)} (targets: ${keys.join(", ")})`, 2);
    const { changedCanary } = await import("@/lib/engine/canary");
    const { updateSettings } = await import("@/lib/data/settings");
    const { settingsSchema } = await import("@/lib/validation");
    const input = settingsSchema.safeParse({ ...config.settings, canary: changedCanary(config, change) });
    if (!input.success)
      throw invalidConfig(
        "the canary setting",
        input.error.issues.map((i) => ({ path: ["settings", ...i.path] as (string | number)[], message: i.message })),
        {},
      );
    const r = await updateSettings(input.data, actor());
    if (!r.ok) throw new CliError(`the canary setting is not valid: ${Object.values(r.errors).flat().join("; ")}`, 2);
    config = await stagedConfig();
  }
  const slots = canarySlots({ ...config, settings: { ...config.settings, canary: { enabled: true, ...config.settings.canary } } });
  const proofs = (await (await import("@/lib/health/canary-watch")).lastCanaryProof()) ?? undefined;
  const enabled = config.settings.canary?.enabled === true;
  if (cli.json) {
    emit({
      enabled,
      slots: slots.map((s) => ({
        target: s.key,
        address: s.address,
        reserved: Boolean(config.settings.canary?.addresses?.[s.key]),
        ...(s.mac ? { mac: s.mac, addresses6: s.addresses6?.map((a) => a.address) } : {}),
      })),
      lastProof: proofs ?? null,
      ...(change ? { staged: true } : {}),
    });
    return 0;
  }
  out(`Canary: ${enabled ? "on" : "off"}${change ? " (staged: the next apply uses it)" : ""}`);
  const how = (key: string) => (config.settings.canary?.addresses?.[key] ? "reserved" : "chosen");
  // IPv6 (a LAN with /64s): each slot's own MAC and its address in each /64; without IPv6 the table is as before
  if (slots.some((s) => s.mac))
    out(
      table([
        ["TARGET", "ADDRESS", "HOW", "MAC", "IPV6"],
        ...slots.map((s) => [s.key, s.address, how(s.key), s.mac ?? "-", s.addresses6?.map((a) => a.address).join(", ") ?? "-"]),
      ]),
    );
  else out(table([["TARGET", "ADDRESS", "HOW"], ...slots.map((s) => [s.key, s.address, how(s.key)])]));
  if (proofs) printCanary(proofs);
  else out("  no canary proof yet: the next apply makes one");
  return 0;
}
