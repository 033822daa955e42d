// GET /api/health/samples?range=1h|24h|30d: per-ISP traffic, latency and loss kept by the
// monitor (lib/health/samples.ts), for the Live page's long-term graphs. 401 without a session.
import { withAuth } from "@/lib/auth/guard";
import { alignSeries, loadSamples, RANGES, type SampleRange } from "@/lib/health/samples";

export const dynamic = "force-dynamic";

export const GET = withAuth(async (_actor, request: Request) => {
  const asked = new URL(request.url).searchParams.get("range") ?? "1h";
  if (!Object.hasOwn(RANGES, asked)) return Response.json({ error: "range must be 1h, 24h or 30d" }, { status: 400 });
  const range = asked as SampleRange;
  return Response.json(alignSeries(range, await loadSamples(range)), { headers: { "Cache-Control": "no-store" } });
});
