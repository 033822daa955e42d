"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { recordAudit, recordRefusedLogin } from "@/lib/data/audit";
import { dummyPasswordHash, verifyPassword } from "@/lib/auth/password";
import { requestInfo } from "@/lib/auth/request";
import { createSession, endSession, SESSION_COOKIE, ABSOLUTE_MS } from "@/lib/auth/session";
import { loginSucceeded, oneHashAtATime, reserveLoginAttempt } from "@/lib/auth/throttle";
import { currentUser } from "@/lib/auth/guard";
import type { FormState } from "@/lib/validation";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Only a path on this site: never an absolute or protocol-relative URL. */
const safeNext = (v: unknown) => (typeof v === "string" && /^\/(?![/\\])[\w\-/?=&.%]*$/.test(v) ? v : "/");

export async function loginAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const username = String(fd.get("username") ?? "").slice(0, 64);
  const password = String(fd.get("password") ?? "");
  const { clientIp, userAgent, secure } = await requestInfo();
  // counted (and the limit enforced) before the password is checked, in one step; a known lock
  // is answered from memory, without a query or the hash
  const throttle = await reserveLoginAttempt(username, clientIp);
  if (throttle.locked) {
    await recordRefusedLogin("login.locked", username, clientIp, "refused");
    return { values: { username }, message: `Too many failed logins. Try again in ${Math.ceil(throttle.retryAfterMs / 60_000)} minute(s).` };
  }
  if (throttle.delayMs) await sleep(throttle.delayMs);
  const user = await db.user.findUnique({ where: { username } });
  const hash = user?.passwordHash ?? (await dummyPasswordHash());
  const ok = await oneHashAtATime(clientIp, () => verifyPassword(password, hash));
  if (!ok || !user) {
    await recordRefusedLogin("login.failed", username, clientIp, "failed");
    return { values: { username }, message: "Wrong user name or password." };
  }
  await loginSucceeded(throttle.attemptId, username, clientIp);
  const jar = await cookies();
  // a new session, and the one this browser had (if any) ends: a session id never outlives a login
  await endSession(jar.get(SESSION_COOKIE)?.value);
  const token = await createSession(user.id, clientIp, userAgent);
  jar.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: "strict", secure, path: "/", maxAge: Math.floor(ABSOLUTE_MS / 1000) });
  await recordAudit(db, { username, clientIp }, "login", username, null, null);
  redirect(safeNext(fd.get("next")));
}

export async function logoutAction(): Promise<void> {
  const jar = await cookies();
  const user = await currentUser();
  await endSession(jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  if (user) await recordAudit(db, { username: user.username, clientIp: user.clientIp }, "logout", user.username, null, null);
  redirect("/login");
}
