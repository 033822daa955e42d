"use server";
// Metrics tokens from the UI: each action checks the session itself (requireActor).
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/guard";
import { createMetricsToken, revokeMetricsToken } from "@/lib/metrics/tokens";
import { metricsTokenForm } from "@/lib/validation/metrics";

export interface TokenFormState {
  token?: string;
  name?: string;
  errors?: Record<string, string[]>;
}

export async function createTokenAction(_prev: TokenFormState, fd: FormData): Promise<TokenFormState> {
  const actor = await requireActor();
  const parsed = metricsTokenForm.safeParse({ name: fd.get("name") ?? "" });
  if (!parsed.success) return { errors: { name: [parsed.error.issues[0].message] } };
  const r = await createMetricsToken(parsed.data.name, actor);
  if (!r.ok) return { errors: r.errors };
  revalidatePath("/settings/metrics");
  return { token: r.token, name: r.row.name };
}

export async function revokeTokenAction(name: string): Promise<{ error?: string }> {
  const actor = await requireActor();
  if (typeof name !== "string" || !(await revokeMetricsToken(name, actor))) return { error: `There is no token named "${name}" any more.` };
  revalidatePath("/settings/metrics");
  return {};
}
