// GET /audit/export?kind=&user=: the audit log as CSV, with the page's filter. 401 without a session.
import { withAuth } from "@/lib/auth/guard";
import { auditCsv, parseAuditQuery } from "@/lib/data/audit-view";

export const dynamic = "force-dynamic";

export const GET = withAuth(async (_actor, request: Request) => {
  const filter = parseAuditQuery(Object.fromEntries(new URL(request.url).searchParams));
  const csv = await auditCsv(filter);
  if (csv === null) return Response.json({ error: "not logged in" }, { status: 401 });
  const name = ["switchyard-audit", filter.kind, filter.user?.replace(/[^A-Za-z0-9_-]/g, "_"), new Date().toISOString().slice(0, 10)].filter(Boolean).join("-");
  return new Response(csv, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.csv"`, "Cache-Control": "no-store" },
  });
});
