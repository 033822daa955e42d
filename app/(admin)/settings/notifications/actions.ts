"use server";
// Settings -> Notifications: the admin first, then the one schema, then the data layer.
// The secret never goes back to the browser, not even in a form kept after an error.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/guard";
import { deleteChannel, saveChannel } from "@/lib/notify/channels";
import { sendTest } from "@/lib/notify/deliver";
import { NOTIFY_KINDS } from "@/lib/notify/kinds";
import { channelSchema } from "@/lib/validation/notify";
import { fieldErrorsOf, formValues, renameErrors, type FormState } from "@/lib/validation/form";
import { checkbox } from "@/lib/validation/fields";

const NOT_SAVED = "Nothing was saved: check the highlighted fields.";
const FIRST_EVENT = `ev-${NOTIFY_KINDS[0]}`;

/** original: the channel's name before this edit; null for a new one. */
export async function saveChannelAction(original: string | null, _prev: FormState, fd: FormData): Promise<FormState> {
  const actor = await requireActor();
  const { secret, ...values } = formValues(fd);
  const events = NOTIFY_KINDS.filter((k) => checkbox(values[`ev-${k}`]));
  const parsed = channelSchema.safeParse({ ...values, enabled: checkbox(values.enabled), events, secret });
  if (!parsed.success) return renameErrors({ values, errors: fieldErrorsOf(parsed.error), message: NOT_SAVED }, { events: FIRST_EVENT });
  const r = await saveChannel(original, parsed.data, actor);
  if (!r.ok) return { values, errors: r.errors, message: NOT_SAVED };
  revalidatePath("/settings/notifications");
  redirect(`/settings/notifications/${encodeURIComponent(r.channel.name)}?saved=1`);
}

export async function deleteChannelAction(name: string): Promise<{ error?: string }> {
  const actor = await requireActor();
  if (!(await deleteChannel(name, actor))) return { error: `There is no channel named ${name}` };
  revalidatePath("/settings/notifications");
  redirect("/settings/notifications");
}

/** The Test button: sent now, not queued; the answer is what the page shows. */
export async function testChannelAction(name: string): Promise<{ ok: boolean; error?: string }> {
  await requireActor();
  const r = await sendTest(name);
  revalidatePath(`/settings/notifications/${encodeURIComponent(name)}`);
  return r.ok ? { ok: true } : { ok: false, error: r.error };
}
