"use server";
import { saveEntity } from "@/lib/actions/entity";
import { updateSettings } from "@/lib/data/settings";
import { settingsSchema, type FormState } from "@/lib/validation";

export async function saveSettingsAction(_prev: FormState, fd: FormData): Promise<FormState> {
  // one settings row: every save updates it
  return saveEntity(fd, settingsSchema, { update: (_id, input, actor) => updateSettings(input, actor) }, "/settings?saved=1");
}
