// Sessions live in the database; the cookie holds a random token, the database only its SHA-256.
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";

export const SESSION_COOKIE = "swyd_session";
const minutes = (env: string | undefined, dflt: number) => (Number(env) > 0 ? Number(env) : dflt) * 60_000;
/** idle: no request for this long ends the session; absolute: no session lives longer */
export const IDLE_MS = minutes(process.env.SWITCHYARD_SESSION_IDLE_MINUTES, 30);
export const ABSOLUTE_MS = minutes(process.env.SWITCHYARD_SESSION_MAX_MINUTES, 12 * 60);
const TOUCH_EVERY_MS = 30_000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createSession(userId: number, clientIp: string, userAgent: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.session.create({ data: { id: hashToken(token), userId, clientIp, userAgent: userAgent.slice(0, 200) } });
  return token;
}

export interface SessionUser {
  sessionId: string;
  userId: number;
  username: string;
}

export async function sessionUser(token: string | undefined, now = Date.now()): Promise<SessionUser | null> {
  if (!token || token.length > 100) return null;
  const id = hashToken(token);
  const s = await db.session.findUnique({ where: { id }, include: { user: true } });
  if (!s) return null;
  const expired = now - s.lastSeenAt.getTime() > IDLE_MS || now - s.createdAt.getTime() > ABSOLUTE_MS;
  if (expired) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  if (now - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) await db.session.update({ where: { id }, data: { lastSeenAt: new Date(now) } });
  return { sessionId: id, userId: s.userId, username: s.user.username };
}

export async function endSession(token: string | undefined): Promise<void> {
  if (token) await db.session.deleteMany({ where: { id: hashToken(token) } });
}

/** After a password change: every session but the current one ends. */
export async function endOtherSessions(userId: number, keepSessionId: string): Promise<number> {
  const r = await db.session.deleteMany({ where: { userId, id: { not: keepSessionId } } });
  return r.count;
}
