// Who is asking. The client address comes from our own server (server.mjs), which
// sets x-switchyard-client-ip from the socket and drops any value a client sent;
// X-Forwarded-For is only believed from a configured trusted proxy (also in server.mjs).
import { headers } from "next/headers";

export const CLIENT_IP_HEADER = "x-switchyard-client-ip";

export async function requestInfo(): Promise<{ clientIp: string; userAgent: string; secure: boolean }> {
  const h = await headers();
  return {
    clientIp: h.get(CLIENT_IP_HEADER) ?? "unknown",
    userAgent: h.get("user-agent") ?? "",
    secure: h.get("x-forwarded-proto") === "https",
  };
}

export const isLoopback = (ip: string) => ip === "::1" || /^127\.\d+\.\d+\.\d+$/.test(ip);
