// Gateway settings (one row, id 1): validated with the whole configuration
// that would result, so a LAN change that strands hosts is refused.
import { db } from "@/lib/db";
import type { GatewayConfig } from "@/lib/model";
import type { SettingsInput } from "@/lib/validation";
import { checkedChange, loadConfigWithIds, type ChangeResult } from "./config";
import { recordAudit, type Actor } from "./audit";

export async function updateSettings(input: SettingsInput, actor: Actor): Promise<ChangeResult> {
  const { config, ids } = await loadConfigWithIds();
  const before = config.settings;
  const next: GatewayConfig = structuredClone(config);
  next.settings = input;
  return checkedChange(next, { collection: "settings", index: 0 }, () =>
    db.$transaction(async (tx) => {
      const data = {
        lanInterface: input.lanInterface,
        lanSubnets: input.lanSubnets.join(","),
        defaultIspId: input.defaultIsp ? ids.isps[config.isps.findIndex((i) => i.name === input.defaultIsp)] : null,
      };
      await tx.settings.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
      await recordAudit(tx, actor, "settings.update", "settings", before, input);
    }),
  );
}
