"use server";
// Lab only: break or heal an ISP's upstream (lib/lab/faults.ts) to watch the monitor fail over.
// Refused unless the target is the lab; the fault goes in the ISP's namespace, never the gateway.
import { z } from "@/lib/validation/zod";
import { requireActor } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/data/audit";
import { loadConfig } from "@/lib/data/config";
import { resolveTarget } from "@/lib/engine/target";
import { injectFault } from "@/lib/lab/faults";
import { ispName } from "@/lib/validation/fields";
import { formatIssues } from "@/lib/validation/issues";

const faultInput = z.object({ isp: ispName, fault: z.enum(["upstream-down", "link-down", "restore"]) }).strict();

export async function labFaultAction(isp: string, fault: string): Promise<{ error?: string; ok?: true }> {
  const actor = await requireActor();
  const input = faultInput.safeParse({ isp, fault });
  if (!input.success) return { error: formatIssues(input.error.issues, { paths: false }) };
  const prefix = resolveTarget().labPrefix;
  if (!prefix) return { error: "fault injection is for the lab only" };
  const config = await loadConfig();
  if (!config.isps.some((i) => i.name === input.data.isp)) return { error: `there is no ISP named ${input.data.isp}` };
  try {
    await injectFault(config, prefix, input.data.isp, { kind: input.data.fault });
  } catch (e) {
    await recordAudit(db, actor, "lab.fault", input.data.isp, null, { fault: input.data.fault }, "failed");
    return { error: e instanceof Error ? e.message : String(e) };
  }
  await recordAudit(db, actor, "lab.fault", input.data.isp, null, { fault: input.data.fault });
  return { ok: true };
}
