// GET /api/kernel: a live snapshot of the gateway (lib/engine/live.ts), for the Live kernel
// page and the dashboard, which poll it every ~2 s. 401 without a session. Always 200 with a
// session: a gateway that cannot be read answers { ok: false, error }.
import { withAuth } from "@/lib/auth/guard";
import { liveSnapshot } from "@/lib/engine/live";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => Response.json(await liveSnapshot(), { headers: { "Cache-Control": "no-store" } }));
