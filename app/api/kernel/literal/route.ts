// GET /api/kernel/literal: the Live page's literal views (iptables -L -v -n per table, ip rule,
// ip route show table X), read only while that view is shown. 401 without a session.
import { withAuth } from "@/lib/auth/guard";
import { literalSnapshot } from "@/lib/engine/literal";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => Response.json(await literalSnapshot(), { headers: { "Cache-Control": "no-store" } }));
