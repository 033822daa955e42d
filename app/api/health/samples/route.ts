// GET /api/health/samples?range=1h|24h|30d: per-ISP traffic, latency and loss kept by the
// monitor (lib/health/samples.ts), for the Live page's long-term graphs: none from before the first
// apply, nulls where nothing was measured, the x axis the whole range. 401 without a session.
import { withAuth } from "@/lib/auth/guard";
import { firstGoodAt } from "@/lib/data/revisions";
import { alignSeries, loadSamples, measuredSince, RANGES, type SampleRange } from "@/lib/health/samples";

export const dynamic = "force-dynamic";

export const GET = withAuth(async (_actor, request: Request) => {
  const asked = new URL(request.url).searchParams.get("range") ?? "1h";
  if (!Object.hasOwn(RANGES, asked)) return Response.json({ error: "range must be 1h, 24h or 30d" }, { status: 400 });
  const range = asked as SampleRange;
  // before the first apply the monitor measured nothing (its probes need Switchyard's rules)
  const [rows, first] = await Promise.all([loadSamples(range), firstGoodAt()]);
  return Response.json(alignSeries(range, measuredSince(rows, first)), { headers: { "Cache-Control": "no-store" } });
});
