// Every server action, route handler and event stream goes through here: one
// place decides whether a request comes from a logged-in admin.
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { Actor } from "@/lib/data/audit";
import { requestInfo } from "./request";
import { SESSION_COOKIE, sessionUser, type SessionUser } from "./session";

export async function currentUser(): Promise<(SessionUser & { clientIp: string }) | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const user = await sessionUser(token);
  if (!user) return null;
  return { ...user, clientIp: (await requestInfo()).clientIp };
}

/** The page a request came from (its Referer on this site), to come back to after logging in. */
async function returnPath(): Promise<string> {
  const h = await headers();
  try {
    const ref = new URL(h.get("referer") ?? "");
    return ref.host === h.get("host") ? ref.pathname + ref.search : "/";
  } catch {
    return "/";
  }
}

/**
 * For server actions: the acting admin, or, before anything happens, the login page with a
 * way back (a session that ended while a form was open is no server error).
 */
export async function requireActor(): Promise<Actor & { userId: number; sessionId: string }> {
  const u = await currentUser();
  if (!u) redirect(`/login?ended=1&next=${encodeURIComponent(await returnPath())}`);
  return { username: u.username, clientIp: u.clientIp, userId: u.userId, sessionId: u.sessionId };
}

/** For pages and layouts: the admin, or a redirect to the login page. */
export async function requireUserPage(): Promise<SessionUser> {
  const u = await currentUser();
  if (!u) redirect("/login");
  return u;
}

/** For route handlers and event streams: a 401 answer instead of the handler. */
export function withAuth<A extends unknown[]>(handler: (actor: Actor, ...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    const u = await currentUser();
    if (!u) return Response.json({ error: "not logged in" }, { status: 401 });
    return handler({ username: u.username, clientIp: u.clientIp }, ...args);
  };
}
