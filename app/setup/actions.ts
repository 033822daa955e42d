"use server";
import { redirect } from "next/navigation";
import { z } from "@/lib/validation/zod";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/data/audit";
import { passwordSchema, usernameSchema } from "@/lib/auth/password";
import { isLoopback, requestInfo } from "@/lib/auth/request";
import { consumeSetupToken, setupTokenMatches, setupTokenRefusal } from "@/lib/auth/setup-token";
import { createFirstUser, hasAnyUser } from "@/lib/auth/users";
import { fieldErrorsOf, type FormState } from "@/lib/validation";

const setupSchema = z
  .object({ username: usernameSchema, password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords differ" });

/**
 * First run only, only from the machine itself, and only with the one-time token from the
 * server log: nobody on the LAN can claim a fresh install (not even through a reverse proxy
 * that makes them look local). Two requests at once create one admin, not two.
 */
export async function setupAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const { clientIp } = await requestInfo();
  if (await hasAnyUser()) redirect("/login");
  if (!isLoopback(clientIp))
    return { message: "The first admin account can only be created from the gateway itself (or with SWITCHYARD_ADMIN_PASSWORD at setup)." };
  const values = { username: String(fd.get("username") ?? "") };
  const parsed = setupSchema.safeParse({ username: fd.get("username"), password: fd.get("password"), confirm: fd.get("confirm") });
  if (!parsed.success) return { values, errors: fieldErrorsOf(parsed.error) };
  const refused = setupTokenRefusal();
  if (refused) return { values, errors: { token: [refused] } };
  if (!setupTokenMatches(fd.get("token"))) return { values, errors: { token: ["This is not the setup token printed in the server log"] } };
  if (!(await createFirstUser(parsed.data.username, parsed.data.password))) redirect("/login");
  consumeSetupToken();
  await recordAudit(db, { username: parsed.data.username, clientIp }, "user.create", parsed.data.username, null, null);
  redirect("/login");
}
