// GET /metrics: the Prometheus text format, for a scraper holding a metrics token (created on
// Settings → Metrics or with `switchyard metrics-token create`). No session here: a scraper has
// none, so server.mjs lets /metrics through its login gate and this handler checks the bearer
// token itself, before anything is read. Without a valid one: 401 with WWW-Authenticate.
import { checkBearer } from "@/lib/metrics/tokens";
import { collectMetrics } from "@/lib/metrics/collect";
import { formatMetrics } from "@/lib/metrics/format";

export const dynamic = "force-dynamic";

const refuse = () =>
  new Response("A metrics token is needed: Authorization: Bearer <token> (Settings → Metrics).\n", {
    status: 401,
    headers: { "www-authenticate": 'Bearer realm="switchyard-metrics"', "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

export async function GET(request: Request): Promise<Response> {
  if (!(await checkBearer(request.headers.get("authorization")))) return refuse();
  const { text, contentType } = await formatMetrics(await collectMetrics());
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
