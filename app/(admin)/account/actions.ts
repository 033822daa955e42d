"use server";
import { z } from "@/lib/validation/zod";
import { db } from "@/lib/db";
import { requireActor } from "@/lib/auth/guard";
import { passwordSchema, verifyPassword } from "@/lib/auth/password";
import { endOtherSessions } from "@/lib/auth/session";
import { setPassword } from "@/lib/auth/users";
import { recordAudit } from "@/lib/data/audit";
import { fieldErrorsOf, type FormState } from "@/lib/validation";

const schema = z
  .object({ current: z.string().min(1, "Enter your current password"), password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords differ" });

/** A new password ends every other session of this account. */
export async function changePasswordAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const actor = await requireActor();
  const parsed = schema.safeParse({ current: fd.get("current"), password: fd.get("password"), confirm: fd.get("confirm") });
  if (!parsed.success) return { errors: fieldErrorsOf(parsed.error) };
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId } });
  if (!(await verifyPassword(parsed.data.current, user.passwordHash))) return { errors: { current: ["That is not your current password"] } };
  await setPassword(actor.userId, parsed.data.password);
  const ended = await endOtherSessions(actor.userId, actor.sessionId);
  await recordAudit(db, actor, "user.password", actor.username, null, { otherSessionsEnded: ended });
  return { ok: true, message: `Password changed. ${ended} other session(s) ended.` };
}
