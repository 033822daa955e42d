// Gateway settings (one row, id 1): validated with the whole configuration
// that would result, so a LAN change that strands hosts is refused.
import { db } from "@/lib/db";
import type { SettingsInput } from "@/lib/validation";
import { checkedChange, ispRowId, lansJson, policyRowId, stage, type ChangeResult } from "./config";
import { recordAudit, type Actor } from "./audit";

export async function updateSettings(input: SettingsInput, actor: Actor): Promise<ChangeResult> {
  const loaded = await stage();
  const { config, next } = loaded;
  const before = config.settings;
  const { lanInterface, lanSubnets, defaultIsp, defaultPolicy, failback, firewall, canary, ra: raIn, lans: lansIn, lanSubnets6: v6In } = input;
  // left out when default, as loadConfig does; a form without the fields keeps what was set
  const policy = defaultPolicy === undefined ? before.defaultPolicy ?? null : defaultPolicy;
  const fb = failback ?? before.failback ?? "move";
  const fw = firewall ?? before.firewall ?? "auto";
  const cn = canary ?? before.canary;
  // router advertisements: a form or command without the field keeps it; left out when off
  const ra = (raIn ?? before.ra)?.enabled === true;
  // the LANs have their own form (lib/data/lans.ts): a settings form without them keeps them
  const lans = lansIn ?? before.lans ?? [];
  // likewise the IPv6 subnets: a form or command that does not send them keeps them; [] turns them off
  const lanSubnets6 = v6In ?? before.lanSubnets6 ?? [];
  next.settings = {
    lanInterface, lanSubnets, ...(lanSubnets6.length ? { lanSubnets6 } : {}), defaultIsp, ...(policy ? { defaultPolicy: policy } : {}), ...(fb === "keep" ? { failback: fb } : {}), ...(fw !== "auto" ? { firewall: fw } : {}), ...(cn ? { canary: cn } : {}),
    ...(ra ? { ra: { enabled: true } } : {}),
    ...(lans.length ? { lans } : {}),
  };
  return checkedChange(next, { collection: "settings", index: 0 }, () =>
    db.$transaction(async (tx) => {
      const data = {
        lanInterface: input.lanInterface,
        lanSubnets: input.lanSubnets.join(","),
        lanSubnets6: lanSubnets6.join(","),
        defaultIspId: ispRowId(loaded, input.defaultIsp),
        defaultPolicyId: policyRowId(loaded, policy),
        failback: fb,
        firewall: fw,
        canary: cn?.enabled ?? false,
        canaryAddresses: JSON.stringify(cn?.addresses ?? {}),
        lans: lansJson(lans),
        ra,
      };
      await tx.settings.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
      await recordAudit(tx, actor, "settings.update", "settings", before, next.settings);
    }),
  );
}
