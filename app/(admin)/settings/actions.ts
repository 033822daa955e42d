"use server";
import { saveEntity } from "@/lib/actions/entity";
import { updateSettings } from "@/lib/data/settings";
import { settingsSchema, type FormState } from "@/lib/validation";
import { renameErrors, usesFrom } from "@/lib/validation/form";

/** The form's "Everyone else uses" select: the default ISP or the default policy, never both. */
function fromForm(v: Record<string, string>): Record<string, unknown> {
  if (v.uses === undefined) return v;
  const { isp, policy } = usesFrom(v.uses);
  return { ...v, defaultIsp: isp, defaultPolicy: policy };
}

export async function saveSettingsAction(_prev: FormState, fd: FormData): Promise<FormState> {
  // one settings row: every save updates it
  const state = await saveEntity(fd, settingsSchema, { update: (_id, input, actor) => updateSettings(input, actor) }, "/settings?saved=1", fromForm);
  return fd.has("uses") ? renameErrors(state, { defaultIsp: "uses", defaultPolicy: "uses" }) : state;
}
