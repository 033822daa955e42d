// GET /api/plan: what "Apply & verify" would do, before it does it (lib/engine/plan-preview.ts).
import { withAuth } from "@/lib/auth/guard";
import { loadConfig } from "@/lib/data/config";
import { planPreview } from "@/lib/engine/plan-preview";
import { lastApplied } from "@/lib/data/revisions";
import { resolveTarget } from "@/lib/engine/target";
import { validateConfig } from "@/lib/validation";
import { formatIssues } from "@/lib/validation/issues";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => {
  const v = validateConfig(await loadConfig());
  if (!v.ok) {
    const issues = formatIssues(v.issues);
    return Response.json({ error: `The staged configuration is not valid, so it cannot be applied: ${issues}` }, { status: 422 });
  }
  const applied = (await lastApplied())?.config ?? null;
  const body = await planPreview(resolveTarget(), v.config, applied);
  return Response.json(body, { headers: { "cache-control": "no-store" } });
});
