"use server";
import { saveEntity } from "@/lib/actions/entity";
import { updateSettings } from "@/lib/data/settings";
import { settingsSchema, type FormState } from "@/lib/validation";
import { canaryFromForm, renameErrors, usesFrom } from "@/lib/validation/form";

/** The form's "Everyone else uses" select: the default ISP or the default policy, never both. */
function fromForm(v: Record<string, string>): Record<string, unknown> {
  const { canary: on, canaryAddresses, ra: raOn, ...rest } = v;
  const canary = on === undefined ? {} : { canary: canaryFromForm(on, canaryAddresses ?? "") };
  // "on"/"off"; anything else reaches the schema as is and is refused at the field
  const ra = raOn === undefined ? {} : { ra: raOn === "on" || raOn === "off" ? { enabled: raOn === "on" } : raOn };
  if (v.uses === undefined) return { ...rest, ...canary, ...ra };
  const { isp, policy } = usesFrom(v.uses);
  return { ...rest, ...canary, ...ra, defaultIsp: isp, defaultPolicy: policy };
}

export async function saveSettingsAction(_prev: FormState, fd: FormData): Promise<FormState> {
  // one settings row: every save updates it
  const state = await saveEntity(fd, settingsSchema, { update: (_id, input, actor) => updateSettings(input, actor) }, "/settings?saved=1", fromForm);
  return renameErrors(state, { defaultIsp: "uses", defaultPolicy: "uses", canary: "canaryAddresses" });
}
