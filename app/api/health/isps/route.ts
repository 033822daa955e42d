// GET /api/health/isps: the ISPs' health as the monitor last wrote it (lib/health/view.ts),
// for the dashboard, which polls it every ~2 s. 401 without a session. Never probes.
import { withAuth } from "@/lib/auth/guard";
import { healthSnapshot } from "@/lib/health/view";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => {
  const snap = await healthSnapshot();
  if (!snap) return Response.json({ error: "not logged in" }, { status: 401 });
  return Response.json(snap, { headers: { "Cache-Control": "no-store" } });
});
